from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = _("Virksomheder")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from companies.search import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="match_text_score")
