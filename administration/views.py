"""The 管理 pages: thin views over the access rules (access.administration) and the
services of the apps that own each record."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from access import administration as rules
from access.communities import get_resident_for_user
from access.notifications import can_see_sent_messages
from access.scope import get_scope
from accounts import services as account_services
from accounts.models import Role, User
from communities.forms import form_error
from communities.models import OrganizationContact
from communities.services import (
    community_set_fixed_days,
    evaluation_days_of,
    publication_days_of,
    street_set_periods,
)
from core import audit, schedules
from core import calendar as work_calendar
from core.models import CalendarDay
from issues import rules as limit_rules
from issues.models import Category, Urgency
from lib import worktime
from lib.errors import DomainError
from lib.related import user_name_of
from meetings.models import Form, FormRule
from meetings.rules import presence_rule_save, rules_for_community
from meetings.signin import qr_svg
from notifications.models import Preference, SmsBudget, SmsConsent
from notifications.selectors import failed_deliveries, sms_budget_rows, sms_used_by_kind
from notifications.services import preference_set_for, sms_budget_set, sms_consent_record

from .forms import (
    AccountForm,
    CalendarDayForm,
    CategoryForm,
    ChannelsForm,
    ConsentForm,
    ContactAccountForm,
    DeactivateForm,
    FixedDaysForm,
    PasswordLinkForm,
    PeopleFilterForm,
    PeriodsForm,
    PresenceRuleForm,
    ResidentAccountForm,
    ScheduleForm,
    SmsBudgetForm,
)


def _crumbs(*trail):
    return [(pgettext("section", "Administration"), reverse("administration:home")), *trail]


def _history(obj, limit=20):
    return list(audit.history_of(obj).order_by("-created_at", "-pk")[:limit])


# ---------------------------------------------------------------- the hub


@login_required
def home(request):
    """管理: what a street admin or a community head keeps, each part with what it holds."""
    if not rules.can_administer(request.user):
        raise PermissionDenied
    scope = get_scope(request.user)
    people = rules.accounts_visible_to(request.user).aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        idle=Count(
            "pk",
            filter=Q(is_active=True)
            & (Q(last_login__isnull=True) | Q(last_login__lt=timezone.now() - timedelta(days=90))),
        ),
    )
    context = {
        "people": people,
        "streets": list(rules.streets_managed_by(request.user)),
        "communities": list(rules.rule_communities_for(request.user)),
        "is_street_admin": scope.is_street_admin,
        "can_calendar": rules.can_manage_calendar(request.user),
        "can_schedules": rules.can_manage_schedules(request.user),
        "failed": failed_deliveries(request.user).count()
        if can_see_sent_messages(request.user)
        else 0,
        "budgets": sms_budget_rows(list(rules.sms_budget_communities_for(request.user))),
        "crumbs": [(pgettext("section", "Administration"), "")],
    }
    return render(request, "administration/home.html", context)


# ---------------------------------------------------------------- people and accounts


@login_required
def people(request):
    """人员与账号: the accounts of the user's communities, filtered by role, community,
    status and long inactivity; 50 a page, in four queries whatever the page holds."""
    if not rules.can_manage_accounts(request.user):
        raise PermissionDenied
    communities = list(rules.account_communities_for(request.user))
    visible_roles = [Role.STAFF, Role.GRID_WORKER, Role.RESIDENT, Role.ORG_CONTACT]
    form = PeopleFilterForm(request.GET or None, roles=visible_roles, communities=communities)
    accounts = rules.accounts_visible_to(request.user)
    status = ""
    if form.is_valid():
        data = form.cleaned_data
        status = data["status"]
        if data["q"]:
            term = data["q"].strip()
            accounts = accounts.filter(
                Q(name__icontains=term) | Q(username__icontains=term) | Q(phone__contains=term)
            )
        if data["role"]:
            accounts = accounts.filter(role=data["role"])
        if data.get("community"):
            accounts = accounts.filter(rules.accounts_in([data["community"]]))
        if data["idle"]:
            accounts = accounts.filter(
                Q(last_login__isnull=True)
                | Q(last_login__lt=timezone.now() - timedelta(days=PeopleFilterForm.LONG_AGO))
            )
    if status == "inactive":
        accounts = accounts.filter(is_active=False)
    elif status != "all":
        accounts = accounts.filter(is_active=True)
    accounts = (
        accounts.select_related("resident__community", "organization")
        .prefetch_related("communities", "grids__community")
        .order_by("role", "name", "pk")
    )
    page = Paginator(accounts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "administration/people.html",
        {
            "form": form,
            "page_obj": page,
            "accounts": page.object_list,
            "roles": rules.roles_manageable_by(request.user),
            "long_ago": PeopleFilterForm.LONG_AGO,
            "crumbs": _crumbs((_("People and accounts"), "")),
        },
    )


def _account_form_kwargs(request, role):
    return {
        "role": role,
        "communities": rules.account_communities_for(request.user),
        "grids": rules.account_grids_for(request.user),
    }


@login_required
def account_create(request, role):
    """A new account for a staff member, a grid worker or an organization's contact."""
    if role not in (Role.STAFF, Role.GRID_WORKER, Role.ORG_CONTACT):
        raise Http404
    if not rules.can_manage_role(request.user, role):
        raise PermissionDenied
    if role == Role.ORG_CONTACT:
        contacts = (
            OrganizationContact.objects.filter(
                archived_at__isnull=True,
                user__isnull=True,
                organization__communities__in=get_scope(request.user).community_ids,
            )
            .select_related("organization")
            .distinct()
            .order_by("organization__name", "name")
        )
        form = ContactAccountForm(request.POST or None, contacts=contacts)
    else:
        form = AccountForm(request.POST or None, **_account_form_kwargs(request, role))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        contact = data.pop("contact", None)
        if contact is not None and not data.get("name"):
            data["name"] = contact.name
        try:
            account = account_services.account_create(
                actor=request.user,
                role=role,
                contact=contact,
                communities=data.pop("communities", None) or (),
                grids=data.pop("grids", None) or (),
                **data,
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s's account is open. Send them the one-time link to set their password.")
                % {"name": account.name},
            )
            return redirect("administration:account", pk=account.pk)
    title = {
        Role.STAFF: _("New staff member"),
        Role.GRID_WORKER: _("New grid worker"),
        Role.ORG_CONTACT: _("Account for an organization's contact"),
    }[role]
    return render(
        request,
        "administration/form.html",
        {
            "form": form,
            "title": title,
            "back": reverse("administration:people"),
            "crumbs": _crumbs(
                (_("People and accounts"), reverse("administration:people")), (title, "")
            ),
        },
    )


