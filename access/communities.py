"""Who may see and change places and people: communities, grids, residents, organizations.

- Street admins see every community of their streets (read only).
- Staff see and change everything of their own communities.
- Grid workers see their community's places, change the residents of their grid(s), and see
  the residents of their grid(s) only.
- Residents and organization contacts never see resident lists; a resident sees their own
  record only.
- Phone and ID numbers are shown in full only to staff of the community and to the workers
  of the resident's grid.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from communities.models import Community, Grid, Household, Organization, Resident
from lib.masking import mask_id_number, mask_phone

from .scope import get_scope


def communities_visible_to(user):
    scope = get_scope(user)
    if not scope.works_for_community:
        return Community.objects.none()
    return Community.objects.filter(pk__in=scope.community_ids, archived_at__isnull=True)


def grids_visible_to(user):
    scope = get_scope(user)
    if not scope.works_for_community:
        return Grid.objects.none()
    return Grid.objects.filter(community__in=scope.community_ids, archived_at__isnull=True)


def residents_visible_to(user, *, include_archived=False):
    """Residents in lists: staff and street admins their communities, grid workers their
    grids. Residents and organization contacts: none (a resident opens only their own)."""
    scope = get_scope(user)
    residents = Resident.objects.all()
    if not include_archived:
        residents = residents.filter(archived_at__isnull=True)
    if scope.is_staff or scope.is_street_admin:
        return residents.filter(community__in=scope.community_ids)
    if scope.is_grid_worker:
        return residents.filter(grid__in=scope.grid_ids)
    return residents.none()


def households_visible_to(user):
    """Households to pick in forms: staff and street admins those of their communities,
    grid workers those of the buildings and compounds their grids cover."""
    scope = get_scope(user)
    households = Household.objects.filter(archived_at__isnull=True)
    if scope.is_staff or scope.is_street_admin:
        return households.filter(community__in=scope.community_ids)
    if scope.is_grid_worker:
        covered = Household.objects.filter(
            Q(unit__building__grids__in=scope.grid_ids) | Q(compound__grids__in=scope.grid_ids)
        )
        return households.filter(pk__in=covered.values("pk"))
    return households.none()


def organizations_visible_to(user, *, include_archived=False):
    scope = get_scope(user)
    organizations = Organization.objects.all()
    if not include_archived:
        organizations = organizations.filter(archived_at__isnull=True)
    if scope.works_for_community:
        return organizations.filter(
            pk__in=Organization.objects.filter(communities__in=scope.community_ids).values("pk")
        )
    if scope.is_org_contact and scope.organization_id:
        return organizations.filter(pk=scope.organization_id)
    return organizations.none()


def can_see_communities(user) -> bool:
    """Staff, grid workers and street admins open the communities, their residents and
    organizations; residents and organization contacts see only their own records."""
    return get_scope(user).works_for_community


def can_manage_community(user, community_id) -> bool:
    """Staff of the community create and change its places, grids and organizations."""
    return get_scope(user).is_staff_of(community_id)


def can_create_residents(user) -> bool:
    scope = get_scope(user)
    return scope.is_staff or scope.is_grid_worker


def can_add_resident_in(user, community_id, grid_id) -> bool:
    """Staff add residents to their community; a grid worker to a household of their own
    grid (`grid_id`: the grid covering the new resident's household, or None)."""
    scope = get_scope(user)
    return scope.is_staff_of(community_id) or (
        grid_id is not None and scope.is_worker_of_grid(grid_id)
    )


def can_edit_resident(user, resident) -> bool:
    scope = get_scope(user)
    return scope.is_staff_of(resident.community_id) or (
        resident.grid_id is not None and scope.is_worker_of_grid(resident.grid_id)
    )


def can_edit_organization(user, organization) -> bool:
    scope = get_scope(user)
    if not scope.is_staff:
        return False
    served = {c.pk for c in organization.communities.all()}
    return bool(served & scope.community_ids) or not served


def can_create_organizations(user) -> bool:
    return get_scope(user).is_staff


def can_create_organization_for(user, community_ids) -> bool:
    """Staff register an organization that serves their own communities."""
    scope = get_scope(user)
    return scope.is_staff and set(community_ids) <= scope.community_ids


def can_import(user) -> bool:
    return get_scope(user).is_staff


def sees_full_numbers(user, *, community_id, grid_id=None) -> bool:
    """Staff of the community and the workers of the resident's grid see numbers in full."""
    scope = get_scope(user)
    return scope.is_staff_of(community_id) or (
        grid_id is not None and scope.is_worker_of_grid(grid_id)
    )


def resident_numbers(user, resident) -> tuple[str, str]:
    """(phone, ID number) as this user may see them; a resident sees their own in full."""
    return numbers_of(
        user,
        resident_id=resident.pk,
        community_id=resident.community_id,
        grid_id=resident.grid_id,
        phone=resident.phone,
        id_number=resident.id_number,
    )


def numbers_of(user, *, resident_id, community_id, grid_id, phone, id_number):
    """resident_numbers() for a resident read as values (the residents' export)."""
    own = get_scope(user).resident_id == resident_id
    if own or sees_full_numbers(user, community_id=community_id, grid_id=grid_id):
        return phone, id_number
    return mask_phone(phone), mask_id_number(id_number)


def get_community_for_user(user, pk, *, write=False) -> Community:
    try:
        community = communities_visible_to(user).select_related("street").get(pk=pk)
    except (Community.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_manage_community(user, community.pk):
        raise PermissionDenied
    return community


def get_grid_for_user(user, pk, *, write=False) -> Grid:
    try:
        grid = grids_visible_to(user).select_related("community").get(pk=pk)
    except (Grid.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_manage_community(user, grid.community_id):
        raise PermissionDenied
    return grid


def get_resident_for_user(user, pk, *, write=False) -> Resident:
    scope = get_scope(user)
    visible = residents_visible_to(user, include_archived=True)
    if scope.is_resident and scope.resident_id:
        visible = Resident.objects.filter(pk=scope.resident_id)
    elif scope.is_grid_worker:
        # Grid workers read every resident of their community (neighbours across a grid
        # border come up in the work) but change only their grid's.
        visible = Resident.objects.filter(community__in=scope.community_ids)
    try:
        resident = visible.select_related(
            "community", "grid", "household__unit__building__compound", "household__compound"
        ).get(pk=pk)
    except (Resident.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_edit_resident(user, resident):
        raise PermissionDenied
    return resident


def get_organization_for_user(user, pk, *, write=False) -> Organization:
    """The organization if the user may see it (else 404); with write=True only if they
    may change it (else 403), read with the communities it serves, which the rule and the
    services that check it again look at."""
    organizations = organizations_visible_to(user, include_archived=True)
    if write:
        organizations = organizations.prefetch_related("communities")
    try:
        organization = organizations.get(pk=pk)
    except (Organization.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_edit_organization(user, organization):
        raise PermissionDenied
    return organization


def my_grid_for_user(user):
    """The first grid of a grid worker, or None."""
    scope = get_scope(user)
    if not scope.is_grid_worker or not scope.grid_ids:
        return None
    return Grid.objects.filter(pk__in=scope.grid_ids).order_by("code").first()


def compound_filter_for(user):
    """Compounds a user may pick in filters and forms."""
    from communities.models import Compound

    scope = get_scope(user)
    if scope.is_grid_worker:
        return Compound.objects.filter(
            Q(grids__in=scope.grid_ids) | Q(buildings__grids__in=scope.grid_ids),
            archived_at__isnull=True,
        ).distinct()
    return Compound.objects.filter(community__in=scope.community_ids, archived_at__isnull=True)


def residents_found_by_phone(user):
    """The residents a search may find by their phone number: those whose numbers the user
    sees in full (sees_full_numbers), staff their communities', grid workers their grids'.
    Finding a resident by a number shown to the user masked would unmask it."""
    scope = get_scope(user)
    residents = Resident.objects.filter(archived_at__isnull=True)
    if scope.is_staff:
        return residents.filter(community__in=scope.community_ids)
    if scope.is_grid_worker:
        return residents.filter(grid__in=scope.grid_ids)
    return residents.none()
