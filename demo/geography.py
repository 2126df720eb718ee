"""Where the demo's places are: each community near its real street in Yinchuan, Yongning,
Qingtongxia and Wuzhong (Ningxia), its compounds side by side with an outline, their
buildings in rows inside. Plausible, not surveyed. Positions are WGS-84.

Idempotent: only places without a position get one, so a second run changes nothing and a
position corrected by hand is kept."""

import math
import random

from communities.models import Building, Compound

# Roughly where each community is (WGS-84): the street its office stands on.
CENTRES = {
    "jinyu": (38.45602, 106.23301),  # 金凤区长城中路与宁安大街
    "fenglinwan": (38.45448, 106.21302),  # 金凤区枫林湾路
    "jinyulanwan": (38.45751, 106.24598),  # 金凤区长城中路金域蓝湾
    "xihu": (38.48803, 106.20897),  # 金凤区贺兰山中路
    "zhongqiangxiang": (38.49851, 106.24803),  # 金凤区满城北街
    "yayuan": (38.47898, 106.28902),  # 兴庆区丽景街
    "yonghe": (38.27702, 106.24397),  # 永宁县团结西路
    "huanghelou": (38.02103, 106.07502),  # 青铜峡市裕民街道
    "shuofang": (37.99198, 106.20401),  # 吴忠市利通区古城镇
    "zhonghua": (37.97602, 106.18698),  # 吴忠市利通区胜利镇
    "minsheng": (37.96997, 106.19803),  # 吴忠市利通区胜利镇民生街
}

# A compound's size in metres (east-west, north-south) and the gap between compounds.
WIDTH_M, HEIGHT_M, GAP_M = 300.0, 230.0, 70.0
METRES_PER_DEGREE = 111_320.0


def offset(lat, lng, east_m, north_m):
    return (
        lat + north_m / METRES_PER_DEGREE,
        lng + east_m / (METRES_PER_DEGREE * math.cos(math.radians(lat))),
    )


def compound_frame(key, index, count):
    """(south-west corner, north-east corner) of the index-th compound of a community:
    two compounds a row, the rows going north, centred on the community."""
    centre_lat, centre_lng = CENTRES[key]
    columns = 2 if count > 1 else 1
    rows = math.ceil(count / columns)
    column, row = index % columns, index // columns
    total_w = columns * WIDTH_M + (columns - 1) * GAP_M
    total_h = rows * HEIGHT_M + (rows - 1) * GAP_M
    west = -total_w / 2 + column * (WIDTH_M + GAP_M)
    south = -total_h / 2 + row * (HEIGHT_M + GAP_M)
    sw = offset(centre_lat, centre_lng, west, south)
    ne = offset(centre_lat, centre_lng, west + WIDTH_M, south + HEIGHT_M)
    return sw, ne


def outline(sw, ne, rng):
    """An outline like a compound's wall: a rectangle with one corner cut (a gate square
    or a road's bend), drawn a few metres off true."""
    (s, w), (n, e) = sw, ne
    cut_lat, cut_lng = (n - s) * rng.uniform(0.15, 0.3), (e - w) * rng.uniform(0.15, 0.3)
    corners = [(s, w), (s, e), (n - cut_lat, e), (n, e - cut_lng), (n, w)]
    ring = [[round(lng, 6), round(lat, 6)] for lat, lng in corners]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def building_points(sw, ne, count):
    """Positions of `count` buildings in rows inside the frame, west to east, south to
    north, as a compound's buildings are numbered."""
    (s, w), (n, e) = sw, ne
    columns = max(1, math.ceil(math.sqrt(count * 1.4)))
    rows = math.ceil(count / columns)
    points = []
    for number in range(count):
        column, row = number % columns, number // columns
        lat = s + (n - s) * (0.18 + 0.64 * (row + 0.5) / rows)
        lng = w + (e - w) * (0.12 + 0.76 * (column + 0.5) / columns)
        points.append((round(lat, 6), round(lng, 6)))
    return points


def place(community_key, community) -> None:
    """Give the community's compounds and buildings a position (and the compounds an
    outline) where they have none."""
    if community_key not in CENTRES:
        return
    rng = random.Random(f"yishi-demo-map-{community_key}")
    compounds = list(Compound.objects.filter(community=community).order_by("pk"))
    for index, compound in enumerate(compounds):
        sw, ne = compound_frame(community_key, index, len(compounds))
        shape = outline(sw, ne, rng)
        if compound.latitude is None:
            compound.latitude = round((sw[0] + ne[0]) / 2, 6)
            compound.longitude = round((sw[1] + ne[1]) / 2, 6)
            compound.outline = compound.outline or shape
            compound.save(update_fields=["latitude", "longitude", "outline"])
        buildings = list(Building.objects.filter(compound=compound).order_by("pk"))
        for building, (lat, lng) in zip(
            buildings, building_points(sw, ne, len(buildings)), strict=True
        ):
            if building.latitude is None:
                building.latitude, building.longitude = lat, lng
                building.save(update_fields=["latitude", "longitude"])


def jitter(lat, lng, metres, rng):
    """A point within `metres` of (lat, lng): where a phone in the courtyard puts it."""
    angle = rng.uniform(0, 2 * math.pi)
    distance = rng.uniform(0, metres)
    return offset(float(lat), float(lng), distance * math.cos(angle), distance * math.sin(angle))
