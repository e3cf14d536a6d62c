from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from substitution import oidc, two_factor_views, views
from substitution.auth_forms import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        login_not_required(
            views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True)
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("oidc/start/", oidc.start, name="oidc_start"),
    path("oidc/callback/", oidc.callback, name="oidc_callback"),
    path("log-ind/kode/", two_factor_views.otp_verify, name="otp_verify"),
    path("log-ind/totp/opsaet/", two_factor_views.otp_setup, name="otp_setup"),
    path("healthz", views.healthz, name="healthz"),
    path("revisionslog/", views.audit_log, name="audit_log"),
    path("medarbejdere/valg/", views.staff_choices, name="staff_choices"),
    path("admin/", admin.site.urls),
    path("virksomheder/", include("companies.urls")),
    path("borgere/", include("cases.urls")),
    path("styring/", include("reporting.urls")),
]

handler400 = "substitution.errors.bad_request"
handler403 = "substitution.errors.permission_denied"
handler404 = "substitution.errors.page_not_found"
handler500 = "substitution.errors.server_error"
