from django.urls import path

from licensing.views import applicant, staff

app_name = "licensing"

# The applicant face (SPEC section 13).
applicant_urlpatterns = [
    path("apply/", applicant.home, name="applicant_home"),
]

# The regulator's dashboard (SPEC section 14).
staff_urlpatterns = [
    path("staff/", staff.queue, name="staff_queue"),
]

urlpatterns = applicant_urlpatterns + staff_urlpatterns
