import hashlib
import io
from pathlib import Path

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError

from audit.models import AuditEntry
from common.errors import ConcurrentChange, DomainError, NotPermitted, TransitionNotAllowed
from licensing.models import Application, Document
from licensing.services.documents import document_accept, document_open, document_reject, document_upload
from tests.licensing.document_files import DOCM, DOCX, EXE, JPEG, PDF, PLAIN_ZIP, PNG, XLSX
from tests.registry.factories import make_application, make_key_person, make_organization, make_user, requirement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def document_root(settings, tmp_path) -> Path:
    """Each test gets its own empty private storage, so it can list exactly what was left behind."""
    root = tmp_path / "documents"
    settings.DOCUMENT_STORAGE_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {**settings.STORAGES["documents"], "OPTIONS": {"location": root, "file_permissions_mode": 0o640}},
    }
    return root


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def leftovers(root: Path) -> list[Path]:
    return sorted(root.rglob("*")) if root.exists() else []


@pytest.fixture
def applicant():
    return make_user()


@pytest.fixture
def organization(applicant):
    return make_organization(owner=applicant)


@pytest.fixture
def application(organization, applicant):
    return make_application(organization=organization, created_by=applicant)


def upload(application, actor, content: bytes, name: str, code: str = "charter", **kwargs) -> Document:
    return document_upload(
        application=application,
        requirement=requirement(code),
        uploaded_file=SimpleUploadedFile(name, content),
        actor=actor,
        **kwargs,
    )


def assert_nothing_left(root: Path) -> None:
    assert leftovers(root) == []
    assert not Document.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="document.").exists()


# --- happy paths -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "content", "name", "content_type", "extension"),
    [
        ("charter", PDF, "Charter 2026.pdf", "application/pdf", ".pdf"),
        (
            "charter",
            DOCX,
            "Устав.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".docx",
        ),
        (
            "paid_up_capital",
            XLSX,
            "capital.XLSX",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".xlsx",
        ),
        ("fit_and_proper", PNG, "passport.png", "image/png", ".png"),
        ("fit_and_proper", JPEG, "passport.jpeg", "image/jpeg", ".jpg"),
        ("fit_and_proper", JPEG, "passport.jpg", "image/jpeg", ".jpg"),
    ],
)
def test_member_uploads_each_allowed_format(
    application, applicant, organization, document_root, code, content, name, content_type, extension
):
    key_person = make_key_person(organization) if code == "fit_and_proper" else None

    document = upload(application, applicant, content, name, code=code, key_person=key_person)

    assert (document.state, document.version, document.original_name) == ("pending", 1, name)
    assert (document.size, document.sha256) == (len(content), hashlib.sha256(content).hexdigest())
    assert document.content_type == content_type
    assert document.uploaded_by == applicant
    # Stored under a random name in a two-character shard, never under the applicant's name.
    shard, stored_name = document.storage_name.split("/")
    assert stored_name.startswith(shard) and stored_name.endswith(extension)
    assert len(stored_name) == 32 + len(extension)
    assert stored_files(document_root) == [document_root / document.storage_name]
    assert (document_root / document.storage_name).read_bytes() == content
    entry = AuditEntry.objects.get(action="document.upload")
    assert (entry.object_id, entry.actor_id, entry.to_state) == (str(document.pk), applicant.pk, "pending")


def test_upload_is_allowed_while_information_is_requested(organization, applicant):
    application = make_application(
        organization=organization, created_by=applicant, state="information_requested", resume_state="under_review"
    )

    assert upload(application, applicant, PDF, "answer.pdf").state == "pending"


def test_a_new_version_supersedes_the_current_one_and_keeps_its_file(application, applicant, document_root):
    first = upload(application, applicant, PDF, "charter.pdf")
    second = upload(application, applicant, DOCX, "charter.docx")
    third = upload(application, applicant, PDF + b"%v3", "charter-final.pdf")

    states = dict(Document.objects.values_list("version", "state"))
    assert states == {1: "superseded", 2: "superseded", 3: "pending"}
    assert (second.version, third.version) == (2, 3)
    assert len(stored_files(document_root)) == 3
    assert (document_root / first.storage_name).read_bytes() == PDF
    superseded = AuditEntry.objects.filter(action="document.supersede").values_list("object_id", "from_state")
    assert list(superseded) == [(str(first.pk), "pending"), (str(second.pk), "pending")]


