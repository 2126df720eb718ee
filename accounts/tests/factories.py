import factory
from factory.django import DjangoModelFactory

from accounts.models import Role, User


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    role = Role.STAFF
    password = factory.django.Password("Correct-Horse-2026")

    @factory.post_generation
    def communities(self, create, extracted, **kwargs):
        if create and extracted:
            self.communities.set(extracted)

    @factory.post_generation
    def grids(self, create, extracted, **kwargs):
        if create and extracted:
            self.grids.set(extracted)

    @factory.post_generation
    def streets(self, create, extracted, **kwargs):
        if create and extracted:
            self.streets.set(extracted)
