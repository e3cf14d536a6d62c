from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubstitutionConfig(AppConfig):
    name = "substitution"
    verbose_name = _("Organisation")


class AxesConfig(AxesAppConfig):
    """django-axes (log-in lockout) under a Danish name in the admin (issue 14); its models'
    names are translated in locale/da (the library has no Danish catalogue)."""

    verbose_name = _("Log-in-forsøg")
