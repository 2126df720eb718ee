"""The places of a map as GeoJSON features: compounds (their outline and their point) and
buildings, in the map's datum (lib.maps). Every map of the product draws these under its
markers, so a map without tiles still shows where things are.

Each kind of place is one function in PLACE_LAYERS that takes the communities (and,
optionally, the grid) being drawn and returns its features, each with `properties.kind`
naming its style in static/js/map.js. Adding a kind of place to every map is one function
here and one style there.
"""

from django.db.models import Q
from django.urls import reverse

from lib import maps

from .models import Building, Compound, Venue


def _point_feature(record, kind, properties):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": maps.point(record.latitude, record.longitude)},
        "properties": {"kind": kind, **properties},
    }


def _compounds(communities, grid):
    compounds = Compound.objects.filter(community__in=communities, archived_at__isnull=True)
    if grid is not None:
        compounds = compounds.filter(Q(grids=grid) | Q(buildings__grids=grid)).distinct()
    return compounds.filter(Q(latitude__isnull=False) | Q(outline__isnull=False)).only(
        "pk", "name", "community_id", "latitude", "longitude", "outline"
    )


def compound_features(communities, grid=None) -> list[dict]:
    """A compound's outline (a polygon) and its point (its name on the map). One query."""
    features = []
    for compound in _compounds(communities, grid).order_by("name", "pk"):
        properties = {"id": compound.pk, "name": compound.name}
        if compound.outline:
            features.append(
                {
                    "type": "Feature",
                    "geometry": maps.outline(compound.outline),
                    "properties": {"kind": "compound_outline", **properties},
                }
            )
        if compound.latitude is not None:
            features.append(_point_feature(compound, "compound", properties))
    return features


def building_features(communities, grid=None) -> list[dict]:
    """Buildings with a position, named with their compound. One query."""
    buildings = Building.objects.filter(
        compound__community__in=communities,
        compound__archived_at__isnull=True,
        latitude__isnull=False,
    )
    if grid is not None:
        buildings = buildings.filter(Q(grids=grid) | Q(compound__grids=grid)).distinct()
    rows = buildings.select_related("compound").only(
        "pk", "name", "latitude", "longitude", "compound__name"
    )
    return [
        _point_feature(
            building,
            "building",
            {"id": building.pk, "name": building.name, "compound": building.compound.name},
        )
        for building in rows.order_by("compound__name", "name", "pk")
    ]


def venue_features(communities, grid=None) -> list[dict]:
    """Places of deliberation (议事室, 议事亭 …) with a position, named with their kind; on a
    grid's map those in its compounds. One query."""
    venues = Venue.objects.filter(
        community__in=communities, archived_at__isnull=True, latitude__isnull=False
    )
    if grid is not None:
        venues = venues.filter(Q(compound__grids=grid) | Q(compound__buildings__grids=grid))
        venues = venues.distinct()
    rows = venues.only("pk", "name", "kind", "capacity", "latitude", "longitude")
    return [
        _point_feature(
            venue,
            "venue",
            {
                "id": venue.pk,
                "name": venue.name,
                "venue_kind": venue.get_kind_display(),
                "capacity": venue.capacity,
            },
        )
        for venue in rows.order_by("name", "pk")
    ]


# Every kind of place drawn under the markers, bottom first.
PLACE_LAYERS = [compound_features, building_features, venue_features]


def places_geojson(communities, grid=None) -> dict:
    """The places of `communities` (a queryset the viewer may see), or of one grid's
    compounds and buildings: a FeatureCollection, one query per kind of place."""
    features = []
    for layer in PLACE_LAYERS:
        features.extend(layer(communities, grid))
    return {"type": "FeatureCollection", "features": features}


def places_url(*, community=None, grid=None) -> str:
    query = f"?grid={grid.pk}" if grid is not None else ""
    if community is not None:
        query = f"?community={community.pk}"
    return reverse("communities:map_places") + query
