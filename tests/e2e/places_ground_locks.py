"""The places and people of story 8 of DOMAIN.md: 中强巷社区's 明园小区, where private ground
locks bring in 12345 complaint after complaint until the community blows the whistle and
law enforcement, the police station and the property company report in."""

import io
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone
from openpyxl import Workbook

from accounts.models import Role
from accounts.tests.factories import UserFactory
from communities.models import Organization
from communities.tests.factories import (
    CommunityFactory,
    CompoundFactory,
    GridFactory,
    OrganizationContactFactory,
    OrganizationFactory,
    StreetFactory,
)
from issues.models import Category


@dataclass
class Zhongqiangxiang:
    community: object
    compound: object
    enforcement: object
    police: object
    property_company: object
    staff: object
    enforcer: object
    property_manager: object


def build_zhongqiangxiang() -> Zhongqiangxiang:
    # Browser tests run with transaction=True, which empties the seeded categories.
    Category.objects.get_or_create(
        code="ground_locks", defaults={"name": "地锁", "default_kind": "public"}
    )
    street = StreetFactory(name="满城街道")
    community = CommunityFactory(street=street, name="中强巷社区")
    compound = CompoundFactory(community=community, name="明园小区")
    grid = GridFactory(community=community, name="明园网格")
    grid.compounds.add(compound)

    def organization(name, kind, contact):
        org = OrganizationFactory(name=name, kind=kind, communities=[community])
        return org, OrganizationContactFactory(organization=org, name=contact)

    enforcement, enforcer = organization(
        "满城街道综合执法中队", Organization.Kind.LAW_ENFORCEMENT, "马华东"
    )
    police, _officer = organization("满城派出所", Organization.Kind.POLICE, "李卫东")
    property_company, manager = organization("丰捷物业", Organization.Kind.PROPERTY, "周经理")
    property_company.compounds.add(compound)
    return Zhongqiangxiang(
        community=community,
        compound=compound,
        enforcement=enforcement,
        police=police,
        property_company=property_company,
        staff=UserFactory(
            username="quanshuji", name="权书记", role=Role.STAFF, communities=[community]
        ),
        enforcer=UserFactory(
            username="mahuadong",
            name="马华东",
            role=Role.ORG_CONTACT,
            organization=enforcement,
            contact=enforcer,
        ),
        property_manager=UserFactory(
            username="zhoujingli",
            name="周经理",
            role=Role.ORG_CONTACT,
            organization=property_company,
            contact=manager,
        ),
    )


COMPLAINTS = [
    ("YC20261128001", "5号楼前公共车位被装了三个地锁，晚上回来没地方停车。", "明园小区5号楼"),
    ("YC20261129002", "小区地锁越来越多，消防车都进不来。", "满城街道明园小区东门"),
    ("YC20261130003", "2号楼门口地锁绊倒老人，请尽快处理。", "明园小区2号楼"),
]


def hotline_export(tmp_path) -> str:
    """The 12345 platform's daily export: three complaints about the same ground locks,
    received on the three days before today."""
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["工单编号", "受理时间", "来电号码", "诉求内容", "诉求地址", "诉求类型", "答复时限"]
    )
    today = timezone.localdate()
    for n, (number, content, address) in enumerate(COMPLAINTS):
        received = datetime.combine(today - timedelta(days=3 - n), time(9 + n, 30))
        sheet.append(
            [
                number,
                received,
                f"1390951000{n}",
                content,
                address,
                "投诉",
                received + timedelta(days=3),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "12345每日导出.xlsx"
    path.write_bytes(buffer.getvalue())
    return str(path)
