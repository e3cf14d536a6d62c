"""The application's URLs plus the floor page: the cheapest page Django can serve here."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from substitution.models import User
from substitution.urls import handler400, handler403, handler404, handler500  # noqa: F401
from substitution.urls import urlpatterns as app_urlpatterns

FLOOR = engines["django"].from_string(
    "<!doctype html><html lang='da'><head><title>Gulv</title></head><body><table>"
    "{% for u in users %}<tr><td>{{ u.pk }}</td><td>{{ u.username }}</td>"
    "<td>{{ u.first_name }}</td></tr>{% endfor %}</table></body></html>"
)


def floor(request: HttpRequest) -> HttpResponse:
    """A 40-row table from one trivial query, through the same middleware (session, log-in,
    CSP, ...) as every page: what any page costs before its own work."""
    users = list(User.objects.order_by("pk").only("pk", "username", "first_name")[:40])
    return HttpResponse(FLOOR.render({"users": users}, request))


urlpatterns = [path("__floor__/", floor, name="benchmark_floor"), *app_urlpatterns]
