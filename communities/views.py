import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access import communities as access
from access.scope import get_scope
from accounts.models import User
from lib import maps
from lib.errors import DomainError
from lib.lookups import SUGGESTIONS
from lib.replica import reads_from_replica

from . import services, spreadsheets
from .forms import (
    AgreementEntryForm,
    AgreementForm,
    BuildingForm,
    CompoundForm,
    ContactForm,
    GridForm,
    HouseholdForm,
    ImportForm,
    OrganizationForm,
    ResidentForm,
    ShopForm,
    UnitForm,
    VenueForm,
    form_error,
)
from .lookups import LOOKUPS
from .maps import places_geojson, places_url
from .models import (
    AgreementEntry,
    Building,
    CoBuildingAgreement,
    Compound,
    Grid,
    Household,
    Organization,
    OrganizationContact,
    Resident,
    Shop,
    Unit,
    Venue,
)
from .panels import grid_panels

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TAGS = [
    ("is_party_member", Resident._meta.get_field("is_party_member").verbose_name),
    ("is_representative", Resident._meta.get_field("is_representative").verbose_name),
    ("is_supervisor", Resident._meta.get_field("is_supervisor").verbose_name),
    ("is_elderly_alone", Resident._meta.get_field("is_elderly_alone").verbose_name),
    ("is_disabled", Resident._meta.get_field("is_disabled").verbose_name),
    ("is_low_income", Resident._meta.get_field("is_low_income").verbose_name),
    ("is_very_old", Resident._meta.get_field("is_very_old").verbose_name),
]


