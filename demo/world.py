"""The places and people of the demo: the streets, communities, compounds, grids, residents,
organizations and users of the ten stories in DOMAIN.md (Ningxia, from the source articles).
Idempotent: every record is found by its natural key before it is created."""

import functools
import random
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from communities.models import (
    AgreementEntry,
    Building,
    CoBuildingAgreement,
    Community,
    Compound,
    Grid,
    Household,
    Organization,
    OrganizationContact,
    Resident,
    Shop,
    Street,
    Unit,
)
from meetings.models import Form, FormRule
from meetings.models import ParticipantRole as R

from . import geography

DEMO_PASSWORD = "Yishi-2026"

Kind = Organization.Kind


@dataclass
class CompoundSpec:
    name: str
    buildings: list[str]
    units: int = 2
    floors: int = 6
    per_floor: int = 2
    address: str = ""
    old: bool = False
    built: int | None = None


@dataclass
class CommunitySpec:
    key: str
    name: str
    area_code: str
    address: str
    compounds: list[CompoundSpec]
    grids: int
    kind: str = Community.Kind.COMMUNITY
    council_day: int | None = None
    phone: str = ""


@dataclass
class StreetSpec:
    name: str
    code: str
    district: str
    communities: list[CommunitySpec]
    kind: str = Street.Kind.STREET


def _numbered(first, last):
    return [f"{n}号楼" for n in range(first, last + 1)]


STREETS = [
    StreetSpec(
        "长城中路街道",
        "640106002000",
        "银川市金凤区",
        [
            CommunitySpec(
                "jinyu",
                "金宇名庭社区",
                "640106002001",
                "金凤区长城中路与宁安大街交叉口",
                [
                    CompoundSpec("华雁湖畔A区", _numbered(1, 6), floors=18, built=2012),
                    CompoundSpec("华雁湖畔B区", _numbered(7, 10), floors=11, built=2014),
                ],
                grids=3,
                phone="0951-5012301",
            ),
            CommunitySpec(
                "fenglinwan",
                "枫林湾社区",
                "640106002002",
                "金凤区长城中路枫林湾路18号",
                [
                    CompoundSpec("澳海熙园", _numbered(1, 8), floors=18, units=2, built=2018),
                    CompoundSpec("枫林湾小区", _numbered(1, 5), floors=6, old=True, built=2004),
                ],
                grids=3,
                phone="0951-5012302",
            ),
            CommunitySpec(
                "jinyulanwan",
                "金域蓝湾社区",
                "640106002003",
                "金凤区长城中路金域蓝湾南门",
                [
                    CompoundSpec("金域蓝湾一期", _numbered(1, 8), floors=18, units=2, built=2011),
                    CompoundSpec("金域蓝湾二期", _numbered(9, 14), floors=18, units=2, built=2015),
                ],
                grids=3,
                phone="0951-5012303",
            ),
        ],
    ),
    StreetSpec(
        "贺兰山中路街道",
        "640106003000",
        "银川市金凤区",
        [
            # 西湖社区: the practice of the source article (依次发言、自由发言、意见征求表;
            # the quarterly party-building joint meeting; 一书三单).
            CommunitySpec(
                "xihu",
                "西湖社区",
                "640106003007",
                "金凤区贺兰山中路西湖苑南门",
                [
                    CompoundSpec("阅海万家F3区", _numbered(1, 8), floors=18, built=2012),
                    CompoundSpec("西湖苑", _numbered(1, 10), floors=11, built=2016),
                ],
                grids=4,
                phone="0951-5063307",
            ),
        ],
    ),
    StreetSpec(
        "满城北街街道",
        "640106004000",
        "银川市金凤区",
        [
            CommunitySpec(
                "zhongqiangxiang",
                "中强巷社区",
                "640106004002",
                "金凤区满城北街中强巷12号",
                [
                    CompoundSpec("明园小区", _numbered(1, 12), floors=6, old=True, built=1998),
                    CompoundSpec("中强巷家属院", _numbered(1, 4), floors=5, old=True, built=1992),
                ],
                grids=3,
                council_day=15,
                phone="0951-5023302",
            ),
        ],
    ),
    StreetSpec(
        "丽景街街道",
        "640104007000",
        "银川市兴庆区",
        [
            CommunitySpec(
                "yayuan",
                "雅苑社区",
                "640104007005",
                "兴庆区丽景街双福巷8号",
                [
                    CompoundSpec("景墨家园B区", _numbered(1, 6), floors=6, old=True, built=2001),
                    CompoundSpec("书香雅苑", _numbered(1, 5), floors=6, old=True, built=2003),
                    CompoundSpec("丽景花园", _numbered(1, 4), floors=6, old=True, built=2002),
                    CompoundSpec("雅苑小区", _numbered(1, 4), floors=6, old=True, built=1999),
                ],
                grids=4,
                phone="0951-6017705",
            ),
        ],
    ),
    StreetSpec(
        "团结西路街道",
        "640121002000",
        "银川市永宁县",
        [
            CommunitySpec(
                "yonghe",
                "永和社区",
                "640121002003",
                "永宁县团结西路永和巷6号",
                [
                    CompoundSpec("永和家园", _numbered(1, 10), floors=11, built=2013),
                    CompoundSpec("团结小区", _numbered(1, 6), floors=6, old=True, built=2005),
                ],
                grids=3,
                phone="0951-8011203",
            ),
        ],
    ),
    StreetSpec(
        "裕民街道",
        "640381001000",
        "青铜峡市",
        [
            CommunitySpec(
                "huanghelou",
                "黄河楼社区",
                "640381001004",
                "青铜峡市裕民街道黄河楼路26号",
                [
                    CompoundSpec("水岸世家", _numbered(1, 8), floors=11, built=2010),
                    CompoundSpec("龙海花园", _numbered(1, 6), floors=6, built=2006),
                ],
                grids=3,
                phone="0953-3051104",
            ),
        ],
    ),
    StreetSpec(
        "古城镇",
        "640302101000",
        "吴忠市利通区",
        [
            CommunitySpec(
                "shuofang",
                "朔方社区",
                "640302101006",
                "利通区古城镇朔方路99号",
                [
                    CompoundSpec("紫御府小区", _numbered(1, 8), floors=18, units=2, built=2019),
                    CompoundSpec("开元世家", _numbered(1, 6), floors=11, built=2016),
                ],
                grids=3,
                phone="0953-2101106",
            ),
        ],
        kind=Street.Kind.TOWN,
    ),
    StreetSpec(
        "胜利镇",
        "640302100000",
        "吴忠市利通区",
        [
            CommunitySpec(
                "zhonghua",
                "中华社区",
                "640302100002",
                "利通区胜利镇中华路16号",
                [
                    CompoundSpec(
                        "朝阳小区", _numbered(30, 36), floors=6, units=5, old=True, built=2000
                    ),
                    CompoundSpec("中华苑", _numbered(1, 6), floors=6, built=2008),
                ],
                grids=3,
                phone="0953-2100102",
            ),
            CommunitySpec(
                "minsheng",
                "民生社区",
                "640302100005",
                "利通区胜利镇民生街58号",
                [
                    CompoundSpec("民生家园", _numbered(1, 12), floors=6, built=2009),
                    CompoundSpec("幸福里", _numbered(1, 8), floors=6, old=True, built=2003),
                    CompoundSpec("康乐小区", _numbered(1, 8), floors=6, old=True, built=2001),
                    CompoundSpec("胜利花园", _numbered(1, 6), floors=11, built=2015),
                ],
                grids=13,
                council_day=5,
                phone="0953-2100105",
            ),
        ],
        kind=Street.Kind.TOWN,
    ),
]


