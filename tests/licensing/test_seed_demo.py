"""seed_demo: every application state and license status, real files, a verifiable chain; run twice, no change."""

from io import StringIO

import filetype
import pytest
from django.core.files.storage import storages
from django.core.management import call_command

from audit.models import AuditEntry
from audit.selectors import audit_chain_check
from licensing.models import Application, Document
from registry.models import License

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int, int]:
    return Application.objects.count(), License.objects.count(), Document.objects.count(), AuditEntry.objects.count()


def test_seed_demo_covers_every_state_and_status_and_is_idempotent(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", password="demo-password-for-tests", stdout=StringIO())
    first = _counts()
    out = StringIO()
    call_command("seed_demo", password="demo-password-for-tests", stdout=out)

    assert _counts() == first
    assert "applicant5" in out.getvalue()
    assert set(Application.objects.values_list("state", flat=True)) == set(Application.State.values)
    assert set(License.objects.values_list("status", flat=True)) == set(License.Status.values)
    check = audit_chain_check()
    assert (check.checked, check.problem) == (first[3], None)
    kinds = set()
    for document in Document.objects.all():
        with storages["documents"].open(document.storage_name, "rb") as stored:
            kinds.add(filetype.guess(stored.read(262)).mime)
    assert kinds == {"application/pdf", "image/png"}


def test_every_staff_role_finds_work_in_its_queues_and_no_demo_staff_enters_the_admin(client, settings, tmp_path):
    from django.urls import reverse

    from accounts.models import User

    settings.VAR_DIR = tmp_path
    call_command("seed_demo", password="demo-password-for-tests", stdout=StringIO())

    for username, tab in (("reviewer", "mine"), ("reviewer", "unassigned"), ("approver", "decide"),
                          ("supervisor", "mine"), ("supervisor", "unassigned"), ("supervisor", "overdue")):  # fmt: skip
        client.force_login(User.objects.get(username=username))
        page = client.get(reverse("licensing:staff_queue"), {"tab": tab}).context["page"]
        assert page.count > 0, (username, tab)
    assert not User.objects.filter(username__in=["reviewer", "approver", "supervisor"], is_staff=True).exists()


def test_the_demo_register_has_cyrillic_names_that_search_finds_in_any_script(settings, tmp_path, client):
    import re

    settings.VAR_DIR = tmp_path
    call_command("seed_demo", password="demo-password-for-tests", stdout=StringIO())

    names = set(License.objects.values_list("holder_name", flat=True))
    assert any(re.search("[А-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі]", name) for name in names)
    for typed in ("Baikonur", "Байконур", "Baiqonyr", "Nomad Crypto Broker LLP", "NomadX", "Ilbis"):
        assert client.get("/api/v1/licenses/", {"q": typed}).json()["count"] >= 1, typed
    # Every example the search page offers finds something in the demo register too.
    page = client.get("/registry/").content.decode()
    examples = re.search(r">For example: (.+?), (\d{12}), ([A-Z]+-\d{4}-\d{4}) or ([^<]+)\.</p>", page)
    assert examples
    for example in examples.groups():
        assert client.get("/registry/", {"q": example}).context["count"] >= 1, example
