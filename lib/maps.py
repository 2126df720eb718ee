"""The map's tile source, read from the settings, and the datum the map is drawn in.

MAP_TILE_URL is a Leaflet URL template ({s}, {z}, {x}, {y}); MAP_TILE_DATUM says whether the
provider draws in WGS-84 (天地图, OpenStreetMap) or GCJ-02 (the commercial Chinese
providers). TIANDITU_KEY alone configures 天地图's vector map with its Chinese labels. With
neither, there are no tiles: maps draw the product's own places (compounds, buildings,
markers) on a plain background, which is what the demo and the tests do, and what a phone
without signal still shows.

Positions are stored in WGS-84; everything sent to a map is converted to the map's datum
here (lib.geo), and points picked on the map are converted back before they are stored.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from . import geo

WGS84 = "wgs84"
GCJ02 = "gcj02"
DATUMS = (WGS84, GCJ02)

TIANDITU = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}"
    "&TILECOL={x}&tk={key}"
)


def _setting(name, default=""):
    return getattr(settings, name, default) or default


def tile_layers() -> list[dict]:
    """The tile layers to draw, bottom first: [{"url", "subdomains", "attribution"}], or
    [] when no tile source is configured."""
    url = _setting("MAP_TILE_URL")
    if url:
        return [
            {
                "url": url,
                "subdomains": _setting("MAP_TILE_SUBDOMAINS", "abc"),
                "attribution": _setting("MAP_TILE_ATTRIBUTION"),
            }
        ]
    key = _setting("TIANDITU_KEY")
    if key:
        return [
            {
                # The template keeps Leaflet's placeholders; only the layer and key are set.
                "url": TIANDITU.replace("{layer}", layer).replace("{key}", key),
                "subdomains": "01234567",
                "attribution": "天地图 GS(2024)0568号",
            }
            for layer in ("vec", "cva")
        ]
    return []


def datum() -> str:
    """The datum the map is drawn in: the tile provider's, WGS-84 without tiles."""
    if _setting("MAP_TILE_URL"):
        value = _setting("MAP_TILE_DATUM", WGS84).lower()
        if value not in DATUMS:
            raise ImproperlyConfigured(f"MAP_TILE_DATUM must be one of {DATUMS}, not {value!r}.")
        return value
    return WGS84


def to_map(lat, lng) -> tuple[float, float]:
    """A stored (WGS-84) position as the map draws it."""
    if datum() == GCJ02:
        return geo.wgs84_to_gcj02(float(lat), float(lng))
    return float(lat), float(lng)


def from_map(lat, lng) -> tuple[float, float]:
    """A position picked on the map, in WGS-84 to be stored."""
    if datum() == GCJ02:
        return geo.gcj02_to_wgs84(float(lat), float(lng))
    return float(lat), float(lng)


def point(lat, lng) -> list[float]:
    """A GeoJSON position ([lng, lat]) in the map's datum, six decimals."""
    m_lat, m_lng = to_map(lat, lng)
    return [round(m_lng, 6), round(m_lat, 6)]


def outline(polygon) -> dict:
    """A stored outline (GeoJSON Polygon, WGS-84) in the map's datum."""
    return geo.map_polygon(polygon, to_map) if datum() == GCJ02 else polygon


def centre() -> tuple[list[float], int]:
    """Where a map with nothing on it opens (the place picker of a community none of whose
    places is on the map yet): MAP_CENTRE "lat,lng" (WGS-84) at MAP_ZOOM, else all of
    China."""
    value = _setting("MAP_CENTRE")
    if value:
        lat, lng = (float(part) for part in str(value).split(","))
        return point(lat, lng)[::-1], int(_setting("MAP_ZOOM", 13))
    return [36.0, 104.0], 4


def config() -> dict:
    """What the map script (static/js/map.js) needs: the tile layers, the datum, where an
    empty map opens, and its words in the reader's language ({n}, {title}, … are filled in
    by the script)."""
    where, zoom = centre()
    return {
        "tiles": tile_layers(),
        "datum": datum(),
        "centre": where,
        "zoom": zoom,
        "labels": {
            "zoom_in": _("Zoom in"),
            "zoom_out": _("Zoom out"),
            "close": _("Close"),
            "cluster": _("{n} markers here: press Enter to zoom in"),
            "nothing": _("Nothing on this map has a position yet."),
            "plain": _("No map service is set up: the places of the community are drawn."),
            "finding": _("Finding {n}"),
            "own_position": _("Position from the phone"),
            "place_position": _("Position of its place"),
            "picked": _("Position set: {lat}, {lng}"),
            "outline_points": _("Outline: {n} corners"),
        },
    }


def image_sources() -> list[str]:
    """The origins tiles are loaded from, for the Content-Security-Policy's img-src."""
    origins = []
    for layer in tile_layers():
        subdomains = layer["subdomains"] if "{s}" in layer["url"] else [""]
        for sub in subdomains:
            parts = urlsplit(layer["url"].replace("{s}", sub))
            origin = f"{parts.scheme}://{parts.netloc}"
            if parts.scheme in ("https", "http") and parts.netloc and origin not in origins:
                origins.append(origin)
    return origins


def allow_tiles(response):
    """Let a map page load its tiles (the policy allows only our own images otherwise)."""
    sources = image_sources()
    if sources:
        response._csp_update = {"img-src": sources}
    return response
