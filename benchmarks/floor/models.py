from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models


class User(AbstractBaseUser):
    """The project's user table, read as it is (the floor creates and migrates nothing):
    loading request.user is the floor page's one indexed query."""

    username = models.CharField(max_length=150, unique=True)
    is_active = models.BooleanField(default=True)

    USERNAME_FIELD = "username"

    class Meta:
        managed = False
        db_table = "accounts_user"
