"""factory_boy factories for the tests (one place, shared by every test module)."""

from __future__ import annotations

import factory

from dealers.models import Assignment, Brand, DealerGroup, Dealership, Membership, Region, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ConsultantFactory(UserFactory):
    is_consultant = True


class StaffFactory(UserFactory):
    is_staff = True


class DealerGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DealerGroup
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Groupe {n}")


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand
        django_get_or_create = ("name",)

    name = factory.Iterator(["Peugeot", "Renault", "Citroën", "Toyota", "Kia"])


class DealershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dealership

    name = factory.Sequence(lambda n: f"Garage {n}")
    city = factory.Iterator(["Lyon", "Rennes", "Lille", "Nantes", "Dijon"])
    region = factory.Iterator([Region.ARA, Region.BRE, Region.HDF, Region.PDL, Region.BFC])
    size_band = "medium"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    dealership = factory.SubFactory(DealershipFactory)
    role = Membership.Role.MEMBER


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    consultant = factory.SubFactory(ConsultantFactory)
    dealership = factory.SubFactory(DealershipFactory)
