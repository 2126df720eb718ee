import io

from django.urls import reverse
from openpyxl import load_workbook

from lib.urls import reverse_by_pk
from lib.xlsx import Sheet, workbook_bytes


def test_reverse_by_pk_gives_what_reverse_gives():
    url_of = reverse_by_pk("resolutions:item_detail")
    for pk in (1, 42, 918273645, 10**12):
        assert url_of(pk) == reverse("resolutions:item_detail", args=[pk])


def test_workbook_keeps_numbers_as_numbers_and_text_as_text():
    content = workbook_bytes(
        [
            Sheet(
                "议题", ["渠道", "数量"], [["网格巡查", 12], ["=1+1", 3.5], [None, 0]], title="月报"
            ),
            Sheet("说明", [], [["第一行"]]),
        ]
    )
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["议题", "说明"]
    rows = list(book["议题"].iter_rows(values_only=True))
    assert rows == [("月报", None), ("渠道", "数量"), ("网格巡查", 12), ("=1+1", 3.5), (None, 0)]
    assert book["议题"]["A4"].data_type == "s"
    assert book["议题"].freeze_panes == "A3"
    assert list(book["说明"].iter_rows(values_only=True)) == [("第一行",)]


def test_quick_select_writes_what_django_select_writes():
    import re

    from django import forms

    from lib.widgets import QuickSelect

    choices = [("", "全部"), (1, "幸福<小区>"), (2, "二号"), ("老城区", [(3, "三号"), (4, "四号")])]

    def markup(widget, value):
        html = widget(choices=choices).render("compound", value, {"id": "id_compound"})
        return re.sub(r">\s+<", "><", html.strip())

    for value in (None, "", 2, "3"):
        assert markup(QuickSelect, value) == markup(forms.Select, value)
    assert '<option value="3" selected>三号</option>' in markup(QuickSelect, 3)
    assert "幸福&lt;小区&gt;" in markup(QuickSelect, None)


def test_choice_labels_are_those_of_the_field_in_the_active_language():
    from django.utils import translation

    from issues.models import Issue, Status

    issue = Issue(status=Status.ACCEPTED)
    with translation.override("zh-hans"):
        chinese = issue.get_status_display()
    with translation.override("en"):
        english = issue.get_status_display()
    with translation.override("en"):
        assert english == str(Status.ACCEPTED.label)
    with translation.override("zh-hans"):
        assert chinese == str(Status.ACCEPTED.label)
    assert chinese != english
    assert Issue(status="no-such-status").get_status_display() == "no-such-status"


def test_parented_select_names_each_options_parent(db):
    from django import forms

    from communities.models import Building
    from communities.tests.factories import BuildingFactory
    from lib.widgets import ParentedSelect

    building = BuildingFactory(name="3号楼")

    class PlaceForm(forms.Form):
        building = forms.ModelChoiceField(
            queryset=Building.objects.all(),
            widget=ParentedSelect(parent_of=lambda b: b.compound_id),
        )

    html = str(PlaceForm()["building"])
    assert f'value="{building.pk}" data-parent="{building.compound_id}"' in html
