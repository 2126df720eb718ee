import factory
from factory.django import DjangoModelFactory

from communities import models


class StreetFactory(DjangoModelFactory):
    class Meta:
        model = models.Street

    name = factory.Sequence(lambda n: f"测试街道{n}")
    # 12 digits like the official codes, whatever number of streets a run builds.
    code = factory.Sequence(lambda n: f"64{n:07d}000")


class CommunityFactory(DjangoModelFactory):
    class Meta:
        model = models.Community

    street = factory.SubFactory(StreetFactory)
    name = factory.Sequence(lambda n: f"测试社区{n}")
    area_code = factory.Sequence(lambda n: f"640199{n:06d}")


class CompoundFactory(DjangoModelFactory):
    class Meta:
        model = models.Compound

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"测试小区{n}")


class BuildingFactory(DjangoModelFactory):
    class Meta:
        model = models.Building

    compound = factory.SubFactory(CompoundFactory)
    name = factory.Sequence(lambda n: f"{n}号楼")


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = models.Unit

    building = factory.SubFactory(BuildingFactory)
    name = factory.Sequence(lambda n: f"{n}单元")


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = models.Household

    unit = factory.SubFactory(UnitFactory)
    compound = factory.LazyAttribute(lambda o: o.unit.building.compound)
    community = factory.LazyAttribute(lambda o: o.unit.building.compound.community)
    room = factory.Sequence(lambda n: f"{100 + n}")


class GridFactory(DjangoModelFactory):
    class Meta:
        model = models.Grid

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"第{n}网格")
    code = factory.Sequence(lambda n: f"640199{n:09d}")


class ResidentFactory(DjangoModelFactory):
    class Meta:
        model = models.Resident

    household = factory.SubFactory(HouseholdFactory)
    community = factory.LazyAttribute(lambda o: o.household.community if o.household else None)
    name = factory.Sequence(lambda n: f"居民{n}")
    phone = factory.Sequence(lambda n: f"138{n:08d}")


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = models.Organization
        skip_postgeneration_save = True

    kind = models.Organization.Kind.PROPERTY
    name = factory.Sequence(lambda n: f"测试物业公司{n}")

    @factory.post_generation
    def communities(self, create, extracted, **kwargs):
        if create and extracted:
            self.communities.set(extracted)


class OrganizationContactFactory(DjangoModelFactory):
    class Meta:
        model = models.OrganizationContact

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"联系人{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
