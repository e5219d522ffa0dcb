from django.contrib import admin
from django.urls import include, path, re_path

from accounts import views as account_views
from config import views
from registry import views as registry_views
from registry.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # The public register first: its pages are the most asked for, and Django tries patterns in order.
    path("registry/", include("registry.urls")),
    path("api/v1/", api.urls),
    # Whatever else is asked under /api/ is answered in JSON too.
    re_path(r"^api/", registry_views.api_not_found),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("", include("licensing.urls")),  # apply/ and staff/
    path("notices/", include("notifications.urls")),
    path("admin/", admin.site.urls),
]

# A server error under /api/ outside the API's own handlers (a middleware failing) is JSON too.
handler500 = "config.views.server_error"
