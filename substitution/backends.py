"""Model permissions from roles, so an administrator (role) can use the Django admin.

Django's admin asks for model permissions; rather than keeping a Group in sync with the
role matrix, users with ``Cap.ADMIN_SITE`` hold every permission on our own apps. They still
need ``is_staff`` to enter the admin. Granting superuser status stays with superusers (see
``substitution.admin.UserAdmin``).
"""

from __future__ import annotations

from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model

from substitution.models import User
from substitution.roles import Cap, can

OWN_APPS = frozenset({"substitution", "companies", "cases", "reporting"})


def _may_administer(user_obj: AbstractBaseUser | AnonymousUser) -> bool:
    # Only our User (AUTH_USER_MODEL) holds roles; an anonymous user holds none.
    return isinstance(user_obj, User) and can(user_obj, Cap.ADMIN_SITE)


class RolePermissionBackend(BaseBackend):
    def has_perm(
        self, user_obj: AbstractBaseUser | AnonymousUser, perm: str, obj: Model | None = None
    ) -> bool:
        return perm.split(".", 1)[0] in OWN_APPS and _may_administer(user_obj)

    def has_module_perms(self, user_obj: AbstractBaseUser | AnonymousUser, app_label: str) -> bool:
        return app_label in OWN_APPS and _may_administer(user_obj)
