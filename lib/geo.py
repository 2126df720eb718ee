"""Points on the earth: WGS-84 ↔ GCJ-02, distances, bounding boxes and GeoJSON polygons.

Positions are stored in WGS-84 (what a phone's GPS and the browser's geolocation give).
Chinese commercial map providers draw their tiles in GCJ-02, an obfuscated datum offset
from WGS-84 by up to a few hundred metres; 天地图 draws in CGCS2000, which matches WGS-84 at
this scale. The conversion below is the published one (the Krasovsky ellipsoid and the
offset polynomials every Chinese map SDK uses); its inverse is found by iteration, exact to
well under a centimetre. Nothing here knows the product: callers pass plain floats.
"""

import itertools
import math
from decimal import ROUND_HALF_UP, Decimal

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG), for haversine distances

# The ellipsoid of GCJ-02's offset (Krasovsky 1940).
_A = 6378245.0
_EE = 0.00669342162296594323


def out_of_china(lat: float, lng: float) -> bool:
    """GCJ-02 offsets only points inside China's rough bounding box; elsewhere the two
    datums are the same."""
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _offset_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _offset_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    """(lat, lng) in WGS-84 → (lat, lng) in GCJ-02."""
    lat, lng = float(lat), float(lng)
    if out_of_china(lat, lng):
        return lat, lng
    d_lat = _offset_lat(lng - 105.0, lat - 35.0)
    d_lng = _offset_lng(lng - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lng = (d_lng * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return lat + d_lat, lng + d_lng


def gcj02_to_wgs84(lat: float, lng: float) -> tuple[float, float]:
    """(lat, lng) in GCJ-02 → (lat, lng) in WGS-84, by fixed-point iteration on the forward
    conversion (the one-step approximation many libraries use is off by up to a metre)."""
    lat, lng = float(lat), float(lng)
    if out_of_china(lat, lng):
        return lat, lng
    w_lat, w_lng = lat, lng
    for _ in range(30):
        g_lat, g_lng = wgs84_to_gcj02(w_lat, w_lng)
        d_lat, d_lng = g_lat - lat, g_lng - lng
        w_lat, w_lng = w_lat - d_lat, w_lng - d_lng
        if abs(d_lat) < 1e-10 and abs(d_lng) < 1e-10:
            break
    return w_lat, w_lng


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    d_lat = p2 - p1
    d_lng = math.radians(float(lng2) - float(lng1))
    h = math.sin(d_lat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(d_lng / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(lat: float, lng: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) of a box that holds every point within
    `radius_m` of (lat, lng): a cheap filter a database can run before the exact distance."""
    lat, lng = float(lat), float(lng)
    d_lat = math.degrees(radius_m / EARTH_RADIUS_M)
    cos_lat = math.cos(math.radians(lat))
    # Near a pole a degree of longitude is nothing: take every longitude.
    d_lng = 180.0 if cos_lat < 1e-6 else min(180.0, d_lat / cos_lat)
    return lat - d_lat, lat + d_lat, lng - d_lng, lng + d_lng


def valid_point(lat, lng) -> bool:
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        return False
    return math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180


def quantize(value) -> Decimal:
    """A coordinate as stored: six decimal places (about 0.1 m), rounded half up from the
    digits as written (not from the nearest binary float)."""
    return Decimal(str(value)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


class PolygonError(ValueError):
    """The GeoJSON is not a usable outline; the message says why (in English: callers
    translate by the `reason` code)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


MAX_POLYGON_POINTS = 500


def clean_polygon(value) -> dict | None:
    """A GeoJSON Polygon (or a Feature holding one) as {"type": "Polygon", "coordinates":
    [[[lng, lat], …]]}: one outer ring of 3 to 500 distinct points, closed, each a valid
    WGS-84 position, rounded to six decimals. Holes are dropped (an outline needs none).
    None or an empty value gives None. Raises PolygonError with a `reason` of "type",
    "ring", "point" or "size"."""
    if value in (None, "", {}, []):
        return None
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or value.get("type") != "Polygon":
        raise PolygonError("type")
    rings = value.get("coordinates")
    if not isinstance(rings, list) or not rings or not isinstance(rings[0], list):
        raise PolygonError("ring")
    points = []
    for position in rings[0]:
        if not isinstance(position, list | tuple) or len(position) < 2:
            raise PolygonError("point")
        lng, lat = position[0], position[1]
        if isinstance(lng, bool) or isinstance(lat, bool) or not valid_point(lat, lng):
            raise PolygonError("point")
        points.append([round(float(lng), 6), round(float(lat), 6)])
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    distinct = []
    for point in points:
        if not distinct or distinct[-1] != point:
            distinct.append(point)
    if len(distinct) < 3 or len({tuple(p) for p in distinct}) < 3:
        raise PolygonError("ring")
    if len(distinct) > MAX_POLYGON_POINTS:
        raise PolygonError("size")
    return {"type": "Polygon", "coordinates": [[*distinct, distinct[0]]]}


def polygon_centre(polygon: dict) -> tuple[float, float]:
    """(lat, lng) of the area centroid of a clean polygon's outer ring (the mean of its
    points when the ring has no area)."""
    ring = polygon["coordinates"][0]
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(area) < 1e-12:
        points = ring[:-1]
        return (
            sum(p[1] for p in points) / len(points),
            sum(p[0] for p in points) / len(points),
        )
    return cy / (3 * area), cx / (3 * area)


def point_in_polygon(lat: float, lng: float, polygon: dict) -> bool:
    """Whether (lat, lng) lies inside the polygon's outer ring (ray casting; fine at the
    scale of a compound, where the earth is flat)."""
    x, y = float(lng), float(lat)
    ring = polygon["coordinates"][0]
    inside = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def map_polygon(polygon: dict, convert) -> dict:
    """The polygon with every (lat, lng) passed through `convert` (a datum conversion)."""
    ring = []
    for lng, lat in polygon["coordinates"][0]:
        c_lat, c_lng = convert(lat, lng)
        ring.append([round(c_lng, 6), round(c_lat, 6)])
    return {"type": "Polygon", "coordinates": [ring]}
