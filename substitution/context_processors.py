from typing import Any

from django.http import HttpRequest

from substitution.navigation import items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = items_for(user.roles(), user.is_superuser)
    current = request.path
    # One item is current: the longest URL the path starts with, so /borgere/min-dag/ marks
    # "Min dag" and not also "Borgere" (/borgere/).
    matching = [
        url for url, _ in items if url == current or (url != "/" and current.startswith(url))
    ]
    active = max(matching, key=len, default=None)
    return {
        "nav_items": [
            {"url": url, "label": label, "active": url == active} for url, label in items
        ],
        "primary_role": user.primary_role(),
    }
