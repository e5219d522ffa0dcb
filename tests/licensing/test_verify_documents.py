from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from licensing.services.documents import document_upload
from tests.licensing.document_files import PDF, PNG
from tests.licensing.test_documents import document_root  # noqa: F401 - the per-test private storage
from tests.registry.factories import make_application, make_key_person, make_organization, make_user, requirement

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents():
    applicant = make_user()
    organization = make_organization(owner=applicant)
    application = make_application(organization=organization, created_by=applicant)
    charter = document_upload(
        application=application,
        requirement=requirement("charter"),
        uploaded_file=SimpleUploadedFile("charter.pdf", PDF),
        actor=applicant,
    )
    passport = document_upload(
        application=application,
        requirement=requirement("fit_and_proper"),
        uploaded_file=SimpleUploadedFile("passport.png", PNG),
        actor=applicant,
        key_person=make_key_person(organization),
    )
    return charter, passport


def run(*args) -> str:
    out = StringIO()
    call_command("verify_documents", *args, stdout=out)
    return out.getvalue()


def test_intact_files_verify(documents):
    assert "2 documents checked: 2 intact, 0 mismatched, 0 missing." in run()


def test_no_documents_is_not_a_problem():
    assert "0 documents checked" in run()


def test_a_tampered_file_is_named_and_fails(documents, document_root):  # noqa: F811
    charter, _ = documents
    (document_root / charter.storage_name).write_bytes(PDF.replace(b"Count 0", b"Count 9"))

    out = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("verify_documents", stdout=out)

    assert failed.value.returncode == 1
    assert str(failed.value) == "2 documents checked: 1 intact, 1 mismatched, 0 missing."
    report = out.getvalue()
    assert f"MISMATCH document {charter.pk}: {charter.storage_name}" in report
    assert charter.sha256 in report


def test_a_missing_file_is_named_and_fails(documents, document_root):  # noqa: F811
    charter, passport = documents
    (document_root / passport.storage_name).unlink()

    out = StringIO()
    with pytest.raises(CommandError, match="1 intact, 0 mismatched, 1 missing"):
        call_command("verify_documents", stdout=out)

    problems = [line for line in out.getvalue().splitlines() if line.startswith(("MISSING", "MISMATCH"))]
    assert problems == [f"MISSING  document {passport.pk}: {passport.storage_name}"]
    assert charter.storage_name not in out.getvalue()


def test_a_truncated_file_is_a_mismatch(documents, document_root):  # noqa: F811
    charter, _ = documents
    (document_root / charter.storage_name).write_bytes(PDF[:-1])

    with pytest.raises(CommandError, match="1 mismatched"):
        call_command("verify_documents", stdout=StringIO())


def test_orphan_files_are_listed_on_request_without_failing(documents, document_root):  # noqa: F811
    (document_root / "ab").mkdir(exist_ok=True)
    (document_root / "ab" / "abandoned.pdf").write_bytes(PDF)

    report = run("--orphans")

    assert "ORPHAN   ab/abandoned.pdf" in report
    assert "2 intact" in report
