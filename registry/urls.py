from django.urls import path

from registry import views

app_name = "registry"

# Fixed pages first: a license number (CODE-YYYY-NNNN) never looks like one of them.
urlpatterns = [
    path("", views.search, name="search"),
    path("verify/", views.verify, name="verify"),
    path("assets/", views.assets, name="assets"),
    path("warnings/", views.warnings, name="warnings"),
    path("statistics/", views.statistics, name="statistics"),
    path("<str:number>/", views.detail, name="detail"),
]
