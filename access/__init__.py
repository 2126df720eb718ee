"""Who may see and do what: the one place for every rule.

`scope.get_scope(user)` loads, once per request, where the user works (streets,
communities, grids, their resident record or organization). Each module here answers for
one kind of record with a scoping queryset for lists (`residents_visible_to(user)`) and an
accessor for single objects (`get_resident_for_user(user, pk, write=False)`) that raises
Http404 for what the user may not see and PermissionDenied for what they may see but not
change. Views, exports, the API and tasks call these functions, and every service that
takes an actor checks it here again; the main navigation (accounts.navigation) offers an
entry when the rule named by it allows. Templates ask the permission helpers, never
re-implement a rule.
"""
