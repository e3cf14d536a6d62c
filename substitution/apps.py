from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubstitutionConfig(AppConfig):
    name = "substitution"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        # Decide at log-in whether the session needs a second factor (two_factor.py), so the
        # middleware asks the database nothing on later requests of a session without one.
        from django.contrib.auth.signals import user_logged_in

        from substitution.two_factor import remember_at_login

        user_logged_in.connect(remember_at_login, dispatch_uid="substitution_two_factor")


class AxesConfig(AxesAppConfig):
    """django-axes (log-in lockout) under a Danish name in the admin (issue 14); its models'
    names are translated in locale/da (the library has no Danish catalogue)."""

    verbose_name = _("Log-in-forsøg")
