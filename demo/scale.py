"""A district at scale for benchmarks: streets, communities, grids, residents, two years of
issues with their timelines, meetings with participants and agenda items, resolutions with
action items (some overdue), evaluations and revisits, and one user of every role to log in
as (`bench-<role>`, password BENCH_PASSWORD).

Built with bulk inserts through the models, in batches, in one transaction; the random
generator is seeded so the same size and seed build the same district."""

import math
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Role, User
from communities.models import (
    Building,
    Community,
    Compound,
    Grid,
    Household,
    Organization,
    OrganizationContact,
    Resident,
    Street,
    Unit,
)
from core.models import AuditEntry
from issues.models import (
    Category,
    Channel,
    DeliberationLevel,
    EscalationMode,
    Handling,
    HotlineType,
    Issue,
    Kind,
    Status,
    Urgency,
)
from meetings.models import AgendaItem, Form, Meeting, Opinion, Participant, ParticipantRole
from notifications.models import Notification
from resolutions.models import ActionItem, Evaluation, ProgressUpdate, Resolution, Revisit

BENCH_PASSWORD = "Yishi-bench-2026"
BATCH = 5000

FULL = {
    "streets": 10,
    "communities": 100,
    "grids": 1000,
    "residents": 300_000,
    "issues": 200_000,
    "meetings": 20_000,
    "action_items": 60_000,
}
MINIMUM = {
    "streets": 1,
    "communities": 2,
    "grids": 4,
    "residents": 200,
    "issues": 100,
    "meetings": 10,
    "action_items": 30,
}
SIZES = {"full": 1.0, "medium": 0.1, "small": 0.01, "tiny": 0.001}