@dataclass
class PersonSpec:
    """A named person of the stories, placed in a household."""

    key: str
    name: str
    community: str
    compound: str
    building: str
    unit: str
    room: str
    phone: str
    gender: str = ""
    born: date | None = None
    tags: tuple = ()
    skills: str = ""
    username: str = ""


PEOPLE = [
    # 西湖社区: the old party member of 西湖苑 and two resident representatives.
    PersonSpec(
        "na_hongming",
        "纳洪明",
        "xihu",
        "西湖苑",
        "3号楼",
        "1单元",
        "502",
        "13895063502",
        "m",
        date(1952, 7, 1),
        ("party", "representative"),
    ),
    PersonSpec(
        "ma_guihua",
        "马桂花",
        "xihu",
        "西湖苑",
        "6号楼",
        "2单元",
        "301",
        "13995066301",
        "f",
        tags=("representative",),
    ),
    PersonSpec(
        "zhang_zhiyuan",
        "张志远",
        "xihu",
        "阅海万家F3区",
        "2号楼",
        "1单元",
        "1101",
        "13709562110",
        "m",
        tags=("representative", "supervisor"),
        skills="退休教师",
    ),
    # Story 1 (金宇名庭): the upstairs and downstairs kitchens.
    PersonSpec(
        "zhang_guoqiang",
        "张国强",
        "jinyu",
        "华雁湖畔A区",
        "3号楼",
        "2单元",
        "1202",
        "13895012202",
        "m",
    ),
    PersonSpec(
        "zhao_liping",
        "赵丽萍",
        "jinyu",
        "华雁湖畔A区",
        "3号楼",
        "2单元",
        "1102",
        "13995011102",
        "f",
    ),
    PersonSpec(
        "ma_yulan",
        "马玉兰",
        "jinyu",
        "华雁湖畔A区",
        "1号楼",
        "1单元",
        "301",
        "13709513011",
        "f",
        tags=("representative", "party"),
    ),
    # Story 2 (枫林湾 澳海熙园): Mr Liu, who reports the fire lane again and again.
    PersonSpec(
        "liu_jianhua",
        "刘建华",
        "fenglinwan",
        "澳海熙园",
        "2号楼",
        "1单元",
        "801",
        "13895168801",
        "m",
        date(1968, 5, 3),
        ("representative",),
        username="liujianhua",
    ),
    PersonSpec(
        "sun_hongmei",
        "孙红梅",
        "fenglinwan",
        "澳海熙园",
        "5号楼",
        "2单元",
        "1503",
        "13619511503",
        "f",
        tags=("supervisor", "party"),
    ),
    PersonSpec(
        "gao_wenjun",
        "高文军",
        "fenglinwan",
        "澳海熙园",
        "1号楼",
        "1单元",
        "202",
        "13519510202",
        "m",
        tags=("representative",),
    ),
    # Story 5 (金域蓝湾): the head of the supervision committee.
    PersonSpec(
        "chen_jingfang",
        "陈靖芳",
        "jinyulanwan",
        "金域蓝湾一期",
        "2号楼",
        "1单元",
        "602",
        "13895560602",
        "f",
        tags=("supervisor", "party"),
        username="chenjingfang",
    ),
    PersonSpec(
        "li_shuzhen",
        "李淑珍",
        "jinyulanwan",
        "金域蓝湾一期",
        "6号楼",
        "2单元",
        "101",
        "13209516101",
        "f",
        date(1948, 2, 11),
        ("elderly_alone",),
    ),
    PersonSpec(
        "yang_fuqiang",
        "杨富强",
        "jinyulanwan",
        "金域蓝湾一期",
        "4号楼",
        "1单元",
        "102",
        "13309514102",
        "m",
    ),
    # Story 8 (中强巷 明园小区).
    PersonSpec(
        "quan_zhanzhong",
        "权占中",
        "zhongqiangxiang",
        "明园小区",
        "5号楼",
        "2单元",
        "302",
        "13895235302",
        "m",
        tags=("representative",),
        username="quanzhanzhong",
    ),
    PersonSpec(
        "he_xiuying",
        "何秀英",
        "zhongqiangxiang",
        "明园小区",
        "2号楼",
        "1单元",
        "101",
        "13995232101",
        "f",
        date(1950, 8, 20),
        ("party", "supervisor"),
    ),
    # Story 6 (雅苑): 王大叔 of 景墨家园B区, whose bathroom floods.
    PersonSpec(
        "wang_defu",
        "王德福",
        "yayuan",
        "景墨家园B区",
        "2号楼",
        "1单元",
        "201",
        "13709512201",
        "m",
        date(1962, 11, 2),
        username="wangdefu",
    ),
    PersonSpec(
        "zhou_lan",
        "周兰",
        "yayuan",
        "景墨家园B区",
        "1号楼",
        "2单元",
        "402",
        "13519511402",
        "f",
        tags=("representative",),
    ),
    # Story 3 (永和): for and against the speed bumps.
    PersonSpec(
        "ma_jun",
        "马骏",
        "yonghe",
        "永和家园",
        "3号楼",
        "1单元",
        "602",
        "13895013602",
        "m",
        tags=("representative",),
    ),
    PersonSpec(
        "li_xiaofeng",
        "李晓峰",
        "yonghe",
        "永和家园",
        "7号楼",
        "2单元",
        "301",
        "13995017301",
        "m",
        tags=("representative",),
        skills="骑行俱乐部召集人",
    ),
    PersonSpec(
        "tian_guirong",
        "田桂荣",
        "yonghe",
        "永和家园",
        "1号楼",
        "1单元",
        "101",
        "13209511101",
        "f",
        date(1946, 4, 9),
        ("representative", "party", "very_old"),
    ),
    # Story 4 (黄河楼): resident representatives of the two compounds.
    PersonSpec(
        "wang_jianping",
        "王建平",
        "huanghelou",
        "水岸世家",
        "4号楼",
        "1单元",
        "502",
        "13895334502",
        "m",
        tags=("representative",),
    ),
    PersonSpec(
        "liu_shufen",
        "刘淑芬",
        "huanghelou",
        "龙海花园",
        "2号楼",
        "2单元",
        "301",
        "13995332301",
        "f",
        tags=("representative", "party"),
    ),
    # Story 7 (朔方): 买老师 of 紫御府小区 and the fan noise.
    PersonSpec(
        "mai_hongmei",
        "买红梅",
        "shuofang",
        "紫御府小区",
        "3号楼",
        "1单元",
        "402",
        "13895373402",
        "f",
        date(1971, 9, 15),
        username="maihongmei",
        skills="退休教师",
    ),
    PersonSpec(
        "ma_xuebin",
        "马学斌",
        "shuofang",
        "开元世家",
        "2号楼",
        "1单元",
        "701",
        "13995372701",
        "m",
        tags=("representative",),
    ),
    # Story 9 (中华 朝阳小区 33号楼5单元): the four households on the kitchen drain.
    PersonSpec(
        "wu_haitao",
        "吴海涛",
        "zhonghua",
        "朝阳小区",
        "33号楼",
        "5单元",
        "101",
        "13895381101",
        "m",
        username="wuhaitao",
    ),
    PersonSpec(
        "zheng_yumei",
        "郑玉梅",
        "zhonghua",
        "朝阳小区",
        "33号楼",
        "5单元",
        "201",
        "13995382201",
        "f",
    ),
    PersonSpec(
        "han_zhiyong",
        "韩志勇",
        "zhonghua",
        "朝阳小区",
        "33号楼",
        "5单元",
        "301",
        "13709383301",
        "m",
    ),
    PersonSpec(
        "bai_xiulan",
        "白秀兰",
        "zhonghua",
        "朝阳小区",
        "33号楼",
        "5单元",
        "401",
        "13519384401",
        "f",
        tags=("representative",),
    ),
    # Story 10 (民生): elderly living alone, visited on the 5th of every month.
    PersonSpec(
        "ding_wanfu",
        "丁万福",
        "minsheng",
        "幸福里",
        "3号楼",
        "1单元",
        "102",
        "13209535102",
        "m",
        date(1939, 1, 28),
        ("elderly_alone", "very_old"),
        username="dingwanfu",
    ),
    PersonSpec(
        "su_guilan",
        "苏桂兰",
        "minsheng",
        "幸福里",
        "2号楼",
        "2单元",
        "201",
        "13309535201",
        "f",
        date(1944, 6, 6),
        ("elderly_alone", "disabled"),
    ),
    PersonSpec(
        "na_yuying",
        "纳玉英",
        "minsheng",
        "民生家园",
        "8号楼",
        "1单元",
        "301",
        "13895538301",
        "f",
        date(1955, 3, 19),
        ("low_income",),
    ),
    PersonSpec(
        "yang_chunhua",
        "杨春花",
        "minsheng",
        "民生家园",
        "1号楼",
        "1单元",
        "201",
        "13995531201",
        "f",
        tags=("representative", "supervisor", "party"),
        skills="退休医生",
    ),
]


