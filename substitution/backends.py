"""Model permissions from roles, so an administrator (role) can use the Django admin.

Django's admin asks for model permissions; rather than keeping a Group in sync with the
role matrix, users with ``Cap.ADMIN_SITE`` hold every permission on our own apps. They still
need ``is_staff`` to enter the admin. Granting superuser status stays with superusers (see
``substitution.admin.UserAdmin``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend

from substitution.roles import Cap, can

OWN_APPS = frozenset({"substitution", "companies", "cases", "reporting"})


class RolePermissionBackend(BaseBackend):
    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return perm.split(".", 1)[0] in OWN_APPS and can(user_obj, Cap.ADMIN_SITE)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return app_label in OWN_APPS and can(user_obj, Cap.ADMIN_SITE)
