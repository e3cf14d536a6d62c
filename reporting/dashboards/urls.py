"""The dashboards feature's routes (joined under /styring/ by ``reporting/urls.py``)."""

from django.urls import URLPattern, URLResolver, path

from reporting.dashboards import views_manager

urlpatterns: list[URLPattern | URLResolver] = []

# --- issue 10b: the manager dashboard, its exports and the cohort view (views_manager) ----------
urlpatterns += [
    path("leder/", views_manager.manager_dashboard, name="manager"),
    path("leder/eksport.csv", views_manager.manager_export, {"fmt": "csv"}, name="manager_csv"),
    path("leder/eksport.xlsx", views_manager.manager_export, {"fmt": "xlsx"}, name="manager_xlsx"),
    path("kohorter/", views_manager.cohort_view, name="cohort"),
]
# --- end of issue 10b ---------------------------------------------------------------------------