@login_required
def resident_account(request, resident_pk):
    """开通账号 for a resident on record (from their page): bound to the record as when
    they claim it with their phone."""
    resident = get_resident_for_user(request.user, resident_pk)
    if not rules.can_give_account_in(request.user, resident.community_id, Role.RESIDENT):
        raise PermissionDenied
    existing = User.objects.filter(resident=resident).first()
    if existing is not None:
        return redirect("administration:account", pk=existing.pk)
    form = ResidentAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = account_services.account_give_resident(
                actor=request.user, resident=resident, **form.cleaned_data
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(name)s has an account now: they sign in with their mobile number and a "
                    "code, or with a password set from a one-time link."
                )
                % {"name": account.name},
            )
            return redirect("administration:account", pk=account.pk)
    title = _("Account for %(name)s") % {"name": resident.name}
    return render(
        request,
        "administration/resident_account.html",
        {
            "form": form,
            "resident": resident,
            "title": title,
            "crumbs": _crumbs(
                (_("People and accounts"), reverse("administration:people")), (title, "")
            ),
        },
    )


@login_required
def account(request, pk):
    """A person's account: who they are, where they work, how they are reached (channels,
    SMS consent), when they last signed in, the actions on it and its history."""
    account = rules.get_account_for_user(request.user, pk)
    can_manage = rules.can_manage_account(
        request.user, account, community_ids=account.community_ids
    )
    preference = Preference.objects.filter(user=account).first()
    person = account.resident or account.contact
    consent = (
        SmsConsent.objects.filter(
            **(
                {"resident": account.resident}
                if account.resident_id
                else {"contact": account.contact}
            )
        )
        .select_related("recorded_by")
        .first()
        if person
        else None
    )
    posts = []
    if account.resident_id:
        resident = account.resident
        posts = [
            *[(_("party group leader"), g.name) for g in resident.grids_led.all()],
            *[
                (_("building head"), str(b))
                for b in resident.buildings_headed.select_related("compound")
            ],
            *[
                (_("unit head"), str(u))
                for u in resident.units_headed.select_related("building__compound")
            ],
        ]
    return render(
        request,
        "administration/account.html",
        {
            "account": account,
            "can_manage": can_manage,
            "communities": list(account.communities.all()),
            "grids": list(account.grids.select_related("community")),
            "posts": posts,
            "preference": preference,
            "channels_form": ChannelsForm(
                initial={
                    "email": preference.email if preference else True,
                    "sms": preference.sms if preference else False,
                }
            ),
            "person": person,
            "consent": consent,
            "can_record_consent": person is not None and _can_record_consent(request.user, person),
            "link_form": PasswordLinkForm(),
            "deactivate_form": DeactivateForm(),
            "link_hours": account_services.password_link_hours(),
            "history": _history(account),
            "crumbs": _crumbs(
                (_("People and accounts"), reverse("administration:people")), (account.name, "")
            ),
        },
    )