def test_versions_are_counted_per_key_person(application, applicant, organization):
    chief, officer = make_key_person(organization), make_key_person(organization)

    upload(application, applicant, PDF, "a.pdf", code="fit_and_proper", key_person=chief)
    upload(application, applicant, PDF, "b.pdf", code="fit_and_proper", key_person=officer)
    again = upload(application, applicant, PNG, "a.png", code="fit_and_proper", key_person=chief)

    assert again.version == 2
    assert Document.objects.get(key_person=officer).state == "pending"
    assert Document.objects.get(key_person=chief, version=1).state == "superseded"


def test_a_rejected_document_is_superseded_by_the_next_upload(application, applicant):
    document = upload(application, applicant, PDF, "charter.pdf")
    Document.objects.filter(pk=document.pk).update(state="rejected", rejection_reason="Unsigned.")

    upload(application, applicant, PDF, "charter-signed.pdf")

    assert Document.objects.get(pk=document.pk).state == "superseded"


# --- refused files: nothing remains on disk or in the database ------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.pdf", "The file is empty"),
        (EXE, "report.pdf", "not an allowed type (it looks like application/x-msdownload)"),
        (PLAIN_ZIP, "charter.docx", "not an allowed type (it looks like application/zip)"),
        (DOCM, "charter.docx", "not an allowed type (it looks like application/zip)"),
        (b"just some text", "charter.pdf", "not an allowed type (it looks like unrecognised content)"),
        (PNG, "charter.pdf", "not an allowed type (it looks like image/png)"),
        (PDF, "charter.docx", "its content is PDF; the name must end in .pdf"),
        (DOCX, "charter.pdf", "its content is DOCX; the name must end in .docx"),
        (PDF, "charter", "the name must end in .pdf"),
        (PDF, ".pdf", "no usable name"),
        (PDF, "...pdf", "no usable name"),
    ],
)
def test_refused_files_leave_nothing_behind(application, applicant, document_root, content, name, message):
    with pytest.raises(DomainError) as refused:
        upload(application, applicant, content, name)

    assert message in str(refused.value)
    assert_nothing_left(document_root)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../../etc/passwd.pdf", "must not contain a folder path"),
        ("..\\..\\boot.ini.pdf", "must not contain a folder path"),
        ("/etc/passwd.pdf", "must not contain a folder path"),
        ("a\x00b.pdf", "contains a NUL character"),
        ("report\n.pdf", "contains control characters"),
        ("invoice\u202efdp.exe.pdf", "contains control characters"),
        ("a" * 296 + ".pdf", "is 300 characters long; the limit is 255"),
        ("   ", "no usable name"),
        ("..", "no usable name"),
    ],
)
def test_hostile_names_are_refused_and_leave_nothing_behind(application, applicant, document_root, name, message):
    # A plain File keeps the name as given; Django's UploadedFile would already strip a path.
    hostile = File(io.BytesIO(PDF), name=name)

    with pytest.raises(DomainError) as refused:
        document_upload(
            application=application, requirement=requirement("charter"), uploaded_file=hostile, actor=applicant
        )

    assert message in str(refused.value)
    assert_nothing_left(document_root)


def test_a_name_of_exactly_255_characters_is_accepted(application, applicant):
    name = "a" * 251 + ".pdf"

    assert upload(application, applicant, PDF, name).original_name == name


def test_files_over_the_requirement_s_limit_are_refused(application, applicant, document_root):
    charter = requirement("charter")
    charter.max_size_mb = 1
    charter.save()
    megabyte = 1024 * 1024

    with pytest.raises(DomainError, match="larger than the limit of 1 MB"):
        upload(application, applicant, PDF + b"0" * megabyte, "big.pdf")
    assert_nothing_left(document_root)

    exactly_at_limit = PDF + b"0" * (megabyte - len(PDF))
    assert upload(application, applicant, exactly_at_limit, "limit.pdf").size == megabyte


def test_the_site_wide_limit_applies_when_lower_than_the_requirement_s(application, applicant, document_root, settings):
    settings.DOCUMENT_MAX_SIZE_MB = 1

    with pytest.raises(DomainError, match="limit of 1 MB"):
        upload(application, applicant, PDF + b"0" * (1024 * 1024), "big.pdf")
    assert_nothing_left(document_root)


class LyingFile(File):
    """A file object that claims to be small: the limit must hold while the bytes are streamed."""

    @property
    def size(self):
        return 10


def test_a_file_larger_than_it_claims_is_cut_off_and_removed(application, applicant, document_root):
    charter = requirement("charter")
    charter.max_size_mb = 1
    charter.save()
    liar = LyingFile(io.BytesIO(PDF + b"0" * (2 * 1024 * 1024)), name="small.pdf")

    with pytest.raises(DomainError, match="larger than the limit"):
        document_upload(application=application, requirement=charter, uploaded_file=liar, actor=applicant)
    assert_nothing_left(document_root)


