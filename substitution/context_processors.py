from typing import Any

from django.http import HttpRequest

from substitution.navigation import items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = items_for(user.roles(), user.is_superuser)
    current = request.path
    return {
        "nav_items": [
            {
                "url": url,
                "label": label,
                "active": url == current or (url != "/" and current.startswith(url)),
            }
            for url, label in items
        ],
        "primary_role": user.primary_role(),
    }
