from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from config import views
from registry.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("", include("licensing.urls")),
    path("notices/", include("notifications.urls")),
    path("registry/", include("registry.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
