from .navigation import flat_items_for, items_for, user_menu_for

# Entries of the main bar that still fit one row of a 1366px laptop in large text, next to
# the bell, the user's name, the language and the text-size button.
LARGE_TEXT_BAR_ITEMS = 3


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "nav_items": [],
            "large_text": request.COOKIES.get("large_text") == "1",
            "nav_breakpoint": "lg",
        }
    # Counted with the user (access.scope.load_user); else one COUNT on the partial index
    # notification_unread (a user of the API's tokens).
    unread = getattr(user, "unread_notifications", None)
    if unread is None:
        unread = user.notifications.filter(read_at__isnull=True).count()
    flat = flat_items_for(user, request.path)
    items = items_for(user, request.path, flat)
    return {
        "nav_items": items,
        # Large text makes a bar of many menus wider than a laptop: it then folds behind the
        # menu button up to 1400px instead of wrapping to a second row.
        "nav_breakpoint": "xxl" if user.large_text and len(items) > LARGE_TEXT_BAR_ITEMS else "lg",
        "nav_flat": flat,
        "user_menu": user_menu_for(user),
        "unread_notifications": unread,
        "large_text": user.large_text,
    }
