"""lib.geo and lib.maps: the datum conversion against published reference pairs, distances,
bounding boxes, outlines, and the tile source read from the settings."""

import math

import pytest

from lib import geo, maps

# (WGS-84 lat, lng, GCJ-02 lat, lng): the reference pairs of eviltransform's tests, which
# every Chinese map SDK's conversion reproduces.
REFERENCE = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # Shanghai
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # Shenzhen
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # Beijing
]


@pytest.mark.parametrize(("w_lat", "w_lng", "g_lat", "g_lng"), REFERENCE)
def test_wgs84_to_gcj02_matches_the_reference_pairs(w_lat, w_lng, g_lat, g_lng):
    lat, lng = geo.wgs84_to_gcj02(w_lat, w_lng)
    assert lat == pytest.approx(g_lat, abs=1e-9)
    assert lng == pytest.approx(g_lng, abs=1e-9)


@pytest.mark.parametrize(("w_lat", "w_lng", "g_lat", "g_lng"), REFERENCE)
def test_gcj02_to_wgs84_finds_the_point_back_to_a_centimetre(w_lat, w_lng, g_lat, g_lng):
    lat, lng = geo.gcj02_to_wgs84(g_lat, g_lng)
    assert geo.haversine_m(lat, lng, w_lat, w_lng) < 0.01


def test_the_offset_in_ningxia_is_a_few_hundred_metres_and_round_trips():
    # 银川 (the demo's city): GCJ-02 moves a point by a few hundred metres.
    lat, lng = 38.45602, 106.23301
    g_lat, g_lng = geo.wgs84_to_gcj02(lat, lng)
    assert 100 < geo.haversine_m(lat, lng, g_lat, g_lng) < 800
    back = geo.gcj02_to_wgs84(g_lat, g_lng)
    assert geo.haversine_m(lat, lng, *back) < 0.01


def test_points_outside_china_are_not_moved():
    for point in ((48.8584, 2.2945), (-33.8568, 151.2153), (35.6586, 139.7454 + 0.0)):
        if geo.out_of_china(*point):
            assert geo.wgs84_to_gcj02(*point) == point
            assert geo.gcj02_to_wgs84(*point) == point
    assert geo.out_of_china(48.8584, 2.2945)
    assert not geo.out_of_china(38.45602, 106.23301)


def test_haversine_gives_known_distances():
    # One degree of latitude along a meridian: 111.2 km on the mean sphere.
    assert geo.haversine_m(38.0, 106.0, 39.0, 106.0) == pytest.approx(111_195, rel=1e-3)
    # 天安门 to 上海人民广场: about 1,068 km.
    assert geo.haversine_m(39.9087, 116.3975, 31.2304, 121.4737) == pytest.approx(
        1_067_900, rel=5e-3
    )
    assert geo.haversine_m(38.4, 106.2, 38.4, 106.2) == 0


def test_the_bounding_box_holds_every_point_of_the_circle():
    lat, lng, radius = 38.45602, 106.23301, 150
    min_lat, max_lat, min_lng, max_lng = geo.bounding_box(lat, lng, radius)
    for step in range(72):
        angle = math.radians(step * 5)
        # A point just inside the circle in every direction.
        p_lat = lat + math.degrees(radius * 0.999 * math.sin(angle) / geo.EARTH_RADIUS_M)
        p_lng = lng + math.degrees(
            radius * 0.999 * math.cos(angle) / (geo.EARTH_RADIUS_M * math.cos(math.radians(lat)))
        )
        assert geo.haversine_m(lat, lng, p_lat, p_lng) <= radius
        assert min_lat <= p_lat <= max_lat and min_lng <= p_lng <= max_lng
    # The box is no bigger than it needs to be (a few metres of slack).
    assert geo.haversine_m(min_lat, lng, max_lat, lng) == pytest.approx(2 * radius, rel=1e-3)


SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[106.0, 38.0], [106.01, 38.0], [106.01, 38.01], [106.0, 38.01], [106.0, 38.0]]
    ],
}