@dataclass
class OrgSpec:
    key: str
    kind: str
    name: str
    communities: list[str]
    compounds: list[str] = field(default_factory=list)
    phone: str = ""
    address: str = ""
    contacts: list[tuple[str, str, str]] = field(default_factory=list)  # name, position, phone


ORGANIZATIONS = [
    OrgSpec(
        "property_yuehai",
        Kind.PROPERTY,
        "银川阅海物业服务有限公司",
        ["xihu"],
        ["阅海万家F3区", "西湖苑"],
        "0951-5066688",
        contacts=[("郝建军", "项目经理", "13895066688")],
    ),
    OrgSpec(
        "cobuild_housing_yinchuan",
        Kind.CO_BUILDING,
        "银川市住房保障中心",
        ["xihu"],
        phone="0951-6888123",
        contacts=[("马晓东", "中心主任", "13995068123")],
    ),
    OrgSpec(
        "cobuild_huanghe_bank",
        Kind.CO_BUILDING,
        "宁夏黄河农村商业银行贺兰山中路支行",
        ["xihu"],
        phone="0951-5069966",
        contacts=[("王丽", "支行行长", "13709569966")],
    ),
    OrgSpec(
        "cobuild_ningxia_bank",
        Kind.CO_BUILDING,
        "宁夏银行西湖支行",
        ["xihu"],
        phone="0951-5067788",
        contacts=[("李娜", "党建联络员", "13519567788")],
    ),
    OrgSpec(
        "cobuild_szs_bank",
        Kind.CO_BUILDING,
        "石嘴山银行金凤支行",
        ["xihu"],
        phone="0951-5065599",
        contacts=[("杨帆", "客户经理", "13209565599")],
    ),
    OrgSpec(
        "police_changcheng",
        Kind.POLICE,
        "长城中路派出所",
        ["jinyu", "fenglinwan", "jinyulanwan"],
        phone="0951-5010110",
        contacts=[("王建军", "社区民警", "13895010110"), ("冯磊", "网格警", "13995010111")],
    ),
    OrgSpec(
        "property_huayan",
        Kind.PROPERTY,
        "银川华雁物业服务有限公司",
        ["jinyu"],
        ["华雁湖畔A区", "华雁湖畔B区"],
        "0951-5016688",
        contacts=[("何志强", "项目经理", "13895016688")],
    ),
    OrgSpec(
        "property_aohai",
        Kind.PROPERTY,
        "宁夏澳海物业服务有限公司",
        ["fenglinwan"],
        ["澳海熙园"],
        "0951-5017788",
        contacts=[("孙丽", "客服主管", "13995017788"), ("白建国", "秩序主管", "13709517789")],
    ),
    OrgSpec(
        "owners_aohai",
        Kind.OWNERS_COMMITTEE,
        "澳海熙园业主委员会",
        ["fenglinwan"],
        ["澳海熙园"],
        contacts=[("韩志刚", "业委会主任", "13519517701")],
    ),
    OrgSpec(
        "property_lanwan",
        Kind.PROPERTY,
        "宁夏蓝湾物业服务有限公司",
        ["jinyulanwan"],
        ["金域蓝湾一期", "金域蓝湾二期"],
        "0951-5018899",
        contacts=[("罗海燕", "物业经理", "13895018899")],
    ),
    OrgSpec(
        "enforcement_jinfeng",
        Kind.LAW_ENFORCEMENT,
        "金凤区综合执法局",
        ["jinyu", "fenglinwan", "jinyulanwan"],
        phone="0951-5030123",
        contacts=[("张涛", "执法队员", "13995030123")],
    ),
    OrgSpec(
        "enforcement_mancheng",
        Kind.LAW_ENFORCEMENT,
        "金凤区城市管理综合执法大队满城北街中队",
        ["zhongqiangxiang"],
        phone="0951-5031234",
        contacts=[("马华东", "执法队员", "13895031234")],
    ),
    OrgSpec(
        "police_mancheng",
        Kind.POLICE,
        "满城北街派出所",
        ["zhongqiangxiang"],
        phone="0951-5020110",
        contacts=[("李卫东", "社区民警", "13995020110")],
    ),
    OrgSpec(
        "property_fengjie",
        Kind.PROPERTY,
        "宁夏凤洁物业有限公司",
        ["zhongqiangxiang"],
        ["明园小区"],
        "0951-5025566",
        contacts=[("赵敏", "项目负责人", "13709525566")],
    ),
    OrgSpec(
        "legal_zhenghe",
        Kind.LEGAL,
        "宁夏正和律师事务所",
        ["jinyu", "fenglinwan", "jinyulanwan", "zhongqiangxiang", "yayuan"],
        phone="0951-6091234",
        contacts=[("杜明远", "社区法律顾问", "13895091234")],
    ),
    OrgSpec(
        "property_lijing",
        Kind.PROPERTY,
        "兴庆区丽景物业服务有限公司",
        ["yayuan"],
        ["景墨家园B区", "书香雅苑", "丽景花园", "雅苑小区"],
        "0951-6013344",
        contacts=[("刘志刚", "物业经理", "13995013344")],
    ),
    OrgSpec(
        "housing_xingqing",
        Kind.GOVERNMENT,
        "兴庆区住房城乡建设局",
        ["yayuan"],
        phone="0951-6028000",
        contacts=[("陈刚", "物业办科员", "13709528000")],
    ),
    OrgSpec(
        "merchant_majia",
        Kind.MERCHANT,
        "老马家羊杂碎",
        ["yayuan"],
        phone="13895061101",
        contacts=[("马福贵", "店主", "13895061101")],
    ),
    OrgSpec(
        "merchant_chuanwei",
        Kind.MERCHANT,
        "川味小厨",
        ["yayuan"],
        phone="13995061102",
        contacts=[("唐小军", "店主", "13995061102")],
    ),
    OrgSpec(
        "merchant_huiwei",
        Kind.MERCHANT,
        "回味牛肉面",
        ["yayuan"],
        phone="13709561103",
        contacts=[("马兰花", "店主", "13709561103")],
    ),
    OrgSpec(
        "merchant_liji",
        Kind.MERCHANT,
        "李记烧烤",
        ["yayuan"],
        phone="13519561104",
        contacts=[("李强", "店主", "13519561104")],
    ),
    OrgSpec(
        "merchant_jufu",
        Kind.MERCHANT,
        "聚福源餐馆",
        ["yayuan"],
        phone="13209561105",
        contacts=[("王聚福", "店主", "13209561105")],
    ),
    OrgSpec(
        "property_yonghe",
        Kind.PROPERTY,
        "永宁县永和物业服务有限公司",
        ["yonghe"],
        ["永和家园", "团结小区"],
        "0951-8012233",
        contacts=[("蒋伟", "物业经理", "13895012233")],
    ),
    OrgSpec(
        "owners_yonghe",
        Kind.OWNERS_COMMITTEE,
        "永和家园红色业委会",
        ["yonghe"],
        ["永和家园"],
        contacts=[("沙玉琴", "业委会主任", "13995012234")],
    ),
    OrgSpec(
        "cobuild_bank_yongning",
        Kind.CO_BUILDING,
        "中国银行永宁支行",
        ["yonghe"],
        phone="0951-8015566",
        contacts=[("常宏", "党支部书记", "13709515566")],
    ),
    OrgSpec(
        "cppcc_qingtongxia",
        Kind.CPPCC_NPC,
        "青铜峡市政协提案和委员联络委员会",
        ["huanghelou"],
        phone="0953-3012345",
        contacts=[("杨立新", "政协委员", "13895312345"), ("马晓红", "政协委员", "13995312346")],
    ),
    OrgSpec(
        "housing_qingtongxia",
        Kind.GOVERNMENT,
        "青铜峡市住房和城乡建设局",
        ["huanghelou"],
        phone="0953-3016789",
        contacts=[("王海", "园林绿化股股长", "13709316789")],
    ),
    OrgSpec(
        "forest_shuxin",
        Kind.GOVERNMENT,
        "青铜峡市树新林场",
        ["huanghelou"],
        phone="0953-3018080",
        contacts=[("周建林", "林业技术员", "13519318080"), ("金鹏", "林业技术员", "13519318081")],
    ),
    OrgSpec(
        "property_shuian",
        Kind.PROPERTY,
        "青铜峡水岸物业服务有限公司",
        ["huanghelou"],
        ["水岸世家", "龙海花园"],
        "0953-3019090",
        contacts=[("许丽娟", "绿化主管", "13895319090")],
    ),
    OrgSpec(
        "enforcement_gucheng",
        Kind.LAW_ENFORCEMENT,
        "古城镇综合执法队",
        ["shuofang"],
        phone="0953-2105566",
        contacts=[("马志军", "执法队长", "13895375566")],
    ),
    OrgSpec(
        "merchant_xinyuan",
        Kind.MERCHANT,
        "鑫源火锅店",
        ["shuofang"],
        phone="13995376677",
        contacts=[("丁鑫", "店主", "13995376677")],
    ),
    OrgSpec(
        "property_kaiyuan",
        Kind.PROPERTY,
        "吴忠开元物业服务有限公司",
        ["shuofang"],
        ["紫御府小区", "开元世家"],
        "0953-2107788",
        contacts=[("田野", "物业经理", "13709377788")],
    ),
    OrgSpec(
        "property_chaoyang",
        Kind.PROPERTY,
        "利通区朝阳物业服务中心",
        ["zhonghua"],
        ["朝阳小区"],
        "0953-2103344",
        contacts=[("马成", "物业负责人", "13895383344")],
    ),
    OrgSpec(
        "repair_shunda",
        Kind.MERCHANT,
        "利通区顺达管道维修部",
        ["zhonghua", "minsheng"],
        phone="13995385566",
        contacts=[("冯顺达", "维修师傅", "13995385566")],
    ),
    OrgSpec(
        "police_shengli",
        Kind.POLICE,
        "胜利镇派出所",
        ["zhonghua", "minsheng"],
        phone="0953-2100110",
        contacts=[("马永刚", "社区民警", "13709380110")],
    ),
    OrgSpec(
        "social_linli",
        Kind.SOCIAL,
        "利通区邻里到家志愿服务队",
        ["minsheng"],
        phone="13519388899",
        contacts=[("马燕", "队长", "13519388899")],
    ),
    OrgSpec(
        "cobuild_cmb_wuzhong",
        Kind.CO_BUILDING,
        "招商银行吴忠分行",
        ["minsheng", "zhonghua"],
        phone="0953-2106666",
        contacts=[("李晓雯", "党建联络员", "13895386666")],
    ),
    OrgSpec(
        "pharmacy_minsheng",
        Kind.MERCHANT,
        "民生大药房",
        ["minsheng"],
        phone="0953-2109911",
        contacts=[("王芳", "药剂师", "13995389911")],
    ),
]

