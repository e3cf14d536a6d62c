"""The dashboards feature's routes (joined under /styring/ by ``reporting/urls.py``)."""

from django.urls import URLPattern, URLResolver, path

from reporting.dashboards import views, views_manager

urlpatterns: list[URLPattern | URLResolver] = [
    # --- issue 10a: the team lead dashboard, figures' lists, targets, plans, case reviews ---
    path("", views.dashboard, name="dashboard"),
    path("team/", views.team_lead, name="team_lead"),
    path("team/tendens/", views.team_trend, name="team_trend"),
    path("tal/<slug:slug>/", views.drill_down, name="drill_down"),
    path("maaltal/", views.target_list, name="targets"),
    path("maaltal/ny/", views.target_edit, name="target_new"),
    path("maaltal/<int:pk>/", views.target_edit, name="target_edit"),
    path("maaltal/<int:pk>/slet/", views.target_delete, name="target_delete"),
    path("handlingsplan/ny/<slug:slug>/", views.plan_new, name="plan_new"),
    path("handlingsplan/<int:pk>/luk/", views.plan_close, name="plan_close"),
    path("sagssparring/ny/", views.review_new, name="review_new"),
    path("sagssparring/<int:pk>/", views.review_detail, name="review_detail"),
    path("sagssparring/punkt/<int:pk>/", views.review_decide, name="review_decide"),
    # --- end of issue 10a ---
]

# --- issue 10b: the manager dashboard, its exports and the cohort view (views_manager) ----------
urlpatterns += [
    path("leder/", views_manager.manager_dashboard, name="manager"),
    path("leder/udvikling/", views_manager.manager_trend, name="manager_trend"),
    path("leder/eksport.csv", views_manager.manager_export, {"fmt": "csv"}, name="manager_csv"),
    path("leder/eksport.xlsx", views_manager.manager_export, {"fmt": "xlsx"}, name="manager_xlsx"),
    path("kohorter/", views_manager.cohort_view, name="cohort"),
]
# --- end of issue 10b ---------------------------------------------------------------------------