def _workers_only(request):
    if not access.can_see_communities(request.user):
        raise PermissionDenied


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _xlsx(content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def _community_counts(communities):
    """Households, residents and each special group per community, in two queries."""
    special = {f"n_{tag[3:]}": Count("pk", filter=Q(**{tag: True})) for tag, _label in TAGS}
    residents = {
        row["community"]: row
        for row in Resident.objects.filter(community__in=communities, archived_at__isnull=True)
        .values("community")
        .annotate(n_residents=Count("pk"), **special)
    }
    households = dict(
        Household.objects.filter(community__in=communities, archived_at__isnull=True)
        .values("community")
        .annotate(n=Count("pk"))
        .values_list("community", "n")
    )
    return residents, households


def _attach_counts(communities):
    residents, households = _community_counts([c.pk for c in communities])
    for community in communities:
        row = residents.get(community.pk, {})
        community.n_residents = row.get("n_residents", 0)
        community.n_households = households.get(community.pk, 0)
        community.groups = [(label, row.get(f"n_{tag[3:]}", 0), tag) for tag, label in TAGS]
    return communities


# Places ----------------------------------------------------------------------------------


MAX_LOOKUP_TEXT = 100
# What each lookup may suggest to a user: the access rules of its records.
VISIBLE = {"resident": access.residents_visible_to, "household": access.households_visible_to}


@login_required
def lookup(request, kind):
    """Suggestions for a LookupField: the first residents or households matching what was
    typed, among those the user may pick, as <option>s for the field's <datalist>."""
    spec = LOOKUPS.get(kind)
    if spec is None:
        raise Http404
    if not access.can_see_communities(request.user):
        raise PermissionDenied
    records = VISIBLE[kind](request.user)
    community = request.GET.get("community", "")
    if community.isdigit():
        records = records.filter(community=int(community))
    text = request.GET.get(request.GET.get("field", "q"), "")[:MAX_LOOKUP_TEXT].replace("\x00", "")
    matches = spec.search(records, text)[:SUGGESTIONS] if text.strip() else []
    return render(
        request, "communities/lookup_options.html", {"labels": [spec.label(m) for m in matches]}
    )


@login_required
def map_places(request):
    """The compounds and buildings under a map's markers: of one community or one grid
    (`?community=`, `?grid=`), else of every community the user may see."""
    _workers_only(request)
    communities = access.communities_visible_to(request.user)
    grid = None
    if request.GET.get("grid"):
        grid = access.get_grid_for_user(request.user, request.GET["grid"])
        communities = communities.filter(pk=grid.community_id)
    elif request.GET.get("community"):
        community = access.get_community_for_user(request.user, request.GET["community"])
        communities = communities.filter(pk=community.pk)
    response = JsonResponse(
        places_geojson(communities, grid), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Type"] = "application/geo+json"
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
def overview(request):
    """Street admins: their communities side by side. Staff and grid workers: theirs."""
    _workers_only(request)
    communities = list(
        access.communities_visible_to(request.user)
        .select_related("street")
        .annotate(
            n_grids=Count("grids", filter=Q(grids__archived_at__isnull=True), distinct=True),
            n_compounds=Count(
                "compounds", filter=Q(compounds__archived_at__isnull=True), distinct=True
            ),
        )
        .order_by("street__code", "area_code")
    )
    scope = get_scope(request.user)
    if len(communities) == 1 and scope.is_staff:
        return redirect("communities:community_detail", pk=communities[0].pk)
    _attach_counts(communities)
    return render(
        request,
        "communities/overview.html",
        {"communities": communities, "tags": TAGS, "is_street_admin": scope.is_street_admin},
    )


@login_required
def community_detail(request, pk):
    community = access.get_community_for_user(request.user, pk)
    _attach_counts([community])
    grids = (
        community.grids.filter(archived_at__isnull=True)
        .annotate(
            n_residents=Count(
                "residents", filter=Q(residents__archived_at__isnull=True), distinct=True
            ),
            n_compounds=Count("compounds", distinct=True),
        )
        .prefetch_related(Prefetch("workers", queryset=User.objects.order_by("name")))
    )
    compounds = community.compounds.filter(archived_at__isnull=True).annotate(
        n_households=Count(
            "households", filter=Q(households__archived_at__isnull=True), distinct=True
        ),
        n_buildings=Count("buildings", distinct=True),
    )
    context = {
        "community": community,
        "grids": grids,
        "compounds": compounds,
        "shops": community.shops.filter(archived_at__isnull=True).select_related("merchant")[:50],
        "agreements": community.agreements.filter(archived_at__isnull=True).select_related(
            "organization"
        ),
        "n_organizations": community.organizations.filter(archived_at__isnull=True).count(),
        "venues": list(
            community.venues.filter(archived_at__isnull=True).only("name", "kind").order_by("name")
        ),
        "can_manage": access.can_manage_community(request.user, community.pk),
        "can_import": access.can_import(request.user),
    }
    return render(request, "communities/community_detail.html", context)


@login_required
def my_grid(request):
    grid = access.my_grid_for_user(request.user)
    if grid is None:
        _workers_only(request)
        return render(request, "communities/no_grid.html", status=200)
    return grid_detail(request, grid.pk)


@login_required
def grid_detail(request, pk):
    grid = access.get_grid_for_user(request.user, pk)
    buildings = (
        Building.objects.filter(
            Q(compound__in=grid.compounds.all()) | Q(pk__in=grid.buildings.all())
        )
        .distinct()
        .select_related("compound", "head")
        .prefetch_related(
            Prefetch("units", queryset=Unit.objects.select_related("head").order_by("name"))
        )
        .order_by("compound__name", "name")
    )
    residents = (
        Resident.objects.filter(grid=grid, archived_at__isnull=True)
        .select_related("grid", "household__unit__building__compound", "household__compound")
        .order_by("name")
    )
    is_my_grid = get_scope(request.user).is_worker_of_grid(grid.pk)
    # A worker's own grid is their home: its work, not a directory of its residents (the
    # search and the special-group counts lead there).
    page = None if is_my_grid else _page(request, residents)
    for resident in page or ():
        resident.shown_phone, resident.shown_id = access.resident_numbers(request.user, resident)
    special = Resident.objects.filter(grid=grid, archived_at__isnull=True).aggregate(
        total=Count("pk"),
        **{f"n_{tag[3:]}": Count("pk", filter=Q(**{tag: True})) for tag, _l in TAGS},
    )
    context = {
        "grid": grid,
        "community": grid.community,
        "compounds": grid.compounds.filter(archived_at__isnull=True),
        "buildings": buildings,
        "workers": grid.workers.filter(is_active=True).order_by("-is_head", "name"),
        "party_leader": grid.party_leader,
        "page_obj": page,
        "n_residents": special["total"],
        "groups": [(label, special[f"n_{tag[3:]}"], tag) for tag, label in TAGS],
        "panels": grid_panels(request, grid),
        "can_manage": access.can_manage_community(request.user, grid.community_id),
        "is_my_grid": is_my_grid,
        "can_add_residents": access.can_create_residents(request.user),
    }
    return render(request, "communities/grid_detail.html", context)


def _place_form(request, *, community, form_class, instance, save, title, back, **form_kwargs):
    """Create or edit a place of a community with a service; errors next to the field."""
    form = form_class(request.POST or None, instance=instance, community=community, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": saved})
            return redirect(back)
    context = {"form": form, "title": title, "community": community, "back": back}
    if "latitude" in form.fields:
        # The place is set by clicking on a map of the community's other places.
        context["map_layers"] = [{"kind": "places", "url": places_url(community=community)}]
        context["map_config"] = maps.config()
        context["draws_outline"] = "outline" in form.fields
    response = render(request, "communities/place_form.html", context)
    return maps.allow_tiles(response)


def _community_for_write(request, community_pk):
    return access.get_community_for_user(request.user, community_pk, write=True)


@login_required
def compound_form(request, community_pk, pk=None):
    community = _community_for_write(request, community_pk)
    compound = get_object_or_404(Compound, pk=pk, community=community) if pk else None
    return _place_form(
        request,
        community=community,
        form_class=CompoundForm,
        instance=compound,
        save=lambda data: services.compound_save(
            actor=request.user, community=community, compound=compound, **data
        ),
        title=_("Edit compound") if compound else _("New compound"),
        back=reverse("communities:community_detail", args=[community.pk]),
    )


@login_required
def building_form(request, community_pk, pk=None):
    community = _community_for_write(request, community_pk)
    building = get_object_or_404(Building, pk=pk, compound__community=community) if pk else None

    def save(data):
        compound = data.pop("compound")
        return services.building_save(
            actor=request.user, compound=compound, building=building, **data
        )

    return _place_form(
        request,
        community=community,
        form_class=BuildingForm,
        instance=building,
        save=save,
        title=_("Edit building") if building else _("New building"),
        back=reverse("communities:community_detail", args=[community.pk]),
    )


@login_required
def unit_form(request, community_pk, pk=None):
    community = _community_for_write(request, community_pk)
    unit = get_object_or_404(Unit, pk=pk, building__compound__community=community) if pk else None

    def save(data):
        building = data.pop("building")
        return services.unit_save(actor=request.user, building=building, unit=unit, **data)

    return _place_form(
        request,
        community=community,
        form_class=UnitForm,
        instance=unit,
        save=save,
        title=_("Edit unit") if unit else _("New unit"),
        back=reverse("communities:community_detail", args=[community.pk]),
    )


@login_required
def household_form(request, community_pk, pk=None):
    community = _community_for_write(request, community_pk)
    household = get_object_or_404(Household, pk=pk, community=community) if pk else None
    return _place_form(
        request,
        community=community,
        form_class=HouseholdForm,
        instance=household,
        save=lambda data: services.household_save(
            actor=request.user, community=community, household=household, **data
        ),
        title=_("Edit household") if household else _("New household"),
        back=reverse("communities:community_detail", args=[community.pk]),
    )


@login_required
def grid_form(request, community_pk, pk=None):
    community = _community_for_write(request, community_pk)
    grid = get_object_or_404(Grid, pk=pk, community=community) if pk else None

    def save(data):
        compounds = list(data.pop("compounds"))
        buildings = list(data.pop("buildings"))
        return services.grid_save(
            actor=request.user,
            community=community,
            grid=grid,
            compounds=compounds,
            buildings=buildings,
            **data,
        )

    return _place_form(
        request,
        community=community,
        form_class=GridForm,
        instance=grid,
        save=save,
        title=_("Edit grid") if grid else _("New grid"),
        back=reverse("communities:grid_detail", args=[grid.pk])
        if grid
        else reverse("communities:community_detail", args=[community.pk]),
    )


@login_required
def shop_form(request, community_pk, pk=None):
    community = _community_for_write(request, community_pk)
    shop = get_object_or_404(Shop, pk=pk, community=community) if pk else None
    return _place_form(
        request,
        community=community,
        form_class=ShopForm,
        instance=shop,
        save=lambda data: services.shop_save(
            actor=request.user, community=community, shop=shop, **data
        ),
        title=_("Edit shop") if shop else _("New shop"),
        back=reverse("communities:community_detail", args=[community.pk]),
    )


@login_required
@require_POST
def shop_archive(request, community_pk, pk):
    community = _community_for_write(request, community_pk)
    shop = get_object_or_404(Shop, pk=pk, community=community)
    services.shop_archive(actor=request.user, shop=shop)
    messages.success(request, _("Archived %(name)s.") % {"name": shop})
    return redirect("communities:community_detail", pk=community.pk)


# Venues (议事场所) -------------------------------------------------------------------------


@login_required
def venue_list(request, community_pk):
    """The community's places of deliberation, each council room with the pavilions and
    corridors under it (the "1+4" arrangement), then the others."""
    community = access.get_community_for_user(request.user, community_pk)
    venues = list(
        community.venues.filter(archived_at__isnull=True)
        .select_related("compound")
        .annotate(n_meetings=Count("meetings"))
        .order_by("name")
    )
    children = {}
    for venue in venues:
        if venue.parent_id:
            children.setdefault(venue.parent_id, []).append(venue)
    known = {venue.pk for venue in venues}
    rooms = [v for v in venues if v.kind == Venue.Kind.COUNCIL_ROOM]
    for room in rooms:
        room.members = children.get(room.pk, [])
    others = [
        v
        for v in venues
        if v.kind != Venue.Kind.COUNCIL_ROOM and (not v.parent_id or v.parent_id not in known)
    ]
    return render(
        request,
        "communities/venue_list.html",
        {
            "community": community,
            "rooms": rooms,
            "others": others,
            "count": len(venues),
            "can_manage": access.can_manage_community(request.user, community.pk),
        },
    )


@login_required
def venue_form(request, community_pk, pk=None):
    community = _community_for_write(request, community_pk)
    venue = get_object_or_404(Venue, pk=pk, community=community) if pk else None
    return _place_form(
        request,
        community=community,
        form_class=VenueForm,
        instance=venue,
        save=lambda data: services.venue_save(
            actor=request.user, community=community, venue=venue, **data
        ),
        title=_("Edit meeting place") if venue else _("New meeting place"),
        back=reverse("communities:venue_list", args=[community.pk]),
    )


@login_required
@require_POST
def venue_archive(request, community_pk, pk):
    community = _community_for_write(request, community_pk)
    venue = get_object_or_404(Venue, pk=pk, community=community)
    try:
        services.venue_archive(actor=request.user, venue=venue)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Archived %(name)s.") % {"name": venue})
    return redirect("communities:venue_list", community_pk=community.pk)


# Co-building agreements ------------------------------------------------------------------


@login_required
def agreement_form(request, community_pk, pk=None):
    community = _community_for_write(request, community_pk)
    agreement = get_object_or_404(CoBuildingAgreement, pk=pk, community=community) if pk else None
    form = AgreementForm(request.POST or None, instance=agreement, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.agreement_save(
                actor=request.user, community=community, agreement=agreement, **form.cleaned_data
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": saved})
            return redirect("communities:agreement_detail", pk=saved.pk)
    return render(
        request,
        "communities/place_form.html",
        {
            "form": form,
            "community": community,
            "title": _("Edit agreement") if agreement else _("New co-building agreement"),
            "back": reverse("communities:community_detail", args=[community.pk]),
        },
    )


def _agreement_for_user(user, pk):
    try:
        return CoBuildingAgreement.objects.select_related("organization", "community").get(
            pk=pk, community__in=access.communities_visible_to(user)
        )
    except (CoBuildingAgreement.DoesNotExist, ValueError):
        raise Http404 from None


@login_required
def agreement_detail(request, pk):
    agreement = _agreement_for_user(request.user, pk)
    can_manage = access.can_manage_community(request.user, agreement.community_id)
    form = AgreementEntryForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.agreement_entry_save(
                    actor=request.user, agreement=agreement, **form.cleaned_data
                )
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Added to the list."))
                return redirect("communities:agreement_detail", pk=agreement.pk)
    entries = list(agreement.entries.all())
    lists = [
        (kind, label, [e for e in entries if e.list_kind == kind])
        for kind, label in AgreementEntry.ListKind.choices
    ]
    return render(
        request,
        "communities/agreement_detail.html",
        {
            "agreement": agreement,
            "community": agreement.community,
            "lists": lists,
            "form": form,
            "can_manage": can_manage,
            "statuses": AgreementEntry.Status.choices,
        },
    )


@login_required
@require_POST
def agreement_entry_status(request, pk, entry_pk):
    agreement = _agreement_for_user(request.user, pk)
    if not access.can_manage_community(request.user, agreement.community_id):
        raise PermissionDenied
    entry = get_object_or_404(AgreementEntry, pk=entry_pk, agreement=agreement)
    status = request.POST.get("status")
    if status not in AgreementEntry.Status.values:
        raise Http404
    services.agreement_entry_save(
        actor=request.user,
        agreement=agreement,
        entry=entry,
        list_kind=entry.list_kind,
        description=entry.description,
        status=status,
    )
    messages.success(request, _("Status changed."))
    return redirect("communities:agreement_detail", pk=agreement.pk)


@login_required
@require_POST
def agreement_archive(request, pk):
    agreement = _agreement_for_user(request.user, pk)
    if not access.can_manage_community(request.user, agreement.community_id):
        raise PermissionDenied
    services.agreement_archive(actor=request.user, agreement=agreement)
    messages.success(request, _("Archived %(name)s.") % {"name": agreement})
    return redirect("communities:community_detail", pk=agreement.community_id)


# Residents -------------------------------------------------------------------------------


def _filtered_residents(request):
    user = request.user
    show_archived = request.GET.get("archived") == "1"
    residents = access.residents_visible_to(user, include_archived=show_archived)
    if show_archived:
        residents = residents.filter(archived_at__isnull=False)
    params = request.GET
    filters = {}
    query = params.get("q", "").strip()
    if query:
        residents = residents.filter(
            Q(name__icontains=query) | Q(phone__contains=query) | Q(id_number=query.upper())
        )
    for key, lookup in (
        ("community", "community"),
        ("grid", "grid"),
        ("compound", "household__compound"),
    ):
        value = params.get(key, "")
        if value.isdigit():
            residents = residents.filter(**{lookup: int(value)})
            filters[key] = int(value)
    tag = params.get("tag", "")
    if tag in dict(TAGS):
        residents = residents.filter(**{tag: True})
    elif tag == "special":
        residents = residents.filter(
            Q(is_elderly_alone=True)
            | Q(is_disabled=True)
            | Q(is_low_income=True)
            | Q(is_very_old=True)
        )
    return residents.select_related(
        "community", "grid", "household__unit__building__compound", "household__compound"
    ).order_by("name", "pk")


@login_required
def resident_list(request):
    _workers_only(request)
    scope = get_scope(request.user)
    if scope.is_resident or scope.is_org_contact:
        raise PermissionDenied
    page = _page(request, _filtered_residents(request))
    for resident in page:
        resident.shown_phone, resident.shown_id = access.resident_numbers(request.user, resident)
    communities = list(access.communities_visible_to(request.user))
    context = {
        "page_obj": page,
        "communities": communities,
        "grids": access.grids_visible_to(request.user).filter(pk__in=scope.grid_ids)
        if scope.is_grid_worker
        else access.grids_visible_to(request.user),
        "compounds": access.compound_filter_for(request.user),
        "tags": TAGS,
        "can_create": access.can_create_residents(request.user),
        "can_import": access.can_import(request.user),
        "query": request.GET,
    }
    return render(request, "communities/resident_list.html", context)


@login_required
@reads_from_replica
def resident_export(request):
    _workers_only(request)
    rows = spreadsheets.resident_export_rows(_filtered_residents(request))
    content = spreadsheets.export_residents(
        rows.iterator(chunk_size=2000),
        numbers=lambda row: access.numbers_of(
            request.user,
            resident_id=row["pk"],
            community_id=row["community_id"],
            grid_id=row["grid_id"],
            phone=row["phone"],
            id_number=row["id_number"],
        ),
    )
    filename = f"residents-{timezone.localdate():%Y%m%d}.xlsx"
    return _xlsx(content, filename)


@login_required
def resident_detail(request, pk):
    resident = access.get_resident_for_user(request.user, pk)
    phone, id_number = access.resident_numbers(request.user, resident)
    from django.contrib.contenttypes.models import ContentType

    from core.models import AuditEntry

    history = []
    can_edit = access.can_edit_resident(request.user, resident)
    if can_edit:
        history = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Resident), object_id=resident.pk
        ).select_related("actor")[:20]
    from access.administration import can_give_account_in, can_record_sms_consent
    from accounts.models import Role

    account = User.objects.filter(resident=resident).only("pk", "username", "is_active").first()
    try:
        consent = resident.sms_consent
    except ObjectDoesNotExist:
        consent = None
    return render(
        request,
        "communities/resident_detail.html",
        {
            "resident": resident,
            "account": account,
            "can_give_account": can_give_account_in(
                request.user, resident.community_id, Role.RESIDENT
            ),
            "consent": consent,
            "person": resident,
            "can_record_consent": can_record_sms_consent(
                request.user, community_id=resident.community_id, grid_id=resident.grid_id
            ),
            "community": resident.community,
            "shown_phone": phone,
            "shown_id": id_number,
            "can_edit": can_edit,
            "history": history,
            "tags": [label for tag, label in TAGS if getattr(resident, tag)],
        },
    )


def _resident_community(request):
    scope = get_scope(request.user)
    if not access.can_create_residents(request.user):
        raise PermissionDenied
    communities = list(access.communities_visible_to(request.user))
    wanted = request.GET.get("community") or request.POST.get("community")
    for community in communities:
        if str(community.pk) == str(wanted):
            return community
    if len(communities) == 1 or (scope.is_grid_worker and communities):
        return communities[0]
    return None


@login_required
def resident_create(request):
    community = _resident_community(request)
    if community is None:
        return render(
            request,
            "communities/choose_community.html",
            {
                "communities": access.communities_visible_to(request.user),
                "next": reverse("communities:resident_create"),
            },
        )
    form = ResidentForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        household = data.get("household")
        if get_scope(request.user).is_grid_worker:
            grid = services.grid_for_household(household)
            if grid is None or not get_scope(request.user).is_worker_of_grid(grid.pk):
                form.add_error("household", _("Choose a household of your grid."))
        if not form.errors:
            try:
                resident = services.resident_create(actor=request.user, community=community, **data)
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Added %(name)s.") % {"name": resident})
                return redirect("communities:resident_detail", pk=resident.pk)
    return render(
        request,
        "communities/resident_form.html",
        {"form": form, "community": community, "resident": None},
    )


@login_required
def resident_edit(request, pk):
    resident = access.get_resident_for_user(request.user, pk, write=True)
    form = ResidentForm(request.POST or None, instance=resident, community=resident.community)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            resident = services.resident_update(
                actor=request.user, resident=resident, version=version, **data
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": resident})
            return redirect("communities:resident_detail", pk=resident.pk)
    return render(
        request,
        "communities/resident_form.html",
        {"form": form, "community": resident.community, "resident": resident},
    )


@login_required
@require_POST
def resident_archive(request, pk):
    resident = access.get_resident_for_user(request.user, pk, write=True)
    if request.POST.get("restore"):
        services.resident_restore(actor=request.user, resident=resident)
        messages.success(request, _("Restored %(name)s.") % {"name": resident})
    else:
        services.resident_archive(actor=request.user, resident=resident)
        messages.success(request, _("Archived %(name)s.") % {"name": resident})
    return redirect("communities:resident_detail", pk=resident.pk)


# Organizations ---------------------------------------------------------------------------


def _filtered_organizations(request):
    show_archived = request.GET.get("archived") == "1"
    organizations = access.organizations_visible_to(request.user, include_archived=show_archived)
    if show_archived:
        organizations = organizations.filter(archived_at__isnull=False)
    query = request.GET.get("q", "").strip()
    if query:
        organizations = organizations.filter(
            Q(name__icontains=query) | Q(contacts__name__icontains=query)
        ).distinct()
    kind = request.GET.get("kind", "")
    if kind in Organization.Kind.values:
        organizations = organizations.filter(kind=kind)
    community = request.GET.get("community", "")
    if community.isdigit():
        organizations = organizations.filter(
            pk__in=Organization.objects.filter(communities=int(community)).values("pk")
        )
    return organizations.prefetch_related(
        "communities",
        Prefetch(
            "contacts",
            queryset=OrganizationContact.objects.filter(archived_at__isnull=True).order_by("name"),
        ),
    ).order_by("kind", "name")


@login_required
def organization_list(request):
    _workers_only(request)
    page = _page(request, _filtered_organizations(request))
    return render(
        request,
        "communities/organization_list.html",
        {
            "page_obj": page,
            "kinds": Organization.Kind.choices,
            "communities": access.communities_visible_to(request.user),
            "can_create": access.can_create_organizations(request.user),
            "can_import": access.can_import(request.user),
            "query": request.GET,
        },
    )


@login_required
@reads_from_replica
def organization_export(request):
    _workers_only(request)
    content = spreadsheets.export_organizations(_filtered_organizations(request))
    return _xlsx(content, f"organizations-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
def organization_detail(request, pk):
    from access.administration import contact_consent_recordable

    organization = access.get_organization_for_user(request.user, pk)
    scope = get_scope(request.user)
    communities = organization.communities.all()
    if not scope.is_org_contact:
        communities = communities.filter(pk__in=scope.community_ids)
    return render(
        request,
        "communities/organization_detail.html",
        {
            "organization": organization,
            "contacts": organization.contacts.filter(archived_at__isnull=True).select_related(
                "sms_consent"
            ),
            "can_record_consent": contact_consent_recordable(
                request.user, organization.communities.values_list("pk", flat=True)
            ),
            "communities_served": communities,
            "compounds": organization.compounds.all(),
            "agreements": organization.agreements.filter(
                archived_at__isnull=True, community__in=scope.community_ids
            ),
            "shops": organization.shops.filter(
                archived_at__isnull=True, community__in=scope.community_ids
            ),
            "can_edit": access.can_edit_organization(request.user, organization),
            "contact_form": ContactForm(),
        },
    )


def _organization_form(request, organization):
    communities = access.communities_visible_to(request.user).filter(
        pk__in=get_scope(request.user).community_ids
    )
    compounds = Compound.objects.filter(community__in=communities, archived_at__isnull=True)
    form = OrganizationForm(
        request.POST or None,
        instance=organization,
        communities=communities,
        compounds=compounds,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        served = list(data.pop("communities"))
        chosen_compounds = list(data.pop("compounds"))
        try:
            if organization is None:
                organization = services.organization_create(
                    actor=request.user, communities=served, compounds=chosen_compounds, **data
                )
            else:
                # Communities outside this user's scope stay as they were.
                others = list(
                    organization.communities.exclude(pk__in=get_scope(request.user).community_ids)
                )
                other_compounds = list(organization.compounds.exclude(community__in=communities))
                organization = services.organization_update(
                    actor=request.user,
                    organization=organization,
                    version=version,
                    communities=served + others,
                    compounds=chosen_compounds + other_compounds,
                    **data,
                )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": organization})
            return redirect("communities:organization_detail", pk=organization.pk)
    return render(
        request,
        "communities/organization_form.html",
        {"form": form, "organization": organization},
    )


@login_required
def organization_create(request):
    if not access.can_create_organizations(request.user):
        raise PermissionDenied
    return _organization_form(request, None)


@login_required
def organization_edit(request, pk):
    organization = access.get_organization_for_user(request.user, pk, write=True)
    return _organization_form(request, organization)


@login_required
@require_POST
def organization_archive(request, pk):
    organization = access.get_organization_for_user(request.user, pk, write=True)
    if request.POST.get("restore"):
        services.organization_restore(actor=request.user, organization=organization)
        messages.success(request, _("Restored %(name)s.") % {"name": organization})
    else:
        services.organization_archive(actor=request.user, organization=organization)
        messages.success(request, _("Archived %(name)s.") % {"name": organization})
    return redirect("communities:organization_detail", pk=organization.pk)


@login_required
def contact_form(request, pk, contact_pk=None):
    organization = access.get_organization_for_user(request.user, pk, write=True)
    # Through the organization's contacts: the contact carries the organization read with
    # its communities, which the service checks the user against.
    contact = get_object_or_404(organization.contacts, pk=contact_pk) if contact_pk else None
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_save(
                actor=request.user, organization=organization, contact=contact, **form.cleaned_data
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Saved the contact."))
            return redirect("communities:organization_detail", pk=organization.pk)
    return render(
        request,
        "communities/contact_form.html",
        {"form": form, "organization": organization, "contact": contact},
    )


@login_required
@require_POST
def contact_archive(request, pk, contact_pk):
    organization = access.get_organization_for_user(request.user, pk, write=True)
    contact = get_object_or_404(organization.contacts, pk=contact_pk)
    services.contact_archive(actor=request.user, contact=contact)
    messages.success(request, _("Archived %(name)s.") % {"name": contact.name})
    return redirect("communities:organization_detail", pk=organization.pk)


# Import ----------------------------------------------------------------------------------

IMPORTS = {
    "residents": {
        "columns": spreadsheets.RESIDENT_COLUMNS,
        "run": spreadsheets.import_residents,
        "template": spreadsheets.resident_template,
        "back": "communities:resident_list",
    },
    "organizations": {
        "columns": spreadsheets.ORGANIZATION_COLUMNS,
        "run": spreadsheets.import_organizations,
        "template": spreadsheets.organization_template,
        "back": "communities:organization_list",
    },
    "places": {
        "columns": spreadsheets.PLACE_COLUMNS,
        "run": spreadsheets.import_places,
        "template": spreadsheets.places_template,
        "back": "communities:overview",
    },
}


def _import_kind(kind):
    if kind not in IMPORTS:
        raise Http404
    return IMPORTS[kind]


@login_required
def import_template(request, kind):
    spec = _import_kind(kind)
    _workers_only(request)
    return _xlsx(spec["template"](), f"{kind}-template.xlsx")


@login_required
def import_upload(request, kind):
    """Upload → preview (nothing written) → confirm (the whole file in one transaction)."""
    spec = _import_kind(kind)
    if not access.can_import(request.user):
        raise PermissionDenied
    scope = get_scope(request.user)
    communities = access.communities_visible_to(request.user).filter(pk__in=scope.community_ids)
    session_key = f"communities_import_{kind}"
    result = None
    token = None
    if request.method == "POST" and request.POST.get("confirm"):
        pending = request.session.get(session_key) or {}
        token = request.POST.get("token")
        if pending.get("token") != token or not default_storage.exists(pending.get("path", "")):
            messages.error(request, _("This preview has expired. Upload the file again."))
            return redirect("communities:import", kind=kind)
        community = get_object_or_404(communities, pk=pending["community"])
        with default_storage.open(pending["path"], "rb") as stored:
            stored.name = pending["name"]
            rows = spreadsheets.read_rows(stored, spec["columns"])
        result = spec["run"](actor=request.user, community=community, rows=rows, commit=True)
        if result.ok:
            default_storage.delete(pending["path"])
            del request.session[session_key]
            messages.success(
                request,
                _("Imported: %(created)d added, %(updated)d changed, %(unchanged)d unchanged.")
                % {
                    "created": len(result.created),
                    "updated": len(result.updated),
                    "unchanged": len(result.unchanged),
                },
            )
            return redirect(spec["back"])
        form = ImportForm(communities=communities)
    else:
        form = ImportForm(request.POST or None, request.FILES or None, communities=communities)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            community = form.cleaned_data["community"]
            try:
                rows = spreadsheets.read_rows(upload, spec["columns"])
            except spreadsheets.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                result = spec["run"](
                    actor=request.user, community=community, rows=rows, commit=False
                )
                if result.ok:
                    upload.seek(0)
                    suffix = ".csv" if upload.name.lower().endswith(".csv") else ".xlsx"
                    path = default_storage.save(
                        f"imports/{uuid.uuid4().hex}{suffix}", ContentFile(upload.read())
                    )
                    token = uuid.uuid4().hex
                    request.session[session_key] = {
                        "token": token,
                        "path": path,
                        "name": upload.name,
                        "community": community.pk,
                    }
    return render(
        request,
        "communities/import.html",
        {"form": form, "kind": kind, "result": result, "token": token, "back": spec["back"]},
    )
