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


def _quick_field_form():
    from django import forms

    from lib.widgets import QuickSelect

    class Form(forms.Form):
        required_css_class = "needed"
        text = forms.CharField(label="评论<b>", widget=forms.Textarea(attrs={"rows": 2}))
        when = forms.DateTimeField(
            label="when",
            required=False,
            help_text="按 <b>北京时间</b>",
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        )
        who = forms.ChoiceField(label="who", choices=[("", "---"), ("1", "A&B")], required=False)
        where = forms.IntegerField(
            label="where",
            required=False,
            widget=QuickSelect(attrs={"class": "narrow"}, choices=[("", "全部"), (1, "一号")]),
        )
        count = forms.IntegerField(label="count", min_value=1)
        mail = forms.EmailField(label="", required=False, widget=forms.EmailInput({"class": "x"}))
        hidden = forms.CharField(required=False, widget=forms.HiddenInput)
        agree = forms.BooleanField(label="agree", required=False)
        tags = forms.MultipleChoiceField(label="tags", choices=[("a", "A")], required=False)
        photo = forms.FileField(label="photo", required=False)

    return Form


def test_quick_field_writes_what_crispy_forms_writes():
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
    from django.test.html import parse_html

    from lib.fields import quick_field

    Form = _quick_field_form()
    blank = Form
    bound = lambda: Form(  # noqa: E731
        {"text": "", "when": "昨天", "who": "9", "where": "x", "count": "0", "mail": "a@"}
    )
    for make in (blank, bound):
        quick, crispy = make(), make()
        quick.is_bound and (quick.is_valid(), crispy.is_valid())
        for name in quick.fields:
            ours, theirs = quick_field(quick[name]), as_crispy_field(crispy[name])
            assert parse_html(ours) == parse_html(theirs), name
    rendered = quick_field(bound()["text"])
    assert 'class="textarea form-control is-invalid"' in rendered
    assert "评论&lt;b&gt;" in rendered


def test_optional_formset_rows_carry_no_required_marker_until_filled_in():
    from django import forms

    from lib.fields import quick_field

    class Row(forms.Form):
        measure = forms.CharField(label="measure")
        note = forms.CharField(label="note", required=False)

    Rows = forms.formset_factory(Row, extra=1)
    extra = Rows(initial=[{"measure": "清理"}])  # one row given, one extra
    given, empty = extra.forms
    assert "asteriskField" in quick_field(given["measure"])
    assert "asteriskField" not in quick_field(empty["measure"])
    data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0"}
    untouched = Rows(data).forms[0]
    assert "asteriskField" not in quick_field(untouched["measure"])
    started = Rows({**data, "form-0-note": "先看现场"}).forms[0]
    started.is_valid()
    assert "asteriskField" in quick_field(started["measure"])  # now it must be given


def test_quick_field_renders_each_time_the_same():
    from lib.fields import quick_field

    form = _quick_field_form()()
    assert quick_field(form["who"]) == quick_field(form["who"])
    assert form.fields["who"].widget.attrs["class"] == "select form-select"


def test_quick_form_writes_what_crispy_forms_writes():
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
    from django import forms
    from django.test.html import parse_html

    from lib.fields import quick_form

    class Form(_quick_field_form()):
        def clean(self):
            raise forms.ValidationError(["开始 <早于> 结束", "再试一次"])

    assert parse_html(quick_form(Form())) == parse_html(as_crispy_form(Form()))
    bound = {"text": "好", "when": "昨天", "count": "2"}
    quick, crispy = Form(bound), Form(bound)
    quick.is_valid(), crispy.is_valid()
    ours = quick_form(quick)
    assert parse_html(ours) == parse_html(as_crispy_form(crispy))
    assert "开始 &lt;早于&gt; 结束" in ours and 'class="alert alert-block alert-danger"' in ours


def test_stamp_writes_what_the_date_filter_writes():
    import datetime as dt

    from django.template import Context, Template
    from django.utils import translation

    values = [
        dt.datetime(2026, 1, 5, 23, 30, tzinfo=dt.UTC),  # 07:30 the next day in Shanghai
        dt.datetime(2026, 12, 31, 16, 0, 59, tzinfo=dt.UTC),
        dt.date(2026, 3, 8),
        None,
        "",
    ]
    formats = ["Y-m-d H:i", "m-d H:i", "m-d", "Y-m-d", "H:i", "Y-m", "Y-m-d l", "m-d D"]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value in values:
                for format_string in formats:
                    is_date = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
                    if is_date and "H" in format_string:
                        continue  # |date refuses time formats for a date too
                    context = Context({"value": value})
                    ours = Template(
                        f'{{% load yishi %}}{{{{ value|stamp:"{format_string}" }}}}'
                    ).render(context)
                    django = Template(f'{{{{ value|date:"{format_string}" }}}}').render(context)
                    assert ours == django, (language, value, format_string)
    shanghai = Template('{% load yishi %}{{ value|stamp:"Y-m-d H:i" }}').render(
        Context({"value": values[0]})
    )
    assert shanghai == "2026-01-06 07:30"


def test_get_absolute_url_is_reverse_of_the_detail_page():
    from django.urls import reverse, set_script_prefix

    from issues.models import Issue
    from meetings.models import Meeting
    from resolutions.models import ActionItem

    cases = [
        (Issue(pk=7), "issues:detail"),
        (Meeting(pk=8), "meetings:detail"),
        (ActionItem(pk=9), "resolutions:item_detail"),
    ]
    try:
        for prefix in ("/", "/yishi/"):
            set_script_prefix(prefix)
            for instance, name in cases:
                assert instance.get_absolute_url() == reverse(name, args=[instance.pk])
        assert Issue(pk=7).get_absolute_url() == "/yishi/issues/7/"
    finally:
        set_script_prefix("/")


def test_the_speaking_timer_reads_minutes_and_seconds():
    from core.templatetags.yishi import clock

    assert [clock(0), clock(7), clock(65), clock(None)] == ["0:00", "0:07", "1:05", "0:00"]
