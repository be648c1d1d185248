import factory

from zhifa.orgs.codes import uscc_with_check
from zhifa.orgs.models import Agency, AgencyKind, Region, Role, RoleAssignment, Unit, User


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "210000"
    name = "辽宁省"
    parent = None


def region_tree():
    """辽宁省 › 本溪市 › {本溪满族自治县, 桓仁满族自治县}; and 沈阳市 for another city."""
    province = RegionFactory(code="210000", name="辽宁省")
    benxi = RegionFactory(code="210500", name="本溪市", parent=province)
    county = RegionFactory(code="210521", name="本溪满族自治县", parent=benxi)
    other_county = RegionFactory(code="210522", name="桓仁满族自治县", parent=benxi)
    shenyang = RegionFactory(code="210100", name="沈阳市", parent=province)
    return province, benxi, county, other_county, shenyang


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"测试执法局{n}")
    short_name = factory.Sequence(lambda n: f"测{n}")
    uscc = factory.Sequence(lambda n: uscc_with_check(f"11210521MB{n:07d}"))
    region = factory.LazyFunction(lambda: region_tree()[2])
    kind = AgencyKind.STATUTORY
    authority_basis = "《中华人民共和国行政处罚法》"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"执法科{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def grant(user, role, *, agency=None, unit=None, region=None) -> RoleAssignment:
    assignment = RoleAssignment.objects.create(
        user=user, role=role, agency=agency, unit=unit, region=region
    )
    if hasattr(user, "_zhifa_scope"):
        del user._zhifa_scope
    return assignment


__all__ = [
    "AgencyFactory",
    "RegionFactory",
    "Role",
    "UnitFactory",
    "UserFactory",
    "grant",
    "region_tree",
]