def test_a_database_failure_after_the_file_was_written_removes_the_file(
    application, applicant, document_root, monkeypatch
):
    def fail(**kwargs):
        raise DatabaseError("connection lost")

    monkeypatch.setattr("licensing.services.documents.audit_record", fail)

    with pytest.raises(DatabaseError):
        upload(application, applicant, PDF, "charter.pdf")
    assert_nothing_left(document_root)


def test_an_application_submitted_while_the_file_was_written_refuses_and_removes_it(
    application, applicant, document_root, monkeypatch
):
    from licensing.services import documents

    real_write = documents._write_new_file

    def write_then_submit_elsewhere(**kwargs):
        written = real_write(**kwargs)
        Application.objects.filter(pk=application.pk).update(state="submitted")
        return written

    monkeypatch.setattr(documents, "_write_new_file", write_then_submit_elsewhere)

    with pytest.raises(TransitionNotAllowed, match="this application is Submitted"):
        upload(application, applicant, PDF, "charter.pdf")
    assert_nothing_left(document_root)


# --- refused uploaders and slots --------------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, "reviewer", "supervisor", "approver"])
def test_only_members_of_the_organization_may_upload(application, document_root, role):
    outsider = make_user(role)

    with pytest.raises(NotPermitted, match="Only members of the applying organization"):
        upload(application, outsider, PDF, "charter.pdf")
    assert_nothing_left(document_root)


def test_a_member_of_another_organization_may_not_upload(application, document_root):
    other = make_user()
    make_organization(owner=other)

    with pytest.raises(NotPermitted):
        upload(application, other, PDF, "charter.pdf")
    assert_nothing_left(document_root)


@pytest.mark.parametrize(
    "state", ["submitted", "completeness_check", "under_review", "pending_decision", "refused", "withdrawn"]
)
def test_uploads_are_refused_outside_draft_and_information_requested(organization, applicant, document_root, state):
    application = make_application(organization=organization, created_by=applicant, state=state)

    with pytest.raises(TransitionNotAllowed) as refused:
        upload(application, applicant, PDF, "charter.pdf")
    assert f"this application is {Application.State(state).label}" in str(refused.value)
    assert_nothing_left(document_root)


def test_a_requirement_of_another_license_type_is_refused(application, applicant, document_root):
    with pytest.raises(DomainError, match="is not a document of this license type"):
        upload(application, applicant, PDF, "custody.pdf", code="custody_arrangements")
    assert_nothing_left(document_root)


def test_per_key_person_documents_need_a_key_person_of_the_organization(
    application, applicant, organization, document_root
):
    with pytest.raises(DomainError, match="filed for each key person"):
        upload(application, applicant, PDF, "fit.pdf", code="fit_and_proper")

    stranger = make_key_person(make_organization())
    with pytest.raises(DomainError, match="does not belong to the applying organization"):
        upload(application, applicant, PDF, "fit.pdf", code="fit_and_proper", key_person=stranger)

    with pytest.raises(DomainError, match="filed once for the organization"):
        upload(application, applicant, PDF, "charter.pdf", key_person=make_key_person(organization))
    assert_nothing_left(document_root)


# --- review -------------------------------------------------------------------------------------------------


@pytest.fixture
def reviewer():
    return make_user("reviewer")


@pytest.fixture
def case(application, applicant, reviewer):
    """A case in completeness check, assigned to ``reviewer``, with one pending charter."""
    document = upload(application, applicant, PDF, "charter.pdf")
    Application.objects.filter(pk=application.pk).update(state="completeness_check", assigned_reviewer=reviewer)
    return document


def test_the_assigned_reviewer_accepts_a_pending_document(case, reviewer):
    accepted = document_accept(document=case, actor=reviewer)

    assert Document.objects.get(pk=case.pk).state == accepted.state == "accepted"
    assert accepted.reviewed_by == reviewer
    entry = AuditEntry.objects.get(action="document.accept")
    assert (entry.actor_id, entry.from_state, entry.to_state) == (reviewer.pk, "pending", "accepted")


def test_a_supervisor_rejects_with_a_reason(case):
    supervisor = make_user("supervisor")

    rejected = document_reject(document=case, actor=supervisor, reason="  The charter is not signed.  ")

    assert (rejected.state, rejected.rejection_reason) == ("rejected", "The charter is not signed.")
    assert AuditEntry.objects.get(action="document.reject").comment == "The charter is not signed."


def test_documents_are_reviewed_under_review_too(case, reviewer, application):
    Application.objects.filter(pk=application.pk).update(state="under_review")

    assert document_accept(document=case, actor=reviewer).state == "accepted"


