"""Reads of places that span more than one record."""

from decimal import Decimal

from lib import geo

from .models import Compound


def _box(latitude, longitude, radius_m):
    min_lat, max_lat, min_lng, max_lng = geo.bounding_box(latitude, longitude, radius_m)
    return {
        "latitude__gte": Decimal(str(round(min_lat, 6))),
        "latitude__lte": Decimal(str(round(max_lat, 6))),
        "longitude__gte": Decimal(str(round(min_lng, 6))),
        "longitude__lte": Decimal(str(round(max_lng, 6))),
    }


def nearest_compound(communities, *, latitude, longitude, radius_m=500):
    """The compound of `communities` whose position is nearest to (latitude, longitude),
    within `radius_m`, or None: a bounding box in SQL, then the exact distance. A point
    inside a compound's outline is taken to be in it, wherever its point is."""
    rows = list(
        Compound.objects.filter(
            community__in=communities,
            archived_at__isnull=True,
            **_box(latitude, longitude, radius_m),
        ).select_related("community")[:200]
    )
    best = None
    for compound in rows:
        metres = geo.haversine_m(latitude, longitude, compound.latitude, compound.longitude)
        if compound.outline and geo.point_in_polygon(latitude, longitude, compound.outline):
            metres = 0.0
        if metres <= radius_m and (best is None or metres < best[0]):
            best = (metres, compound)
    return best[1] if best else None