# Users: (username, name, role, title, is_head, scope keys)
STAFF = [
    ("luoyin", "罗银", "xihu", "社区党委书记", True),
    ("huangyaru", "黄雅茹", "jinyu", "社区党支部书记", True),
    ("zhaojing", "赵静", "jinyu", "社区居委会委员", False),
    ("tanyanhong", "谭彦红", "fenglinwan", "社区居委会副主任", False),
    ("lixin", "李欣", "fenglinwan", "社区党委书记", True),
    ("zhuziyunlong", "朱紫云龙", "jinyulanwan", "社区书记", True),
    ("xulili", "徐莉莉", "zhongqiangxiang", "社区党委书记", True),
    ("hanruili", "韩瑞丽", "yayuan", "社区党委书记", True),
    ("mayan_yayuan", "马艳", "yayuan", "社区居委会委员", False),
    ("yangxiulan", "杨秀兰", "yonghe", "社区党支部书记", True),
    ("zhangli_hhl", "张丽", "huanghelou", "社区党委书记", True),
    ("yangshan", "杨杉", "shuofang", "社区党支部书记", True),
    ("wangyangyang", "王洋洋", "zhonghua", "社区党委书记", True),
    ("denglei", "邓蕾", "minsheng", "社区党委书记", True),
    ("mahong", "马红", "minsheng", "社区综治专干", False),
]