@login_required
def account_edit(request, pk):
    account = rules.get_account_for_user(request.user, pk, write=True)
    kwargs = _account_form_kwargs(request, account.role)
    mine = get_scope(request.user).community_ids
    initial = {
        "username": account.username,
        "name": account.name,
        "title": account.title,
        "phone": account.phone,
        "email": account.email,
        "is_head": account.is_head,
        "version": account.version,
        "communities": [c for c in account.communities.all() if c.pk in mine],
        "grids": [g for g in account.grids.all() if g.community_id in mine],
    }
    form = AccountForm(request.POST or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        communities = data.pop("communities", None)
        grids = data.pop("grids", None)
        if account.role not in (Role.STAFF, Role.GRID_WORKER):
            data.pop("is_head", None)
        try:
            account_services.account_update(
                actor=request.user,
                account=account,
                version=version,
                communities=communities,
                grids=grids,
                **data,
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": account.name})
            return redirect("administration:account", pk=account.pk)
    title = _("Edit %(name)s") % {"name": account.name}
    return render(
        request,
        "administration/form.html",
        {
            "form": form,
            "title": title,
            "back": reverse("administration:account", args=[account.pk]),
            "crumbs": _crumbs(
                (_("People and accounts"), reverse("administration:people")),
                (account.name, reverse("administration:account", args=[account.pk])),
                (_("Edit"), ""),
            ),
        },
    )


@login_required
def account_password(request, pk):
    """重置密码: a one-time link, sent by SMS or email, or shown here once."""
    account = rules.get_account_for_user(request.user, pk, write=True)
    if request.method != "POST":
        return redirect("administration:account", pk=account.pk)
    form = PasswordLinkForm(request.POST)
    if form.is_valid():
        via = form.cleaned_data["via"]
        try:
            link = account_services.account_password_link(
                actor=request.user, account=account, via=via
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if via == "in_person":
                # Shown once, in this answer: the link is in no page or record after it.
                response = render(
                    request,
                    "administration/password_link.html",
                    {
                        "account": account,
                        "link": link,
                        # Drawn by qrcode from our own address.
                        "qr": mark_safe(qr_svg(link)),
                        "hours": account_services.password_link_hours(),
                        "crumbs": _crumbs(
                            (_("People and accounts"), reverse("administration:people")),
                            (account.name, reverse("administration:account", args=[account.pk])),
                            (_("Password link"), ""),
                        ),
                    },
                )
                response["Cache-Control"] = "no-store"
                return response
            messages.success(
                request,
                _(
                    "The one-time link is on its way by %(how)s. It works once, within %(hours)d hours."
                )
                % {
                    "how": _("SMS") if via == "sms" else _("email"),
                    "hours": account_services.password_link_hours(),
                },
            )
    else:
        messages.error(request, _("Choose how the link reaches them."))
    return redirect("administration:account", pk=account.pk)


@login_required
@require_POST
def account_active(request, pk):
    account = rules.get_account_for_user(request.user, pk, write=True)
    active = request.POST.get("active") == "1"
    form = DeactivateForm(request.POST)
    reason = form.data.get("reason", "")
    try:
        account_services.account_set_active(
            actor=request.user, account=account, active=active, reason=reason
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            (
                _("%(name)s can sign in again.")
                if active
                else _("%(name)s's account is deactivated.")
            )
            % {"name": account.name},
        )
    return redirect("administration:account", pk=account.pk)


@login_required
@require_POST
def account_channels(request, pk):
    account = rules.get_account_for_user(request.user, pk, write=True)
    form = ChannelsForm(request.POST)
    if form.is_valid():
        try:
            preference_set_for(
                actor=request.user,
                user=account,
                email=form.cleaned_data["email"],
                sms=form.cleaned_data["sms"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Notification channels saved."))
    return redirect("administration:account", pk=account.pk)


# ---------------------------------------------------------------- SMS consent


def _can_record_consent(user, person) -> bool:
    if isinstance(person, OrganizationContact):
        return rules.contact_consent_recordable(
            user, person.organization.communities.values_list("pk", flat=True)
        )
    return rules.can_record_sms_consent(
        user, community_id=person.community_id, grid_id=person.grid_id
    )


def _consent_page(request, *, person, back, crumbs, lookup):
    if not _can_record_consent(request.user, person):
        raise PermissionDenied
    existing = SmsConsent.objects.filter(**lookup).select_related("recorded_by").first()
    initial = (
        {
            "consent": existing.consent,
            "via": existing.via,
            "note": existing.note,
            "version": existing.version,
        }
        if existing
        else {}
    )
    form = ConsentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            sms_consent_record(actor=request.user, **lookup, **data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("SMS consent recorded."))
            return redirect(back)
    title = _("SMS consent of %(name)s") % {"name": person.name}
    return render(
        request,
        "administration/consent.html",
        {
            "form": form,
            "person": person,
            "existing": existing,
            "title": title,
            "back": back,
            "crumbs": [*crumbs, (title, "")],
        },
    )


@login_required
def resident_consent(request, pk):
    resident = get_resident_for_user(request.user, pk)
    back = reverse("communities:resident_detail", args=[resident.pk])
    return _consent_page(
        request,
        person=resident,
        back=back,
        crumbs=[(_("Residents"), reverse("communities:resident_list")), (resident.name, back)],
        lookup={"resident": resident},
    )


@login_required
def contact_consent(request, pk):
    from access.communities import organizations_visible_to

    contact = get_object_or_404(
        OrganizationContact.objects.select_related("organization"),
        pk=pk,
        organization__in=organizations_visible_to(request.user),
    )
    back = reverse("communities:organization_detail", args=[contact.organization_id])
    return _consent_page(
        request,
        person=contact,
        back=back,
        crumbs=[
            (_("Organizations"), reverse("communities:organization_list")),
            (contact.organization.name, back),
        ],
        lookup={"contact": contact},
    )


# ---------------------------------------------------------------- a street's rules


@login_required
def street_rules(request, pk):
    """工作规则 of a street: its categories with the three time limits each (the street's
    own, else the district's), and its periods."""
    street = rules.get_street_for_user(request.user, pk)
    categories, defaults = limit_rules.categories_for_street(street)
    return render(
        request,
        "administration/street_rules.html",
        {
            "street": street,
            "categories": categories,
            "defaults": [defaults.get(u) for u in limit_rules.URGENCY_ORDER],
            "urgencies": [Urgency(u).label for u in limit_rules.URGENCY_ORDER],
            "publication_days": publication_days_of(street.pk),
            "evaluation_days": evaluation_days_of(street.pk),
            "history": list(
                audit.about(Category)
                .filter(street=street)
                .annotate(actor_name=user_name_of(audit.AuditEntry, "actor"))
                .order_by("-created_at", "-pk")[:10]
            ),
            "crumbs": _crumbs((_("Work rules of %(street)s") % {"street": street.name}, "")),
        },
    )


def _limits_initial(limits):
    initial = {}
    for urgency, limit in limits.items():
        initial[f"{urgency}_accept_within"] = limit.accept_within
        initial[f"{urgency}_handle_within"] = limit.handle_within
        initial[f"{urgency}_unit"] = limit.unit
    return initial


@login_required
def category_form(request, street_pk, pk=None):
    """A category of the street's own with its time limits, or (for a district category)
    the street's limits of it; the deadline preview follows what is typed."""
    street = rules.get_street_for_user(request.user, street_pk)
    category = None
    if pk is not None:
        category = get_object_or_404(
            Category.objects.filter(Q(street__isnull=True) | Q(street=street)), pk=pk
        )
    own = category is None or category.street_id == street.pk
    initial = {}
    if category is not None:
        initial = {
            "name": category.name,
            "default_kind": category.default_kind,
            "order": category.order,
            "is_active": category.is_active,
            "version": category.version,
            **_limits_initial(
                {row.urgency: row for row in category.time_limits.filter(street=street)}
            ),
        }
    form = CategoryForm(request.POST or None, initial=initial, limits_only=not own)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = limit_rules.category_with_limits_save(
                actor=request.user,
                street=street,
                category=category,
                own=own,
                limits=form.limits(),
                version=data.get("version"),
                **(
                    {
                        "name": data["name"],
                        "default_kind": data["default_kind"],
                        "order": data["order"] or 0,
                        "is_active": data["is_active"],
                    }
                    if own
                    else {}
                ),
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": saved.name})
            return redirect("administration:street_rules", pk=street.pk)
    district = {}
    if category is not None:
        district = {row.urgency: row for row in category.time_limits.filter(street__isnull=True)}
    title = (
        _("Time limits of %(name)s") % {"name": category.name}
        if category is not None
        else _("New category")
    )
    return render(
        request,
        "administration/category_form.html",
        {
            "form": form,
            "street": street,
            "category": category,
            "own": own,
            "district": [(Urgency(u).label, district.get(u)) for u in limit_rules.URGENCY_ORDER],
            "title": title,
            "preview": _preview(form, street),
            "crumbs": _crumbs(
                (
                    _("Work rules of %(street)s") % {"street": street.name},
                    reverse("administration:street_rules", args=[street.pk]),
                ),
                (title, ""),
            ),
        },
    )


def _preview(form, street, start=None):
    """Deadlines an issue reported now would get with the limits in the form (as typed)."""
    start = start or timezone.now()
    rows = []
    data = form.data if form.is_bound else None
    for urgency, label in Urgency.choices:
        if data is not None:
            accept, handle = (
                data.get(f"{urgency}_accept_within"),
                data.get(f"{urgency}_handle_within"),
            )
            unit = data.get(f"{urgency}_unit") or "working_hours"
        else:
            accept = form.initial.get(f"{urgency}_accept_within")
            handle = form.initial.get(f"{urgency}_handle_within")
            unit = form.initial.get(f"{urgency}_unit") or "working_hours"
        try:
            accept, handle = int(accept), int(handle)
        except (TypeError, ValueError):
            rows.append({"label": label, "empty": True})
            continue
        if not (0 < accept <= 3650 and 0 < handle <= 3650):
            rows.append({"label": label, "empty": True})
            continue
        result = limit_rules.preview(start, limit_rules.Limit(accept, handle, unit))
        rows.append({"label": label, **result})
    return {"start": start, "rows": rows}


@login_required
def category_preview(request, street_pk):
    """The deadline preview of the category form, refreshed as limits are typed (htmx)."""
    street = rules.get_street_for_user(request.user, street_pk)
    form = CategoryForm(request.GET)
    return render(
        request, "administration/_deadline_preview.html", {"preview": _preview(form, street)}
    )


@login_required
def street_periods(request, pk):
    street = rules.get_street_for_user(request.user, pk)
    defaults = {
        "publication": settings.YISHI["PUBLICATION_DAYS"],
        "evaluation": settings.YISHI["EVALUATION_PERIOD_DAYS"],
    }
    form = PeriodsForm(
        request.POST or None,
        defaults=defaults,
        initial={
            "publication_days": street.publication_days,
            "evaluation_days": street.evaluation_days,
            "version": street.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            street_set_periods(actor=request.user, street=street, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request, _("Saved the periods of %(street)s.") % {"street": street.name}
            )
            return redirect("administration:street_rules", pk=street.pk)
    title = _("Publication and evaluation periods")
    return render(
        request,
        "administration/form.html",
        {
            "form": form,
            "title": title,
            "lead": _(
                "A resolution stays published on the boards for the publication period (公示期); "
                "after the work is done, residents have the evaluation period to rate it "
                "before the issue may close without their answer."
            ),
            "back": reverse("administration:street_rules", args=[street.pk]),
            "crumbs": _crumbs(
                (
                    _("Work rules of %(street)s") % {"street": street.name},
                    reverse("administration:street_rules", args=[street.pk]),
                ),
                (title, ""),
            ),
        },
    )


# ---------------------------------------------------------------- a community's rules


@login_required
def community_rules(request, pk):
    """议事规则 of a community: its fixed days and the presence rule of each meeting form
    (its own, else the district's)."""
    community = rules.get_rule_community_for_user(request.user, pk)
    from django.contrib.contenttypes.models import ContentType

    from core.models import AuditEntry

    history = list(
        AuditEntry.objects.filter(
            community=community,
            content_type__in=[
                ContentType.objects.get_for_model(FormRule),
                ContentType.objects.get_for_model(type(community)),
            ],
        )
        .annotate(actor_name=user_name_of(AuditEntry, "actor"))
        .order_by("-created_at", "-pk")[:10]
    )
    return render(
        request,
        "administration/community_rules.html",
        {
            "community": community,
            "forms": rules_for_community(community),
            "history": history,
            "crumbs": _crumbs((_("Rules of %(community)s") % {"community": community.name}, "")),
        },
    )


@login_required
def fixed_days(request, pk):
    community = rules.get_rule_community_for_user(request.user, pk)
    form = FixedDaysForm(
        request.POST or None,
        initial={
            "monthly_council_day": community.monthly_council_day,
            "visit_day": community.visit_day,
            "joint_meeting_day": community.joint_meeting_day,
            "version": community.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = community_set_fixed_days(
                actor=request.user, community=community, **form.cleaned_data
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request, _("Saved the fixed days of %(community)s.") % {"community": community.name}
            )
            if saved.monthly_council_day and saved.monthly_council_day > 28:
                messages.info(
                    request,
                    _(
                        "In a month without a %(day)dth (February, and April, June, September, "
                        "November for the 31st) the council falls on the month's last day, and "
                        "its reminders follow."
                    )
                    % {"day": saved.monthly_council_day},
                )
            return redirect("administration:community_rules", pk=community.pk)
    title = _("Fixed days")
    return render(
        request,
        "administration/form.html",
        {
            "form": form,
            "title": title,
            "lead": _(
                "Staff are reminded three days before and on the day of the monthly council; grid "
                "workers get their visits on the visit day."
            ),
            "back": reverse("administration:community_rules", args=[community.pk]),
            "crumbs": _crumbs(
                (
                    _("Rules of %(community)s") % {"community": community.name},
                    reverse("administration:community_rules", args=[community.pk]),
                ),
                (title, ""),
            ),
        },
    )


@login_required
def presence_rule(request, pk, form_code):
    community = rules.get_rule_community_for_user(request.user, pk)
    if form_code not in Form.values:
        raise Http404
    own = FormRule.objects.filter(community=community, form=form_code).first()
    district = FormRule.objects.filter(community__isnull=True, form=form_code).first()
    start = own or district
    initial = (
        {
            "required_roles": start.required_roles,
            "min_representatives": start.min_representatives,
            "all_parties_required": start.all_parties_required,
            "version": own.version if own else None,
        }
        if start
        else {}
    )
    form = PresenceRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            presence_rule_save(
                actor=request.user,
                community=community,
                form=form_code,
                rule=own,
                version=version if own else None,
                **data,
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request, _("Saved the presence rule of %(form)s.") % {"form": Form(form_code).label}
            )
            return redirect("administration:community_rules", pk=community.pk)
    title = _("Presence rule: %(form)s") % {"form": Form(form_code).label}
    return render(
        request,
        "administration/form.html",
        {
            "form": form,
            "title": title,
            "lead": _(
                "The meeting console shows what is missing before the meeting starts. This rule "
                "is %(community)s's own; the district's (if any) applies until it is saved."
            )
            % {"community": community.name},
            "back": reverse("administration:community_rules", args=[community.pk]),
            "crumbs": _crumbs(
                (
                    _("Rules of %(community)s") % {"community": community.name},
                    reverse("administration:community_rules", args=[community.pk]),
                ),
                (title, ""),
            ),
        },
    )


# ---------------------------------------------------------------- the working calendar


@login_required
def calendar(request):
    """工作日历: which years the official calendar knows, the days entered by hand for the
    others, and a form to enter one."""
    if not rules.can_manage_calendar(request.user):
        raise PermissionDenied
    form = CalendarDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            saved = work_calendar.calendar_day_save(actor=request.user, **data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Entered %(day)s.") % {"day": saved})
            return redirect("administration:calendar")
    today = timezone.localdate()
    days = list(
        CalendarDay.objects.filter(archived_at__isnull=True, date__year__gte=today.year)
        .annotate(entered_by=user_name_of(CalendarDay, "created_by"))
        .order_by("date")
    )
    return render(
        request,
        "administration/calendar.html",
        {
            "form": form,
            "days": days,
            "years": work_calendar.years_overview(today),
            "official_last": max(worktime.OFFICIAL_YEARS),
            "history": list(
                audit.about(CalendarDay)
                .annotate(actor_name=user_name_of(audit.AuditEntry, "actor"))
                .order_by("-created_at", "-pk")[:10]
            ),
            "crumbs": _crumbs((_("Working calendar"), "")),
        },
    )


@login_required
def calendar_day(request, pk):
    if not rules.can_manage_calendar(request.user):
        raise PermissionDenied
    day = get_object_or_404(CalendarDay, pk=pk, archived_at__isnull=True)
    form = CalendarDayForm(
        request.POST or None,
        initial={"date": day.date, "kind": day.kind, "name": day.name, "version": day.version},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            work_calendar.calendar_day_save(actor=request.user, day=day, **data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Saved %(day)s.") % {"day": day.date})
            return redirect("administration:calendar")
    title = _("Edit %(day)s") % {"day": day}
    return render(
        request,
        "administration/form.html",
        {
            "form": form,
            "title": title,
            "back": reverse("administration:calendar"),
            "archive_url": reverse("administration:calendar_day_archive", args=[day.pk]),
            "crumbs": _crumbs(
                (_("Working calendar"), reverse("administration:calendar")), (title, "")
            ),
        },
    )


@login_required
@require_POST
def calendar_day_archive(request, pk):
    if not rules.can_manage_calendar(request.user):
        raise PermissionDenied
    day = get_object_or_404(CalendarDay, pk=pk)
    work_calendar.calendar_day_archive(actor=request.user, day=day)
    messages.success(request, _("Took back %(day)s.") % {"day": day})
    return redirect("administration:calendar")


# ---------------------------------------------------------------- reminder schedules


@login_required
def schedule_list(request):
    """提醒计划: each reminder in plain words, whether it runs and when next."""
    if not rules.can_manage_schedules(request.user):
        raise PermissionDenied
    rows = schedules.schedule_rows()
    from django_celery_beat.models import PeriodicTask

    return render(
        request,
        "administration/schedules.html",
        {
            "rows": rows,
            "history": list(
                audit.about(PeriodicTask)
                .annotate(actor_name=user_name_of(audit.AuditEntry, "actor"))
                .order_by("-created_at", "-pk")[:10]
            ),
            "crumbs": _crumbs((_("Reminder schedules"), "")),
        },
    )


@login_required
def schedule_edit(request, pk):
    if not rules.can_manage_schedules(request.user):
        raise PermissionDenied
    task = schedules.get_schedule(pk)
    kind = "interval" if task.interval_id else "crontab"
    initial = {"enabled": task.enabled, "stamp": schedules.stamp_of(task)}
    if kind == "crontab":
        initial.update(
            hour=int(task.crontab.hour) if task.crontab.hour.isdigit() else None,
            minute=int(task.crontab.minute) if task.crontab.minute.isdigit() else None,
        )
    else:
        initial["every_minutes"] = int(schedules.fingerprint(task)["every_minutes"])
    form = ScheduleForm(request.POST or None, initial=initial, kind=kind)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            schedules.schedule_set(
                actor=request.user,
                task=task,
                enabled=data["enabled"],
                hour=data.get("hour"),
                minute=data.get("minute"),
                every_minutes=data.get("every_minutes"),
                stamp=data.get("stamp") or None,
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request, _("Saved: %(what)s.") % {"what": schedules.title_of(task.name)}
            )
            return redirect("administration:schedules")
    title = schedules.title_of(task.name)
    return render(
        request,
        "administration/form.html",
        {
            "form": form,
            "title": title,
            "lead": schedules.describe(task),
            "back": reverse("administration:schedules"),
            "crumbs": _crumbs(
                (_("Reminder schedules"), reverse("administration:schedules")), (title, "")
            ),
        },
    )


# ---------------------------------------------------------------- SMS budget


@login_required
def sms_budgets(request):
    """短信额度: each community's SMS budget of the month and what it sent; a street admin
    sets them, a community head sees their own."""
    communities = list(rules.sms_budget_communities_for(request.user))
    if not communities:
        raise PermissionDenied
    return render(
        request,
        "administration/sms_budgets.html",
        {
            "rows": sms_budget_rows(communities),
            "may_set": rules.can_set_sms_budget(request.user, communities[0].pk),
            "month": timezone.localdate(),
            "crumbs": [
                (pgettext("section", "Administration"), reverse("administration:home")),
                (_("SMS budget"), ""),
            ],
        },
    )


@login_required
def sms_budget(request, pk):
    """One community's SMS budget: what it sent this month by kind of message, and (for the
    street's admins) the form that sets the limit."""
    community = rules.get_rule_community_for_user(request.user, pk)
    budget = SmsBudget.objects.filter(community=community).first()
    may_set = rules.can_set_sms_budget(request.user, community.pk)
    form = None
    if may_set:
        form = SmsBudgetForm(
            request.POST or None,
            initial={
                "monthly_limit": budget.monthly_limit if budget else None,
                "version": budget.version if budget else None,
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                sms_budget_set(
                    actor=request.user,
                    community=community,
                    monthly_limit=form.cleaned_data["monthly_limit"],
                    version=form.cleaned_data["version"],
                )
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(
                    request,
                    _("Saved the SMS budget of %(community)s.") % {"community": community.name},
                )
                return redirect("administration:sms_budget", pk=community.pk)
    elif request.method == "POST":
        raise PermissionDenied
    by_kind = sms_used_by_kind(community.pk)
    return render(
        request,
        "administration/sms_budget.html",
        {
            "community": community,
            "row": sms_budget_rows([community])[0],
            "budget": budget,
            "form": form,
            "by_kind": by_kind,
            "by_kind_max": max((n for _label, n in by_kind), default=0),
            "month": timezone.localdate(),
            "crumbs": [
                (pgettext("section", "Administration"), reverse("administration:home")),
                (_("SMS budget"), reverse("administration:sms_budgets")),
                (community.name, ""),
            ],
        },
    )
