from .navigation import flat_items_for, items_for, user_menu_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "large_text": request.COOKIES.get("large_text") == "1"}
    # One COUNT query on the partial index notification_unread.
    unread = user.notifications.filter(read_at__isnull=True).count()
    return {
        "nav_items": items_for(user, request.path),
        "nav_flat": flat_items_for(user, request.path),
        "user_menu": user_menu_for(user),
        "unread_notifications": unread,
        "large_text": user.large_text,
    }