# (username, name, community key, grid number, is grid head)
GRID_WORKERS = [
    ("mahaiyan", "马海燕", "xihu", 1),
    ("liuhongli", "刘红丽", "jinyu", 1),
    ("chenxia", "陈霞", "jinyu", 2),
    ("maxiaoyan", "马晓燕", "fenglinwan", 1),
    ("wangpeng", "王鹏", "fenglinwan", 2),
    ("sunyu", "孙玉", "jinyulanwan", 1),
    ("zhaoyun", "赵云", "zhongqiangxiang", 1),
    ("liminghui", "李明慧", "yayuan", 1),
    ("baijie", "白洁", "yonghe", 1),
    ("hujing", "胡静", "huanghelou", 1),
    ("majuan", "马娟", "shuofang", 1),
    ("jinxia", "金霞", "zhonghua", 1),
    # 纳小梅's grid (幸福里1—3号楼) holds the elderly she visits on the 5th (story 10).
    ("naxiaomei", "纳小梅", "minsheng", 5),
    ("huqiang", "虎强", "minsheng", 2),
]

# (username, name, title, street names)
STREET_ADMINS = [
    ("changcheng", "周振华", "长城中路街道党工委副书记", ["长城中路街道"]),
    ("shengli", "马文斌", "胜利镇党委副书记", ["胜利镇", "古城镇"]),
]

# (username, organization key, contact name)
ORG_USERS = [
    ("aohai_sunli", "property_aohai", "孙丽"),
    ("police_wangjianjun", "police_changcheng", "王建军"),
    ("lawyer_du", "legal_zhenghe", "杜明远"),
    ("mahuadong", "enforcement_mancheng", "马华东"),
    ("shunda", "repair_shunda", "冯顺达"),
]

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤纳虎海买"
GIVEN = [
    "建国",
    "建华",
    "志强",
    "秀英",
    "桂兰",
    "玉兰",
    "淑珍",
    "海燕",
    "丽娟",
    "志刚",
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
    "桂英",
    "文",
    "辉",
    "鹏",
    "华",
    "红",
    "玉梅",
    "春花",
    "晓东",
    "晓燕",
    "海涛",
    "永福",
    "福贵",
    "占山",
    "学军",
    "凤英",
    "金花",
    "子涵",
    "欣怡",
    "梓轩",
    "浩然",
    "雨桐",
    "佳怡",
    "宇航",
    "思远",
    "一诺",
    "若曦",
    "嘉怡",
    "俊杰",
    "天佑",
    "文博",
    "雅婷",
    "明轩",
    "梦琪",
    "立新",
]


def _phone(rng):
    return rng.choice(
        ["138", "139", "137", "135", "133", "132", "150", "151", "152", "180", "189"]
    ) + "".join(rng.choice("0123456789") for _ in range(8))