def test_a_polygon_is_cleaned_closed_and_rounded():
    loose = {
        "type": "Feature",
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [
                    [106.0000001, 38.0],
                    [106.01, 38.0],
                    [106.01, 38.01],
                    [106.01, 38.01],
                    [106.0, 38.01],
                ]
            ],
        },
    }
    assert geo.clean_polygon(loose) == SQUARE
    assert geo.clean_polygon(None) is None and geo.clean_polygon("") is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ({"type": "Point", "coordinates": [106, 38]}, "type"),
        ({"type": "Polygon", "coordinates": []}, "ring"),
        ({"type": "Polygon", "coordinates": [[[106, 38], [106.1, 38]]]}, "ring"),
        (
            {"type": "Polygon", "coordinates": [[[106, 38], [106, 38], [106, 38], [106, 38]]]},
            "ring",
        ),
        ({"type": "Polygon", "coordinates": [[[106, 98], [106.1, 38], [106, 38.1]]]}, "point"),
        ({"type": "Polygon", "coordinates": [[["a", 38], [106.1, 38], [106, 38.1]]]}, "point"),
        ({"type": "Polygon", "coordinates": [[[True, 38], [106.1, 38], [106, 38.1]]]}, "point"),
        (
            {
                "type": "Polygon",
                "coordinates": [[[106 + i / 10000, 38 + (i % 2) / 1000] for i in range(600)]],
            },
            "size",
        ),
        ("not json", "type"),
    ],
)
def test_a_bad_outline_says_why(value, reason):
    with pytest.raises(geo.PolygonError) as error:
        geo.clean_polygon(value)
    assert error.value.reason == reason


def test_centre_and_inside_of_an_outline():
    lat, lng = geo.polygon_centre(SQUARE)
    assert (lat, lng) == (pytest.approx(38.005), pytest.approx(106.005))
    assert geo.point_in_polygon(38.005, 106.005, SQUARE)
    assert not geo.point_in_polygon(38.02, 106.005, SQUARE)


def test_without_a_tile_source_the_map_is_plain_and_in_wgs84(settings):
    settings.MAP_TILE_URL = ""
    settings.TIANDITU_KEY = ""
    settings.MAP_CENTRE = ""
    assert maps.centre() == ([36.0, 104.0], 4)
    settings.MAP_CENTRE = "38.4872,106.2309"
    assert maps.centre() == ([38.4872, 106.2309], 13)
    assert maps.tile_layers() == [] and maps.image_sources() == []
    assert maps.datum() == maps.WGS84
    assert maps.point(38.45602, 106.23301) == [106.23301, 38.45602]
    assert maps.config()["tiles"] == []


def test_a_gcj02_provider_gets_converted_points_and_gives_them_back(settings):
    settings.MAP_TILE_URL = "https://webrd0{s}.is.example.cn/tile?x={x}&y={y}&z={z}"
    settings.MAP_TILE_SUBDOMAINS = "1234"
    settings.MAP_TILE_DATUM = "gcj02"
    lng, lat = maps.point(31.1774276, 121.5272106)
    assert (lat, lng) == (pytest.approx(31.175304, abs=1e-6), pytest.approx(121.531542, abs=1e-6))
    back = maps.from_map(31.17530398364597, 121.531541859215)
    assert geo.haversine_m(*back, 31.1774276, 121.5272106) < 0.01
    assert maps.image_sources() == [f"https://webrd0{n}.is.example.cn" for n in "1234"]
    outline = maps.outline(SQUARE)
    assert outline["coordinates"][0][0] == [
        round(geo.wgs84_to_gcj02(38.0, 106.0)[1], 6),
        round(geo.wgs84_to_gcj02(38.0, 106.0)[0], 6),
    ]


def test_a_tianditu_key_alone_sets_up_its_map_and_labels(settings):
    settings.MAP_TILE_URL = ""
    settings.TIANDITU_KEY = "k3y"
    layers = maps.tile_layers()
    assert [("vec_w" in layer["url"], "cva_w" in layer["url"]) for layer in layers] == [
        (True, False),
        (False, True),
    ]
    assert all("tk=k3y" in layer["url"] and "{z}" in layer["url"] for layer in layers)
    assert maps.datum() == maps.WGS84
    assert maps.image_sources() == [f"https://t{n}.tianditu.gov.cn" for n in range(8)]


def test_a_map_page_lets_its_tiles_through_the_content_security_policy(settings, client):
    from django.http import HttpResponse

    settings.MAP_TILE_URL = "https://tiles.example.test/{z}/{x}/{y}.png"
    response = maps.allow_tiles(HttpResponse())
    assert response._csp_update == {"img-src": ["https://tiles.example.test"]}
    settings.MAP_TILE_URL = ""
    assert not hasattr(maps.allow_tiles(HttpResponse()), "_csp_update")
