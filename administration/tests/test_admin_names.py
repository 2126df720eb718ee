"""Django admin stays for the superuser's maintenance, in Chinese: every model and field of
ours is named, and the names read in Chinese."""

import re

import pytest
from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.utils import translation

OURS = [
    "accounts",
    "communities",
    "core",
    "reach",
    "notifications",
    "issues",
    "meetings",
    "resolutions",
    "reports",
    "api",
]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _names():
    with translation.override("zh-hans"):
        for label in OURS:
            for model in apps.get_app_config(label).get_models():
                yield model._meta.label, "model", str(model._meta.verbose_name)
                yield model._meta.label, "models", str(model._meta.verbose_name_plural)
                for field in model._meta.get_fields():
                    # A generic relation is no column and no form field: not shown.
                    if field.auto_created or isinstance(field, GenericForeignKey):
                        continue
                    yield model._meta.label, field.name, str(field.verbose_name)


def test_every_model_and_field_of_ours_has_a_chinese_name():
    english = [f"{model}.{name}: {text}" for model, name, text in _names() if not CJK.search(text)]
    assert english == []


@pytest.mark.parametrize("label", OURS)
def test_every_app_has_a_chinese_name(label):
    with translation.override("zh-hans"):
        assert CJK.search(str(apps.get_app_config(label).verbose_name))