def test_reject_without_a_reason_is_refused(case, reviewer):
    with pytest.raises(DomainError, match="Give the reason for rejecting"):
        document_reject(document=case, actor=reviewer, reason="  ")
    assert Document.objects.get(pk=case.pk).state == "pending"


@pytest.mark.parametrize("role", [None, "reviewer", "approver"])
def test_others_than_the_assigned_reviewer_or_a_supervisor_may_not_review(case, role):
    someone = make_user(role)

    with pytest.raises(NotPermitted, match="Only the reviewer assigned to this case or a supervisor"):
        document_accept(document=case, actor=someone)
    with pytest.raises(NotPermitted):
        document_reject(document=case, actor=someone, reason="No.")
    assert Document.objects.get(pk=case.pk).state == "pending"
    assert not AuditEntry.objects.filter(action__in=["document.accept", "document.reject"]).exists()


def test_the_applicant_may_not_review_their_own_document(case, applicant):
    with pytest.raises(NotPermitted):
        document_accept(document=case, actor=applicant)


@pytest.mark.parametrize("state", ["draft", "submitted", "information_requested", "pending_decision", "refused"])
def test_review_is_refused_outside_completeness_check_and_review(case, reviewer, application, state):
    Application.objects.filter(pk=application.pk).update(state=state)

    with pytest.raises(TransitionNotAllowed, match=f"this application is {Application.State(state).label}"):
        document_accept(document=case, actor=reviewer)


def test_a_document_reviewed_by_someone_else_meanwhile_is_a_concurrent_change(case, reviewer):
    document_accept(document=case, actor=make_user("supervisor"))

    # ``case`` still says pending: the reviewer acts on what they saw.
    with pytest.raises(ConcurrentChange, match="The case changed meanwhile: this document is now Accepted"):
        document_reject(document=case, actor=reviewer, reason="Unsigned.")
    assert AuditEntry.objects.filter(action__in=["document.accept", "document.reject"]).count() == 1


def test_a_document_no_longer_pending_cannot_be_reviewed(case, reviewer):
    accepted = document_accept(document=case, actor=reviewer)

    with pytest.raises(TransitionNotAllowed, match="This document is Accepted; only a document pending review"):
        document_accept(document=accepted, actor=reviewer)


# --- opening -------------------------------------------------------------------------------------------------


def test_members_and_staff_who_see_the_case_open_the_file(case, applicant, reviewer):
    for actor in (applicant, reviewer, make_user("approver"), make_user("supervisor")):
        with document_open(document=case, actor=actor) as opened:
            assert opened.read() == PDF


@pytest.mark.parametrize("role", ["reviewer", "approver", "supervisor"])
def test_staff_may_not_open_a_draft_s_document_until_it_is_submitted(application, applicant, role):
    document = upload(application, applicant, PDF, "charter.pdf")
    staff = make_user(role)

    with pytest.raises(NotPermitted):
        document_open(document=document, actor=staff)

    Application.objects.filter(pk=application.pk).update(state="submitted")
    with document_open(document=document, actor=staff) as opened:
        assert opened.read() == PDF


@pytest.mark.parametrize("who", ["other_applicant", "other_reviewer", "anonymous"])
def test_others_may_not_open_the_file(case, who):
    from django.contrib.auth.models import AnonymousUser

    actor = {
        "other_applicant": lambda: make_user(),
        "other_reviewer": lambda: make_user("reviewer"),  # the case is assigned to someone else
        "anonymous": AnonymousUser,
    }[who]()

    with pytest.raises(NotPermitted):
        document_open(document=case, actor=actor)


def test_opening_a_document_whose_file_vanished_says_so(case, applicant, document_root):
    (document_root / case.storage_name).unlink()

    with pytest.raises(DomainError, match="cannot be found"):
        document_open(document=case, actor=applicant)


def test_a_large_upload_spooled_to_a_temporary_file_is_streamed_and_hashed(application, applicant, document_root):
    from django.core.files.uploadedfile import TemporaryUploadedFile

    content = PDF + b"%" + b"0" * (6 * 1024 * 1024)  # above FILE_UPLOAD_MAX_MEMORY_SIZE: Django spools it
    spooled = TemporaryUploadedFile("annual-report.pdf", "application/pdf", len(content), None)
    spooled.write(content)
    spooled.seek(0)

    document = document_upload(
        application=application, requirement=requirement("charter"), uploaded_file=spooled, actor=applicant
    )

    assert (document.size, document.sha256) == (len(content), hashlib.sha256(content).hexdigest())
    assert (document_root / document.storage_name).read_bytes() == content