def _id_number(rng, area_code, born):
    body = f"{area_code[:6]}{born:%Y%m%d}{rng.randint(100, 999)}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


class World:
    """The records built, by natural key, for the story modules that follow."""

    def __init__(self):
        self.streets: dict[str, Street] = {}
        self.communities: dict[str, Community] = {}
        self.compounds: dict[tuple[str, str], Compound] = {}
        self.grids: dict[tuple[str, int], Grid] = {}
        self.people: dict[str, Resident] = {}
        self.organizations: dict[str, Organization] = {}
        self.users: dict[str, User] = {}

    def building(self, community, compound, name) -> Building:
        return Building.objects.get(compound=self.compounds[(community, compound)], name=name)

    def unit(self, community, compound, building, name) -> Unit:
        return Unit.objects.get(building=self.building(community, compound, building), name=name)

    def contact(self, org_key, name) -> OrganizationContact:
        return OrganizationContact.objects.get(organization=self.organizations[org_key], name=name)


@transaction.atomic
def build(stdout=None) -> World:
    world = World()
    rng = random.Random(20261122)
    for street_spec in STREETS:
        street, _ = Street.objects.get_or_create(
            code=street_spec.code,
            defaults={
                "name": street_spec.name,
                "district": street_spec.district,
                "kind": street_spec.kind,
            },
        )
        world.streets[street.name] = street
        for spec in street_spec.communities:
            _build_community(world, street, spec, rng)
    _build_people(world)
    _build_organizations(world)
    _build_users(world)
    _build_agreements(world)
    _build_presence_rules()
    return world


# The presence rule of each meeting form that needs one (configurable in the admin): who
# must be there before the convener may start, so that no meeting starts with nobody of
# the side it is about. A heart-to-heart talk has no rule.
PRESENCE_RULES = {
    # A dispute needs both parties (调解: 双方当事人到场).
    Form.ONSITE_MEDIATION: {"all_parties_required": True},
    Form.BUILDING_COUNCIL: {"required_roles": [R.RESIDENT]},
    Form.COURTYARD_COUNCIL: {"required_roles": [R.PROPERTY], "min_representatives": 2},
    Form.PARTY_MASS_COUNCIL: {"min_representatives": 2},
    Form.MONTHLY_COUNCIL: {"min_representatives": 3},
    Form.MERCHANT_ALLIANCE: {"required_roles": [R.MERCHANT], "min_representatives": 1},
    Form.PARTY_BUILDING_JOINT: {"required_roles": [R.CO_BUILDING]},
    Form.PROPERTY_JOINT: {"required_roles": [R.PROPERTY]},
    Form.CPPCC_CONSULTATION: {"required_roles": [R.CPPCC_NPC]},
}


def _build_presence_rules():
    for form, rule in PRESENCE_RULES.items():
        FormRule.objects.get_or_create(form=form, community=None, defaults=rule)


def _build_community(world, street, spec: CommunitySpec, rng):
    community, _ = Community.objects.get_or_create(
        area_code=spec.area_code,
        defaults={
            "street": street,
            "name": spec.name,
            "kind": spec.kind,
            "address": spec.address,
            "phone": spec.phone,
            "monthly_council_day": spec.council_day,
        },
    )
    world.communities[spec.key] = community
    buildings_in_order = []
    for compound_spec in spec.compounds:
        compound, _ = Compound.objects.get_or_create(
            community=community,
            name=compound_spec.name,
            defaults={
                "address": compound_spec.address or f"{spec.address}（{compound_spec.name}）",
                "is_old_compound": compound_spec.old,
                "built_year": compound_spec.built,
            },
        )
        world.compounds[(spec.key, compound.name)] = compound
        for building_name in compound_spec.buildings:
            building, _ = Building.objects.get_or_create(
                compound=compound, name=building_name, defaults={"floors": compound_spec.floors}
            )
            buildings_in_order.append((compound, building, compound_spec))
    grids = _build_grids(world, spec, community, buildings_in_order)
    geography.place(spec.key, community)
    if Household.objects.filter(community=community).exists():
        return
    _populate(community, buildings_in_order, grids, rng)


