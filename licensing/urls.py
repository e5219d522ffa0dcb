from django.urls import path

from licensing import views

app_name = "licensing"

urlpatterns = [
    path("apply/", views.applicant_home, name="applicant_home"),
    path("staff/", views.staff_queue, name="staff_queue"),
]