CATEGORIES = [
    # code (the categories seeded by issues' data migration), weight
    ("drainage", 9),
    ("tree_trimming", 5),
    ("fire_lane", 8),
    ("parking", 14),
    ("ground_locks", 4),
    ("noise", 7),
    ("stairwell_clutter", 9),
    ("charging", 5),
    ("elevator", 3),
    ("renovation", 5),
    ("property_service", 14),
    ("neighbour_dispute", 7),
    ("family_dispute", 2),
    ("special_need", 6),
    ("other", 2),
]
CHANNELS = [
    (Channel.GRID_PATROL, 30),
    (Channel.VISIT, 14),
    (Channel.WALK_IN, 12),
    (Channel.PHONE, 10),
    (Channel.HOTLINE, 15),
    (Channel.ONLINE, 12),
    (Channel.ON_SITE, 4),
    (Channel.CPPCC_NPC, 1),
    (Channel.MEETING, 2),
]
FORMS = [
    (Form.BUILDING_COUNCIL, 30),
    (Form.COURTYARD_COUNCIL, 25),
    (Form.PARTY_MASS_COUNCIL, 10),
    (Form.ONSITE_MEDIATION, 12),
    (Form.MERCHANT_ALLIANCE, 3),
    (Form.PARTY_BUILDING_JOINT, 4),
    (Form.PROPERTY_JOINT, 8),
    (Form.CPPCC_CONSULTATION, 1),
    (Form.HEART_TO_HEART, 2),
    (Form.MONTHLY_COUNCIL, 5),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华玉兰志强海燕红梅文斌淑珍德明晓东丽娟春梅宏伟慧敏"
PLACES = "金凤兴庆西夏永宁贺兰灵武枫林朔方民生中华雅苑金宇长城丽景正源北京宝湖满春"
TITLES = {
    "drainage": ["厨房下水管堵塞", "化粪池外溢", "小区积水", "雨水管破裂"],
    "tree_trimming": ["树木遮挡采光", "枯枝存在坠落隐患"],
    "fire_lane": ["车辆乱停占用消防通道", "消防通道堆放杂物"],
    "parking": ["外来车辆占用车位", "小区停车位不足", "车辆乱停堵塞出入口"],
    "ground_locks": ["私装地锁占用公共车位", "地锁损坏绊倒行人"],
    "noise": ["楼上噪音扰民", "广场舞噪音", "商户风机噪音", "夜间装修噪音"],
    "stairwell_clutter": ["楼道堆放纸箱", "楼道堆放杂物影响通行"],
    "charging": ["飞线充电", "电动车充电桩不足"],
    "elevator": ["加装电梯意见征集", "加装电梯费用分摊"],
    "renovation": ["屋面防水改造", "老旧小区管网改造"],
    "property_service": ["物业服务不到位", "电梯经常故障", "门禁损坏"],
    "neighbour_dispute": ["楼上漏水渗到楼下", "邻里占用公共空间", "宠物扰邻"],
    "family_dispute": ["赡养老人纠纷", "家庭财产纠纷"],
    "special_need": ["独居老人需要送药", "高龄老人就医陪护", "残疾人出行困难"],
    "other": ["居民咨询政策", "其他事项"],
}


@dataclass
class Plan:
    streets: int
    communities: int
    grids: int
    residents: int
    issues: int
    meetings: int
    action_items: int

    @classmethod
    def for_size(cls, size):
        """`size` is full, medium, small, tiny or a factor of the full size (0.05)."""
        factor = SIZES.get(str(size).lower())
        if factor is None:
            try:
                factor = float(size)
            except (TypeError, ValueError):
                raise ValueError(
                    f"Unknown size {size!r}: use full, medium, small, tiny or a factor."
                ) from None
        if not 0 < factor <= 10:
            raise ValueError("The size factor must be above 0 and at most 10.")
        counts = {key: max(MINIMUM[key], round(value * factor)) for key, value in FULL.items()}
        counts["communities"] = max(counts["communities"], counts["streets"])
        counts["grids"] = max(counts["grids"], counts["communities"])
        return cls(**counts)


def database_is_empty():
    return not (Community.objects.exists() or Issue.objects.exists() or Resident.objects.exists())


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return lambda: rng.choices(values, weights)[0]


def _midnight(day):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


@contextmanager
def _keep_given_dates(*models):
    """Let bulk_create store the historical created_at/updated_at the seed sets instead
    of now (auto_now/auto_now_add would overwrite them)."""
    saved = []
    for model in models:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class Builder:
    def __init__(self, plan, *, seed=1, log=None):
        self.plan = plan
        self.rng = random.Random(seed)
        self.log = log or (lambda message: None)
        self.now = timezone.now().replace(microsecond=0)
        self.today = timezone.localdate()
        self.timings = {}
        self.counts = {}

    # ---- helpers -------------------------------------------------------------------

    def _bulk(self, model, objects):
        created = []
        for start in range(0, len(objects), BATCH):
            created.extend(model.objects.bulk_create(objects[start : start + BATCH]))
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + len(objects)
        return created

    def _phase(self, name, function):
        started = time.monotonic()
        function()
        self.timings[name] = time.monotonic() - started
        self.log(f"{name}: {self.timings[name]:.1f} s")

    def _name(self):
        rng = self.rng
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        return rng.choice(SURNAMES) + given

    def _phone(self):
        return f"1{self.rng.choice('3589')}{self.rng.randrange(10**9):09d}"

    def _past(self, days=730, skew=0.8):
        """A moment in the last `days` days, more of them recent (activity grows)."""
        return self.now - timedelta(seconds=int(days * 86400 * (self.rng.random() ** skew)))

    # ---- the build -----------------------------------------------------------------

    def build(self):
        if connection.vendor != "postgresql":
            raise RuntimeError("seed_scale runs on PostgreSQL only.")
        started = time.monotonic()
        with transaction.atomic():
            self._phase("places", self._places)
            self._phase("people", self._people)
            self._phase("users", self._users)
            self._phase("issues", self._issues)
            self._phase("timelines", self._timelines)
            self._phase("meetings", self._meetings)
            self._phase("resolutions", self._resolutions)
            self._phase("evaluations", self._evaluations)
        self._phase("analyze", self._analyze)
        # The stored figures the monthly task would have left for each past month.
        self._phase("report snapshots", self._snapshots)
        self.timings["total"] = time.monotonic() - started
        return self

    def _places(self):
        plan, rng = self.plan, self.rng
        # Each run gets its own codes (65RR…), so --force adds a second district beside.
        used = {
            code[2:4]
            for code in Street.objects.filter(code__startswith="65").values_list("code", flat=True)
        }
        run = next(n for n in range(1, 100) if f"{n:02d}" not in used)
        self.run = run
        self.prefix = f"s{run}-"
        self.categories = []
        seeded = Category.objects.in_bulk([code for code, _ in CATEGORIES], field_name="code")
        for code, weight in CATEGORIES:
            category = seeded[code]
            category.weight, category.key = weight, code
            self.categories.append(category)

        streets = self._bulk(
            Street,
            [
                Street(
                    name=f"{PLACES[s % len(PLACES)]}{s + 1}街道",
                    district="银川市金凤区",
                    code=f"65{run:02d}{s:03d}00000",
                )
                for s in range(plan.streets)
            ],
        )
        communities = self._bulk(
            Community,
            [
                Community(
                    street=streets[c % plan.streets],
                    name=f"{PLACES[c % len(PLACES)]}{c + 1}社区",
                    area_code=f"{streets[c % plan.streets].code[:7]}{c:03d}00",
                    address=f"{PLACES[c % len(PLACES)]}路{c + 1}号",
                    monthly_council_day=rng.choice([None, None, 8, 15, 20]),
                )
                for c in range(plan.communities)
            ],
        )
        self.streets, self.communities = streets, communities
        per_community_grids = [plan.grids // plan.communities] * plan.communities
        for c in range(plan.grids % plan.communities):
            per_community_grids[c] += 1
        households_each = max(1, round(plan.residents / 2.5 / plan.communities))

        compounds, compound_community = [], []
        for c, community in enumerate(communities):
            n = min(5, max(1, households_each // 200 + 1))
            for k in range(n):
                compounds.append(
                    Compound(
                        community=community,
                        name=f"{PLACES[(c + k) % len(PLACES)]}园{k + 1}区",
                        built_year=rng.randint(1985, 2020),
                        is_old_compound=rng.random() < 0.3,
                    )
                )
                compound_community.append(c)
        compounds = self._bulk(Compound, compounds)

        grids = []
        self.grids_of = {c: [] for c in range(plan.communities)}
        for c, community in enumerate(communities):
            for g in range(per_community_grids[c]):
                grids.append(
                    Grid(
                        community=community,
                        name=f"第{g + 1}网格",
                        code=f"{community.area_code}{g + 1:03d}",
                    )
                )
        grids = self._bulk(Grid, grids)
        for grid in grids:
            self.grids_of[communities.index(grid.community)].append(grid)
        self.grids = grids

        # Buildings (2 units × 6 floors × 2 rooms = 24 households) up to the households
        # each compound needs; each building belongs to one grid of its community.
        buildings, building_grid = [], []
        compounds_of = {}
        for compound, c in zip(compounds, compound_community, strict=True):
            compounds_of.setdefault(c, []).append(compound)
        for c, community_compounds in compounds_of.items():
            per_compound = math.ceil(households_each / len(community_compounds))
            index = 0
            for compound in community_compounds:
                for b in range(max(1, math.ceil(per_compound / 24))):
                    buildings.append(Building(compound=compound, name=f"{b + 1}号楼", floors=6))
                    building_grid.append(self.grids_of[c][index % len(self.grids_of[c])])
                    index += 1
        buildings = self._bulk(Building, buildings)
        grid_buildings = Grid.buildings.through
        grid_compounds = Grid.compounds.through
        self._bulk(
            grid_buildings,
            [
                grid_buildings(grid_id=grid.pk, building_id=building.pk)
                for building, grid in zip(buildings, building_grid, strict=True)
            ],
        )
        pairs = {
            (grid.pk, building.compound_id)
            for building, grid in zip(buildings, building_grid, strict=True)
        }
        self._bulk(grid_compounds, [grid_compounds(grid_id=g, compound_id=k) for g, k in pairs])
        units = self._bulk(
            Unit,
            [Unit(building=b, name=f"{u + 1}单元") for b in buildings for u in range(2)],
        )
        grid_of_building = {b.pk: g for b, g in zip(buildings, building_grid, strict=True)}
        compound_by_pk = {k.pk: k for k in compounds}
        households, self.household_grid = [], []
        made = dict.fromkeys(range(plan.communities), 0)
        index_of = {community.pk: c for c, community in enumerate(communities)}
        self.index_of = index_of
        for unit in units:
            building = unit.building
            compound = compound_by_pk[building.compound_id]
            c = index_of[compound.community_id]
            for floor in range(1, 7):
                for room in (1, 2):
                    if made[c] >= households_each:
                        break
                    made[c] += 1
                    households.append(
                        Household(
                            community_id=compound.community_id,
                            compound=compound,
                            unit=unit,
                            room=f"{floor}0{room}",
                        )
                    )
                    self.household_grid.append(grid_of_building[building.pk])
        self.households = self._bulk(Household, households)
        self.compounds, self.buildings, self.units = compounds, buildings, units
        self.compounds_of = compounds_of
        self.building_grid = dict(zip((b.pk for b in buildings), building_grid, strict=True))

    def _people(self):
        plan, rng = self.plan, self.rng
        residents = []
        households = self.households
        per_household = plan.residents / len(households)
        for i in range(plan.residents):
            household = households[min(len(households) - 1, int(i / per_household))]
            grid = self.household_grid[min(len(households) - 1, int(i / per_household))]
            age = rng.randint(1, 95)
            born = self.today.replace(year=self.today.year - age, month=1, day=1) + timedelta(
                days=rng.randrange(365)
            )
            created = self._past(900, 0.5)
            residents.append(
                Resident(
                    community_id=household.community_id,
                    household=household,
                    grid=grid,
                    name=self._name(),
                    gender=rng.choice("fm"),
                    birth_date=born,
                    phone=self._phone() if age >= 16 and rng.random() < 0.8 else "",
                    is_party_member=age >= 18 and rng.random() < 0.08,
                    is_representative=age >= 18 and rng.random() < 0.02,
                    is_supervisor=age >= 18 and rng.random() < 0.005,
                    is_elderly_alone=age >= 65 and rng.random() < 0.15,
                    is_disabled=rng.random() < 0.02,
                    is_low_income=rng.random() < 0.03,
                    is_very_old=age >= 80,
                    volunteer_skills=rng.choice(["", "", "", "", "", "退休医生", "水电维修"]),
                    created_at=created,
                    updated_at=created,
                )
            )
        with _keep_given_dates(Resident):
            self.residents = self._bulk(Resident, residents)
        self.residents_of = {c: [] for c in range(plan.communities)}
        self.representatives_of = {c: [] for c in range(plan.communities)}
        for resident in self.residents:
            c = self.index_of[resident.community_id]
            if resident.birth_date.year <= self.today.year - 18:
                self.residents_of[c].append(resident.pk)
            if resident.is_representative or resident.is_supervisor:
                self.representatives_of[c].append(resident.pk)
        for c in range(plan.communities):
            if not self.representatives_of[c]:
                self.representatives_of[c] = self.residents_of[c][:5]

        organizations = []
        for community in self.communities:
            organizations.append(
                Organization(
                    kind=Organization.Kind.PROPERTY,
                    name=f"{self.prefix}{community.name}物业服务有限公司",
                    phone=self._phone(),
                )
            )
        for street in self.streets:
            for kind, suffix in (
                (Organization.Kind.POLICE, "派出所"),
                (Organization.Kind.LAW_ENFORCEMENT, "综合执法中队"),
                (Organization.Kind.LEGAL, "法律服务所"),
                (Organization.Kind.GOVERNMENT, "住建局"),
                (Organization.Kind.MERCHANT, "商户联盟"),
            ):
                organizations.append(
                    Organization(kind=kind, name=f"{self.prefix}{street.name}{suffix}")
                )
        organizations = self._bulk(Organization, organizations)
        through = Organization.communities.through
        links = []
        n = plan.communities
        for o, organization in enumerate(organizations):
            if o < n:
                links.append(
                    through(organization_id=organization.pk, community_id=self.communities[o].pk)
                )
            else:
                s = (o - n) // 5
                links.extend(
                    through(organization_id=organization.pk, community_id=community.pk)
                    for community in self.communities
                    if community.street_id == self.streets[s].pk
                )
        self._bulk(through, links)
        self.property_of = {c: organizations[c] for c in range(n)}
        self.departments_of = {
            s: organizations[n + 5 * s : n + 5 * s + 5] for s in range(plan.streets)
        }
        self.street_index = {street.pk: s for s, street in enumerate(self.streets)}
        self.contacts = self._bulk(
            OrganizationContact,
            [
                OrganizationContact(
                    organization=organization,
                    name=self._name(),
                    position="经理" if o < n else "联络员",
                    phone=self._phone(),
                )
                for o, organization in enumerate(organizations)
            ],
        )
        self.contact_of = {c.organization_id: c for c in self.contacts}

    def _users(self):
        plan, rng = self.plan, self.rng
        password = make_password(BENCH_PASSWORD)
        users, scope = [], []
        prefix = self.prefix

        def add(username, role, target=None, **extra):
            users.append(
                User(
                    username=username,
                    password=password,
                    role=role,
                    name=extra.pop("name", None) or self._name(),
                    email=f"{username}@bench.invalid",
                    **extra,
                )
            )
            scope.append(target)

        for s, street in enumerate(self.streets):
            add(f"{prefix}street{s + 1}", Role.STREET_ADMIN, ("streets", street.pk))
        for c, community in enumerate(self.communities):
            for k in range(3):
                add(
                    f"{prefix}c{c + 1}-staff{k + 1}",
                    Role.STAFF,
                    ("communities", community.pk),
                    is_head=k == 0,
                    title="社区党委书记" if k == 0 else "社区工作者",
                )
        for grid in self.grids:
            add(f"{prefix}g{grid.code}", Role.GRID_WORKER, ("grids", grid.pk), title="网格长")
        for c in range(plan.communities):
            property_company = self.property_of[c]
            contact = self.contact_of[property_company.pk]
            add(
                f"{prefix}c{c + 1}-property",
                Role.ORG_CONTACT,
                None,
                organization=property_company,
                contact=contact,
                name=contact.name,
            )
        # One resident in a hundred has an account.
        for resident in rng.sample(self.residents, max(1, len(self.residents) // 100)):
            add(
                f"{prefix}r{resident.pk}",
                Role.RESIDENT,
                None,
                resident=resident,
                name=resident.name,
            )
        users = self._bulk(User, users)
        through = {
            "streets": User.streets.through,
            "communities": User.communities.through,
            "grids": User.grids.through,
        }
        rows = {key: [] for key in through}
        for user, target in zip(users, scope, strict=True):
            if target:
                key, pk = target
                field = {"streets": "street_id", "communities": "community_id", "grids": "grid_id"}
                rows[key].append(through[key](user_id=user.pk, **{field[key]: pk}))
        for key, objects in rows.items():
            self._bulk(through[key], objects)
        self.staff_of = {c: [] for c in range(plan.communities)}
        self.worker_of = {}
        for user, target in zip(users, scope, strict=True):
            if target and target[0] == "communities":
                self.staff_of[self.index_of[target[1]]].append(user)
            elif target and target[0] == "grids":
                self.worker_of[target[1]] = user
        self.users = users
        self.resident_users = {u.resident_id: u for u in users if u.role == Role.RESIDENT}

    def _bench_users(self):
        """`bench-<role>` users scoped to the first street, its first community and grid."""
        street, community = self.streets[0], self.communities[0]
        grid = self.grids_of[0][0]
        resident_pk = self.bench_resident_pk
        contact = self.contact_of[self.property_of[0].pk]
        specs = {
            Role.STREET_ADMIN: {},
            Role.STAFF: {"is_head": True},
            Role.GRID_WORKER: {},
            Role.RESIDENT: {"resident_id": resident_pk},
            Role.ORG_CONTACT: {"organization_id": contact.organization_id, "contact_id": None},
        }
        self.bench = {}
        password = make_password(BENCH_PASSWORD)
        for role, extra in specs.items():
            username = f"bench-{role.replace('_', '-')}"
            User.objects.filter(username=username).update(resident=None, contact=None)
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={
                    "role": role,
                    "name": f"压测{role.label}",
                    "email": f"{username}@bench.invalid",
                    "password": password,
                    "is_active": True,
                    **extra,
                },
            )
            user.streets.set([street] if role == Role.STREET_ADMIN else [])
            user.communities.set([community] if role == Role.STAFF else [])
            user.grids.set([grid] if role == Role.GRID_WORKER else [])
            self.bench[role] = user

    def _issues(self):
        plan, rng = self.plan, self.rng
        channel = _weighted(rng, CHANNELS)
        category = _weighted(rng, [(c, c.weight) for c in self.categories])
        # The benchmark resident reports many issues, as the busiest residents do.
        self.bench_resident_pk = self.residents_of[0][0]
        issues = []
        for i in range(plan.issues):
            c = rng.randrange(plan.communities)
            community = self.communities[c]
            grids = self.grids_of[c]
            grid = rng.choice(grids)
            chosen = category()
            kind = chosen.default_kind
            if kind == Kind.PUBLIC and rng.random() < 0.04:
                kind = Kind.SPECIAL_NEED
            reported = self._past()
            age = (self.now - reported).days
            the_channel = channel()
            urgency = rng.choices(
                [Urgency.NORMAL, Urgency.URGENT, Urgency.VERY_URGENT], [85, 12, 3]
            )[0]
            status = self._status(age)
            issue = Issue(
                community=community,
                grid=grid,
                compound=rng.choice(self.compounds_of[c]),
                channel=the_channel,
                category=chosen,
                kind=kind,
                urgency=urgency,
                title=rng.choice(TITLES[chosen.key]),
                description=f"{rng.choice(TITLES[chosen.key])}，居民反映已持续一段时间，希望尽快解决。",
                status=status,
                reported_at=reported,
                accept_deadline=reported + timedelta(hours=24),
                created_at=reported,
                updated_at=reported,
            )
            if the_channel == Channel.HOTLINE:
                issue.hotline_ticket = f"12345-{reported:%Y%m%d}-{i:06d}"
                issue.hotline_type = rng.choice(HotlineType.values)
                issue.hotline_answer_by = reported + timedelta(days=5)
            roll = rng.random()
            if c == 0 and rng.random() < 0.02:
                issue.reporter_resident_id = self.bench_resident_pk
            elif roll < 0.75:
                issue.reporter_resident_id = rng.choice(self.residents_of[c])
            elif roll < 0.82:
                issue.reporter_organization = self.property_of[c]
            elif roll < 0.92:
                issue.reporter_name, issue.reporter_phone = self._name(), self._phone()
            else:
                issue.is_anonymous = True
            staff = self.staff_of[c]
            issue.created_by = rng.choice(staff)
            self._progress(issue, status, reported, grid)
            issues.append(issue)
        issues.sort(key=lambda issue: issue.reported_at)
        with _keep_given_dates(Issue):
            self.issues = self._bulk(Issue, issues)
        # Merged issues point at an earlier open-or-closed issue of the same community.
        earlier = {}
        merged = []
        for issue in self.issues:
            c = self.index_of[issue.community_id]
            if issue.status == Status.MERGED and c in earlier:
                issue.merged_into_id = earlier[c]
                merged.append(issue)
            elif issue.status != Status.MERGED:
                earlier[c] = issue.pk
        for start in range(0, len(merged), BATCH):
            Issue.objects.bulk_update(merged[start : start + BATCH], ["merged_into"])
        orphans = [i for i in self.issues if i.status == Status.MERGED and not i.merged_into_id]
        for issue in orphans:
            issue.status = Status.REJECTED
        if orphans:
            Issue.objects.bulk_update(orphans, ["status"])
        self._bench_users()

    def _status(self, age):
        rng = self.rng
        if rng.random() < 0.03:
            return Status.MERGED
        if rng.random() < 0.03:
            return Status.REJECTED
        # No issue rests at 已形成决议 (resolved): it is resolved only by adopting a
        # resolution, which starts its execution at once (resolutions' services).
        if age > 60:
            table = [
                (Status.CLOSED, 90),
                (Status.DEFERRED, 2),
                (Status.EXECUTING, 3),
                (Status.AWAITING_EVALUATION, 2),
                (Status.ESCALATED, 1),
                (Status.IN_DELIBERATION, 2),
            ]
        elif age > 14:
            table = [
                (Status.CLOSED, 55),
                (Status.EXECUTING, 15),
                (Status.AWAITING_EVALUATION, 8),
                (Status.TO_DELIBERATE, 5),
                (Status.IN_DELIBERATION, 7),
                (Status.ESCALATED, 4),
                (Status.DEFERRED, 3),
                (Status.ACCEPTED, 3),
            ]
        else:
            table = [
                (Status.REPORTED, 25),
                (Status.ACCEPTED, 25),
                (Status.TO_DELIBERATE, 10),
                (Status.IN_DELIBERATION, 8),
                (Status.EXECUTING, 10),
                (Status.ESCALATED, 5),
                (Status.CLOSED, 17),
            ]
        return _weighted(rng, table)()

    def _progress(self, issue, status, reported, grid):
        rng = self.rng
        if status in (Status.REPORTED, Status.REJECTED, Status.MERGED):
            return
        accepted = reported + timedelta(minutes=rng.randint(10, 60 * 30))
        issue.accepted_at = min(accepted, self.now)
        issue.assignee = self.worker_of.get(grid.pk)
        limit = timedelta(days=rng.choice([3, 5, 7, 15, 30]))
        issue.handle_deadline = issue.accepted_at + limit
        if status in (Status.TO_DELIBERATE, Status.IN_DELIBERATION):
            handling = Handling.DELIBERATION
        elif status == Status.ESCALATED:
            handling = Handling.ESCALATED
        elif status == Status.ACCEPTED:
            return
        else:
            handling = rng.choices(
                [Handling.ON_SPOT, Handling.DELIBERATION, Handling.ESCALATED], [55, 35, 10]
            )[0]
        issue.handling = handling
        if handling == Handling.DELIBERATION:
            issue.deliberation_level = rng.choices(DeliberationLevel.values, [50, 35, 15])[0]
        elif handling == Handling.ESCALATED:
            issue.escalation_mode = rng.choice(EscalationMode.values)
        if status == Status.DEFERRED:
            issue.status_before_deferral = Status.EXECUTING
            issue.deferred_at = issue.accepted_at + timedelta(days=rng.randint(1, 10))
            issue.was_deferred = True
        if status in (Status.RESOLVED, Status.EXECUTING, Status.AWAITING_EVALUATION, Status.CLOSED):
            issue.resolved_at = min(
                self.now, issue.accepted_at + timedelta(days=rng.randint(0, 20))
            )
        if status == Status.CLOSED:
            took = timedelta(hours=rng.randint(2, 24 * 40))
            issue.closed_at = min(self.now, issue.accepted_at + took)
            issue.closed_on_time = issue.closed_at <= issue.handle_deadline
            issue.resolution_note = "已按议定事项完成整改，居民确认。"
            issue.was_deferred = rng.random() < 0.03
            issue.rework_count = 1 if rng.random() < 0.05 else 0
            issue.reopen_count = 1 if rng.random() < 0.03 else 0
        issue.updated_at = issue.closed_at or issue.resolved_at or issue.accepted_at

    def _timelines(self):
        issue_type = ContentType.objects.get_for_model(Issue).pk
        events = []

        def entry(issue, action, source, target, actor, when, data=None):
            return AuditEntry(
                content_type_id=issue_type,
                object_id=issue.pk,
                object_repr=issue.title[:200],
                community_id=issue.community_id,
                action=action,
                from_status=source,
                to_status=target,
                actor_id=actor,
                created_at=when,
                data=data or {},
            )

        for issue in self.issues:
            actor = issue.created_by_id
            events.append(entry(issue, "report", "", Status.REPORTED, actor, issue.reported_at))
            steps = []
            if issue.status == Status.REJECTED:
                steps.append(("reject", Status.REPORTED, Status.REJECTED, issue.reported_at))
            if issue.status == Status.MERGED:
                steps.append(("merge", Status.REPORTED, Status.MERGED, issue.reported_at))
            if issue.accepted_at:
                steps.append(("accept", Status.REPORTED, Status.ACCEPTED, issue.accepted_at))
            if issue.handling == Handling.DELIBERATION:
                steps.append(
                    (
                        "send_to_deliberation",
                        Status.ACCEPTED,
                        Status.TO_DELIBERATE,
                        issue.accepted_at,
                    )
                )
            if issue.deferred_at:
                steps.append(("defer", Status.EXECUTING, Status.DEFERRED, issue.deferred_at))
            if issue.resolved_at:
                steps.append(("resolve", Status.ACCEPTED, Status.RESOLVED, issue.resolved_at))
            if issue.closed_at:
                if issue.reopen_count:
                    steps.append(("reopen", Status.CLOSED, Status.EXECUTING, issue.closed_at))
                steps.append(("close", Status.AWAITING_EVALUATION, Status.CLOSED, issue.closed_at))
            for action, source, target, when in steps:
                events.append(
                    entry(
                        issue,
                        action,
                        source,
                        target,
                        issue.assignee_id or actor,
                        when,
                        {"into": issue.merged_into_id} if action == "merge" else None,
                    )
                )
        with _keep_given_dates(AuditEntry):
            self._bulk(AuditEntry, events)

    def _meetings(self):
        plan, rng = self.plan, self.rng
        form = _weighted(rng, FORMS)
        deliberated = {c: [] for c in range(plan.communities)}
        for issue in self.issues:
            if issue.handling == Handling.DELIBERATION:
                deliberated[self.index_of[issue.community_id]].append(issue)
        meetings = []
        for _m in range(plan.meetings):
            c = rng.randrange(plan.communities)
            community = self.communities[c]
            if rng.random() < 0.05:
                starts = self.now + timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 8))
            else:
                starts = self._past(728)
            starts = starts.replace(minute=0, second=0)
            the_form = form()
            if starts > self.now:
                status = Meeting.Status.PLANNED
            else:
                status = rng.choices(
                    [
                        Meeting.Status.CLOSED,
                        Meeting.Status.ENDED,
                        Meeting.Status.CANCELLED,
                        Meeting.Status.ADJOURNED,
                    ],
                    [86, 6, 5, 3],
                )[0]
            ends = starts + timedelta(minutes=rng.choice([60, 90, 120]))
            held = status in (Meeting.Status.CLOSED, Meeting.Status.ENDED, Meeting.Status.ADJOURNED)
            meetings.append(
                Meeting(
                    community=community,
                    compound=rng.choice(self.compounds_of[c]),
                    grid=rng.choice(self.grids_of[c]),
                    form=the_form,
                    title=f"{community.name}{Form(the_form).label}",
                    venue=f"{community.name}党群服务中心",
                    starts_at=starts,
                    ends_at=ends,
                    convener=self.staff_of[c][0],
                    status=status,
                    is_private=the_form == Form.ONSITE_MEDIATION,
                    started_at=starts if held else None,
                    ended_at=ends if held else None,
                    minutes_finalised_at=ends + timedelta(days=1)
                    if status == Meeting.Status.CLOSED
                    else None,
                    summary="议事会就居民关心的问题形成共识。"
                    if status == Meeting.Status.CLOSED
                    else "",
                    created_at=starts - timedelta(days=5),
                    updated_at=ends,
                )
            )
        with _keep_given_dates(Meeting):
            self.meetings = self._bulk(Meeting, meetings)

        participants, agenda = [], []
        for meeting in self.meetings:
            c = self.index_of[meeting.community_id]
            held = meeting.status in (
                Meeting.Status.CLOSED,
                Meeting.Status.ENDED,
                Meeting.Status.ADJOURNED,
            )

            def attend(meeting=meeting, held=held):
                if not held:
                    return Participant.Attendance.UNKNOWN
                return rng.choices(
                    [
                        Participant.Attendance.PRESENT,
                        Participant.Attendance.LATE,
                        Participant.Attendance.ABSENT,
                    ],
                    [85, 7, 8],
                )[0]

            invited = meeting.starts_at - timedelta(days=3)
            for user, role in (
                (meeting.convener, ParticipantRole.STAFF),
                (self.worker_of.get(meeting.grid_id), ParticipantRole.GRID_WORKER),
            ):
                participants.append(
                    Participant(
                        meeting=meeting,
                        role=role,
                        user=user,
                        name=user.name,
                        invited_at=invited,
                        response=Participant.Response.YES,
                        attendance=attend(),
                    )
                )
            contact = self.contact_of[self.property_of[c].pk]
            participants.append(
                Participant(
                    meeting=meeting,
                    role=ParticipantRole.PROPERTY,
                    contact=contact,
                    name=contact.name,
                    organization_name=self.property_of[c].name,
                    invited_at=invited,
                    response=Participant.Response.YES,
                    attendance=attend(),
                )
            )
            pool = self.representatives_of[c]
            for resident_pk in rng.sample(pool, min(len(pool), rng.randint(3, 6))):
                participants.append(
                    Participant(
                        meeting=meeting,
                        role=ParticipantRole.REPRESENTATIVE,
                        resident_id=resident_pk,
                        name=self._name(),
                        invited_at=invited,
                        response=rng.choice(Participant.Response.values),
                        attendance=attend(),
                    )
                )
            if meeting.status == Meeting.Status.CANCELLED:
                continue
            candidates = deliberated[c]
            count = rng.choices([1, 2, 3], [35, 40, 25])[0]
            for order in range(count):
                issue = rng.choice(candidates) if candidates else None
                if meeting.status == Meeting.Status.CLOSED:
                    outcome = rng.choices(
                        [
                            AgendaItem.Outcome.CONSENSUS,
                            AgendaItem.Outcome.VOTE,
                            AgendaItem.Outcome.NO_AGREEMENT,
                            AgendaItem.Outcome.REFERRED,
                        ],
                        [70, 18, 8, 4],
                    )[0]
                elif meeting.status in (Meeting.Status.ENDED, Meeting.Status.ADJOURNED):
                    outcome = rng.choice(
                        [AgendaItem.Outcome.NO_AGREEMENT, AgendaItem.Outcome.CONSENSUS]
                    )
                else:
                    outcome = AgendaItem.Outcome.PENDING
                voted = outcome == AgendaItem.Outcome.VOTE
                agenda.append(
                    AgendaItem(
                        meeting=meeting,
                        issue=issue,
                        title=issue.title if issue else "社区公共事务通报",
                        order=order + 1,
                        phase=AgendaItem.Phase.WAITING
                        if outcome == AgendaItem.Outcome.PENDING
                        else AgendaItem.Phase.DONE,
                        outcome=outcome,
                        outcome_text="经充分协商，形成一致意见。"
                        if outcome in (AgendaItem.Outcome.CONSENSUS, AgendaItem.Outcome.VOTE)
                        else "",
                        votes_for=rng.randint(8, 20) if voted else None,
                        votes_against=rng.randint(0, 5) if voted else None,
                        votes_abstain=rng.randint(0, 3) if voted else None,
                    )
                )
        self.participants = self._bulk(Participant, participants)
        self.agenda = self._bulk(AgendaItem, agenda)
        speakers = {}
        for participant in self.participants:
            if participant.resident_id:
                speakers.setdefault(participant.meeting_id, []).append(participant)
        meeting_by_pk = {m.pk: m for m in self.meetings}
        opinions = []
        for item in self.agenda:
            if item.outcome == AgendaItem.Outcome.PENDING:
                continue
            for order, participant in enumerate(speakers.get(item.meeting_id, [])[:3]):
                opinions.append(
                    Opinion(
                        agenda_item=item,
                        participant=participant,
                        speaker_name=participant.name,
                        role=participant.role,
                        kind=Opinion.Kind.IN_TURN,
                        stance=rng.choice(Opinion.Stance.values),
                        text="同意尽快解决，希望费用分摊公开透明。",
                        spoken_seconds=rng.randint(30, 300),
                        order=order + 1,
                        created_at=meeting_by_pk[item.meeting_id].starts_at,
                    )
                )
        with _keep_given_dates(Opinion):
            self._bulk(Opinion, opinions)

    def _resolutions(self):
        plan, rng = self.plan, self.rng
        meeting_by_pk = {m.pk: m for m in self.meetings}
        decided = [
            item
            for item in self.agenda
            if item.issue_id
            and item.outcome in (AgendaItem.Outcome.CONSENSUS, AgendaItem.Outcome.VOTE)
            and meeting_by_pk[item.meeting_id].status == Meeting.Status.CLOSED
        ]
        wanted = max(1, math.ceil(plan.action_items / 2))
        decided = decided[:wanted]
        resolutions = []
        for item in decided:
            meeting = meeting_by_pk[item.meeting_id]
            adopted = meeting.ends_at + timedelta(hours=rng.randint(2, 72))
            published = rng.random() < 0.85
            starts = adopted.date() + timedelta(days=1)
            resolutions.append(
                Resolution(
                    agenda_item=item,
                    issue_id=item.issue_id,
                    community_id=meeting.community_id,
                    title=item.title,
                    text="各方同意按以下事项分工落实，并接受居民监督。",
                    status=Resolution.Status.PUBLISHED if published else Resolution.Status.ADOPTED,
                    adopted_at=adopted,
                    publication_starts=starts if published else None,
                    publication_ends=starts + timedelta(days=7) if published else None,
                    evaluation_due=starts + timedelta(days=30),
                    created_by=meeting.convener,
                    created_at=adopted,
                    updated_at=adopted,
                )
            )
        with _keep_given_dates(Resolution):
            self.resolutions = self._bulk(Resolution, resolutions)
        if not self.resolutions:
            self.items = []
            return
        items = []
        for n in range(plan.action_items):
            resolution = self.resolutions[n % len(self.resolutions)]
            c = self.index_of[resolution.community_id]
            starts = resolution.adopted_at.date()
            deadline = starts + timedelta(days=rng.choice([7, 14, 30, 60, 90]))
            age = (self.today - starts).days
            if deadline < self.today:
                # Most past-due items are done; the rest are overdue.
                status = rng.choices(
                    [
                        ActionItem.Status.DONE,
                        ActionItem.Status.IN_PROGRESS,
                        ActionItem.Status.PENDING,
                        ActionItem.Status.AWAITING_CHECK,
                        ActionItem.Status.CANCELLED,
                    ],
                    [86, 5, 2, 3, 4] if age > 120 else [60, 20, 8, 8, 4],
                )[0]
            else:
                status = rng.choices(
                    [
                        ActionItem.Status.PENDING,
                        ActionItem.Status.IN_PROGRESS,
                        ActionItem.Status.AWAITING_CHECK,
                        ActionItem.Status.DONE,
                    ],
                    [30, 45, 10, 15],
                )[0]
            roll = rng.random()
            responsible = {}
            if roll < 0.5:
                responsible["responsible_organization"] = self.property_of[c]
            elif roll < 0.65:
                street = self.street_index[self.communities[c].street_id]
                responsible["responsible_organization"] = rng.choice(self.departments_of[street])
            elif roll < 0.9:
                responsible["responsible_user"] = rng.choice(self.staff_of[c])
            else:
                responsible["responsible_resident_id"] = rng.choice(self.representatives_of[c])
            done = status == ActionItem.Status.DONE
            confirmed = (
                _midnight(min(self.today, starts + timedelta(days=rng.randint(1, 60))))
                if done
                else None
            )
            items.append(
                ActionItem(
                    resolution=resolution,
                    community_id=resolution.community_id,
                    measure=rng.choice(
                        [
                            "清理楼道杂物",
                            "维修路灯",
                            "划定停车位",
                            "更换门禁",
                            "疏通下水管道",
                            "安装扶手",
                        ]
                    ),
                    starts_on=starts,
                    deadline=deadline,
                    repeat=rng.choices(
                        ["", ActionItem.Repeat.WEEKLY, ActionItem.Repeat.MONTHLY], [90, 6, 4]
                    )[0],
                    status=status,
                    percent=100
                    if done
                    else {
                        ActionItem.Status.PENDING: 0,
                        ActionItem.Status.AWAITING_CHECK: 100,
                        ActionItem.Status.CANCELLED: 0,
                    }.get(status, rng.randint(10, 90)),
                    confirmed_at=confirmed,
                    confirmed_by=self.staff_of[c][0] if done else None,
                    done_on_time=(confirmed.date() <= deadline) if done else None,
                    order=n // len(self.resolutions) + 1,
                    created_at=resolution.adopted_at,
                    updated_at=confirmed or resolution.adopted_at,
                    **responsible,
                )
            )
        with _keep_given_dates(ActionItem):
            self.items = self._bulk(ActionItem, items)
        updates = []
        for item in self.items:
            if item.status in (ActionItem.Status.IN_PROGRESS, ActionItem.Status.AWAITING_CHECK):
                updates.append(
                    ProgressUpdate(
                        item=item,
                        text="已完成部分整改，正在推进。",
                        percent=item.percent,
                        author=item.responsible_user
                        or self.staff_of[self.index_of[item.community_id]][0],
                        created_at=_midnight(item.starts_on) + timedelta(days=3),
                    )
                )
        with _keep_given_dates(ProgressUpdate):
            self._bulk(ProgressUpdate, updates)

    def _evaluations(self):
        rng = self.rng
        evaluations, revisits = [], []
        for issue in self.issues:
            if issue.status != Status.CLOSED:
                continue
            if issue.reporter_resident_id and rng.random() < 0.45:
                evaluations.append(
                    Evaluation(
                        issue=issue,
                        resident_id=issue.reporter_resident_id,
                        rating=rng.choices(Evaluation.Rating.values, [75, 18, 7])[0],
                        created_at=issue.closed_at,
                    )
                )
            if rng.random() < 0.05:
                revisits.append(
                    Revisit(
                        issue=issue,
                        visited_at=issue.closed_at + timedelta(days=30),
                        visitor_id=issue.assignee_id or issue.created_by_id,
                        method=rng.choice(Revisit.Method.values),
                        findings="问题未再出现，居民满意。",
                        problem_recurred=rng.random() < 0.08,
                    )
                )
        with _keep_given_dates(Evaluation):
            self._bulk(Evaluation, evaluations)
        self._bulk(Revisit, revisits)
        # A page of unread notifications for each benchmark user.
        issue_type = ContentType.objects.get_for_model(Issue)
        recent = [i for i in self.issues[-200:] if self.index_of[i.community_id] == 0][:30]
        notifications = [
            Notification(
                recipient=user,
                kind="issue_reported",
                content_type=issue_type,
                object_id=issue.pk,
                title=f"新议题：{issue.title}",
                body=issue.description,
                created_at=issue.reported_at,
            )
            for user in self.bench.values()
            for issue in recent
        ]
        with _keep_given_dates(Notification):
            self._bulk(Notification, notifications)

    def _snapshots(self):
        from reports.services import snapshots_backfill

        snapshots_backfill(months=12, now=self.now)

    def _analyze(self):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