def _build_grids(world, spec, community, buildings_in_order):
    """Cut the community's buildings into contiguous grids; a grid that covers every
    building of a compound names the compound, otherwise it names its buildings."""
    count = spec.grids
    size = -(-len(buildings_in_order) // count)
    grid_of_building = {}
    for number in range(1, count + 1):
        chunk = buildings_in_order[(number - 1) * size : number * size]
        grid, created = Grid.objects.get_or_create(
            code=f"{spec.area_code}{number:03d}",
            defaults={"community": community, "name": f"第{number}网格"},
        )
        world.grids[(spec.key, number)] = grid
        by_compound = {}
        for compound, building, _ in chunk:
            by_compound.setdefault(compound, []).append(building)
            grid_of_building[building.pk] = grid
        if created:
            for compound, buildings in by_compound.items():
                if len(buildings) == compound.buildings.count():
                    grid.compounds.add(compound)
                else:
                    grid.buildings.add(*buildings)
    return grid_of_building


def _populate(community, buildings_in_order, grid_of_building, rng):
    """Households and residents of every unit, in bulk."""
    units = []
    for _compound, building, compound_spec in buildings_in_order:
        for number in range(1, compound_spec.units + 1):
            units.append(Unit(building=building, name=f"{number}单元"))
    Unit.objects.bulk_create(units, ignore_conflicts=True)
    units = list(
        Unit.objects.filter(building__compound__community=community).select_related(
            "building__compound"
        )
    )
    spec_of = {b.pk: s for _c, b, s in buildings_in_order}
    households = []
    for unit in units:
        compound_spec = spec_of[unit.building_id]
        for floor in range(1, compound_spec.floors + 1):
            for door in range(1, compound_spec.per_floor + 1):
                households.append(
                    Household(
                        community=community,
                        compound=unit.building.compound,
                        unit=unit,
                        room=f"{floor}{door:02d}",
                    )
                )
    Household.objects.bulk_create(households, batch_size=1000)
    households = list(
        Household.objects.filter(community=community).select_related("unit__building")
    )
    residents = []
    today = timezone.localdate()
    for household in households:
        # About one flat in eight stands empty or is let without registration.
        if rng.random() < 0.12:
            continue
        surname = rng.choice(SURNAMES)
        members = rng.choices([1, 2, 3, 4], weights=[14, 38, 30, 18])[0]
        for index in range(members):
            age = rng.randint(30, 88) if index == 0 else rng.randint(3, 75)
            born = date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
            surname_here = surname if index != 1 else rng.choice(SURNAMES)
            name = surname_here + rng.choice(GIVEN)
            alone = members == 1 and age >= 70
            residents.append(
                Resident(
                    community=community,
                    household=household,
                    grid=grid_of_building.get(household.unit.building_id),
                    name=name,
                    gender=rng.choice("fm"),
                    birth_date=born,
                    phone=_phone(rng) if age >= 16 else "",
                    id_number=_id_number(rng, community.area_code, born),
                    is_party_member=age >= 25 and rng.random() < 0.09,
                    is_representative=index == 0 and rng.random() < 0.03,
                    is_supervisor=index == 0 and rng.random() < 0.01,
                    is_elderly_alone=alone,
                    is_disabled=rng.random() < 0.012,
                    is_low_income=rng.random() < 0.02,
                    is_very_old=age >= 80,
                    volunteer_skills=rng.choice(
                        [
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "退休教师",
                            "退休医生",
                            "水电维修",
                            "书法",
                            "理发",
                        ]
                    )
                    if age >= 55
                    else "",
                )
            )
    Resident.objects.bulk_create(residents, batch_size=1000)


def _household_for(world, spec: PersonSpec) -> Household:
    unit = world.unit(spec.community, spec.compound, spec.building, spec.unit)
    household, _ = Household.objects.get_or_create(
        unit=unit,
        room=spec.room,
        defaults={
            "community": world.communities[spec.community],
            "compound": unit.building.compound,
        },
    )
    return household


TAG_FIELDS = {
    "party": "is_party_member",
    "representative": "is_representative",
    "supervisor": "is_supervisor",
    "elderly_alone": "is_elderly_alone",
    "disabled": "is_disabled",
    "low_income": "is_low_income",
    "very_old": "is_very_old",
}


def _build_people(world):
    for spec in PEOPLE:
        household = _household_for(world, spec)
        community = world.communities[spec.community]
        grid = (
            Grid.objects.filter(buildings=household.unit.building).first()
            or Grid.objects.filter(compounds=household.compound).first()
        )
        resident, created = Resident.objects.get_or_create(
            household=household,
            name=spec.name,
            phone=spec.phone,
            defaults={
                "community": community,
                "grid": grid,
                "gender": spec.gender,
                "birth_date": spec.born,
                "volunteer_skills": spec.skills,
                **{TAG_FIELDS[tag]: True for tag in spec.tags},
            },
        )
        if created and "elderly_alone" in spec.tags:
            # Living alone: the generated neighbours registered in this flat make way.
            Resident.objects.filter(household=household).exclude(pk=resident.pk).delete()
        world.people[spec.key] = resident
    # Building and unit heads, party group leaders (the 1+2+N model), chosen in one pass.
    communities = list(world.communities.values())
    leaders, building_heads, unit_heads = {}, {}, {}
    rows = (
        Resident.objects.filter(community__in=communities, household__unit__isnull=False)
        .order_by("pk")
        .values_list(
            "pk",
            "grid_id",
            "is_party_member",
            "birth_date",
            "household__unit_id",
            "household__unit__building_id",
        )
    )
    for pk, grid_id, party, born, unit_id, building_id in rows:
        if party and grid_id:
            leaders.setdefault(grid_id, pk)
        building_heads.setdefault(building_id, pk)
        if born and born < date(1975, 1, 1):
            unit_heads.setdefault(unit_id, pk)
    grids = list(Grid.objects.filter(community__in=communities, party_leader__isnull=True))
    for grid in grids:
        grid.party_leader_id = leaders.get(grid.pk)
    Grid.objects.bulk_update(grids, ["party_leader"])
    buildings = list(
        Building.objects.filter(compound__community__in=communities, head__isnull=True)
    )
    for building in buildings:
        building.head_id = building_heads.get(building.pk)
    Building.objects.bulk_update(buildings, ["head"], batch_size=500)
    units = list(
        Unit.objects.filter(building__compound__community__in=communities, head__isnull=True)
    )
    for unit in units:
        unit.head_id = unit_heads.get(unit.pk)
    Unit.objects.bulk_update(units, ["head"], batch_size=500)


def _build_organizations(world):
    for spec in ORGANIZATIONS:
        org, created = Organization.objects.get_or_create(
            kind=spec.kind,
            name=spec.name,
            defaults={"phone": spec.phone, "address": spec.address},
        )
        if created:
            org.communities.set([world.communities[key] for key in spec.communities])
            org.compounds.set(
                [
                    compound
                    for (community_key, name), compound in world.compounds.items()
                    if name in spec.compounds and community_key in spec.communities
                ]
            )
        for name, position, phone in spec.contacts:
            OrganizationContact.objects.get_or_create(
                organization=org, name=name, defaults={"position": position, "phone": phone}
            )
        world.organizations[spec.key] = org
    # Shop fronts of the merchants in their compounds and lanes.
    shops = [
        ("yayuan", "景墨家园B区", "merchant_majia", "老马家羊杂碎", "双福巷3号", "餐饮"),
        ("yayuan", "景墨家园B区", "merchant_chuanwei", "川味小厨", "双福巷5号", "餐饮"),
        ("yayuan", "景墨家园B区", "merchant_huiwei", "回味牛肉面", "双福巷7号", "餐饮"),
        ("yayuan", "景墨家园B区", "merchant_liji", "李记烧烤", "双福巷9号", "餐饮"),
        ("yayuan", "景墨家园B区", "merchant_jufu", "聚福源餐馆", "双福巷11号", "餐饮"),
        ("shuofang", "紫御府小区", "merchant_xinyuan", "鑫源火锅店", "紫御府小区3号楼底商", "餐饮"),
        ("minsheng", "民生家园", "pharmacy_minsheng", "民生大药房", "民生街60号", "药店"),
    ]
    for community_key, compound_name, org_key, name, address, business in shops:
        Shop.objects.get_or_create(
            community=world.communities[community_key],
            name=name,
            defaults={
                "compound": world.compounds[(community_key, compound_name)],
                "merchant": world.organizations[org_key],
                "address": address,
                "business": business,
            },
        )


@functools.cache
def _demo_password_hash():
    # Hashing is slow on purpose; every demo user shares the one password.
    return make_password(DEMO_PASSWORD)


def _user(username, name, role, **fields):
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, name=name, role=role, **fields)
        user.password = _demo_password_hash()
        user.email = f"{username}@demo.yishi.local"
        user.save()
    return user


def _build_users(world):
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = _user(
            "admin",
            "系统管理员",
            Role.STREET_ADMIN,
            title="区民政局",
            is_staff=True,
            is_superuser=True,
        )
        admin.streets.set(world.streets.values())
    world.users["admin"] = admin
    for username, name, title, streets in STREET_ADMINS:
        user = _user(username, name, Role.STREET_ADMIN, title=title, is_head=True)
        user.streets.set([world.streets[s] for s in streets])
        world.users[username] = user
    for username, name, community_key, title, head in STAFF:
        user = _user(username, name, Role.STAFF, title=title, is_head=head)
        user.communities.set([world.communities[community_key]])
        world.users[username] = user
    for username, name, community_key, grid_number in GRID_WORKERS:
        user = _user(
            username,
            name,
            Role.GRID_WORKER,
            title="专职网格员（网格长）",
            is_head=True,
            phone=f"1370951{len(username):02d}{grid_number:02d}",
        )
        user.grids.set([world.grids[(community_key, grid_number)]])
        world.users[username] = user
    for spec in PEOPLE:
        if spec.username:
            user = _user(
                spec.username,
                spec.name,
                Role.RESIDENT,
                resident=world.people[spec.key],
                phone=spec.phone,
            )
            world.users[spec.username] = user
    for username, org_key, contact_name in ORG_USERS:
        contact = world.contact(org_key, contact_name)
        user = _user(
            username,
            contact_name,
            Role.ORG_CONTACT,
            organization=world.organizations[org_key],
            contact=contact,
            title=contact.position,
            phone=contact.phone,
        )
        world.users[username] = user


def _build_agreements(world):
    """Co-building agreements with their three lists (一书三单)."""
    agreements = [
        (
            "cobuild_bank_yongning",
            "yonghe",
            "永和社区与中国银行永宁支行共驻共建协议书",
            date(timezone.localdate().year, 3, 15),
            {
                AgreementEntry.ListKind.RESOURCE: [
                    "金融知识宣讲团（6人）",
                    "支行党员志愿者每月服务半天",
                    "会议室可借用",
                ],
                AgreementEntry.ListKind.NEED: [
                    "老年人防诈骗宣传",
                    "小区广场照明改造资金",
                    "空巢老人助餐志愿者",
                ],
                AgreementEntry.ListKind.PROJECT: [
                    "“守护钱袋子”防诈骗讲座（每季度）",
                    "百姓畅言亭照明改造",
                    "助餐点周三志愿服务",
                ],
            },
        ),
        (
            "cobuild_cmb_wuzhong",
            "minsheng",
            "民生社区与招商银行吴忠分行党建共建协议书",
            date(timezone.localdate().year, 4, 10),
            {
                AgreementEntry.ListKind.RESOURCE: [
                    "党员志愿者20名",
                    "爱心捐赠物资",
                    "“低碳达人”环保宣传品",
                ],
                AgreementEntry.ListKind.NEED: [
                    "独居老人送医送药",
                    "特殊群体免费理发",
                    "楼道废旧物品清理宣传",
                ],
                AgreementEntry.ListKind.PROJECT: [
                    "每月5号随网格员走访独居老人",
                    "垃圾分类入户宣传",
                    "重阳节敬老活动",
                ],
            },
        ),
    ]
    this_year = timezone.localdate().year
    done, under_way = AgreementEntry.Status.DONE, AgreementEntry.Status.IN_PROGRESS
    agreements += [
        (
            "cobuild_housing_yinchuan",
            "xihu",
            "西湖社区与银川市住房保障中心党建共建协议书",
            date(this_year, 2, 16),
            {
                AgreementEntry.ListKind.RESOURCE: [
                    ("住房保障政策宣讲员3名", done),
                    ("在职党员“双报到”志愿者15名", under_way),
                ],
                AgreementEntry.ListKind.NEED: [
                    ("西湖苑村改居居民住房保障政策咨询", done),
                    ("西湖苑二期公共设施维修", under_way),
                ],
                AgreementEntry.ListKind.PROJECT: [
                    ("住房保障政策每季度进社区", under_way),
                    ("协调西湖苑二期楼道照明和单元门维修", done),
                    ("在职党员认领居民“微心愿”", under_way),
                ],
            },
        ),
        (
            "cobuild_huanghe_bank",
            "xihu",
            "西湖社区与宁夏黄河农村商业银行贺兰山中路支行共建协议书",
            date(this_year, 2, 16),
            {
                AgreementEntry.ListKind.RESOURCE: [
                    ("低保户家庭爱心包裹", done),
                    ("金融知识宣讲志愿者", under_way),
                ],
                AgreementEntry.ListKind.NEED: [
                    ("失地农民、失业人员及创业青年、妇女的绿色信用贷款", under_way),
                    ("微型党建服务角的饮水机和微波炉", done),
                ],
                AgreementEntry.ListKind.PROJECT: [
                    ("为新就业群体打造微型党建服务角（饮水、如厕、歇脚、餐食加热）", done),
                    ("绿色信用贷款进社区，每月第二个周三现场受理", under_way),
                    ("老年人防范电信诈骗讲座（每季度）", "open"),
                ],
            },
        ),
    ]
    for org_key, community_key, title, signed, lists in agreements:
        agreement, created = CoBuildingAgreement.objects.get_or_create(
            organization=world.organizations[org_key],
            community=world.communities[community_key],
            title=title,
            defaults={
                "signed_on": signed,
                "valid_until": date(signed.year + 1, signed.month, signed.day),
                "text": "双方本着“资源共享、优势互补、共驻共建、共同发展”的原则，签订本协议。",
            },
        )
        if created:
            AgreementEntry.objects.bulk_create(
                [
                    AgreementEntry(
                        agreement=agreement,
                        list_kind=kind,
                        description=entry if isinstance(entry, str) else entry[0],
                        status=AgreementEntry.Status.OPEN if isinstance(entry, str) else entry[1],
                    )
                    for kind, entries in lists.items()
                    for entry in entries
                ]
            )
