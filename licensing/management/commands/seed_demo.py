"""Demo data for `make run`: one user per role, applicant organizations, cases and licenses. Idempotent.

Everything after the users is made through the services a person would use, so the demo shows
real audit trails, clocks and documents: applications in every state, licenses in every status,
documents that are real (tiny) PDF and PNG files. A second run finds the demo cases and adds nothing.
"""

import secrets
import struct
import zlib
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from licensing import demo, services
from licensing.deadlines import application_set_deadline_fields
from licensing.models import Application, Document, Membership, Organization
from licensing.selectors import application_required_slots, license_holder_ids
from licensing.services.applications import application_lapse_date
from registry import services as registry_services
from registry.models import Activity, DigitalAsset, WarningEntry
from registry.warning_list.services import warning_add, warning_remove

# Further demo organizations, so that every application state and license status has an example.
EXTRA_ORGANIZATIONS = [
    {
        "username": "applicant3",
        "first_name": "Yerlan",
        "last_name": "Applicant",
        "email": "office@nomad-broker.example.kz",
        # Kazakh and Russian companies are registered under Cyrillic names (SPEC 6); search finds them
        # typed in any script.
        "legal_name": "ТОО «Номад Крипто Брокер»",
        "latin_name": "Nomad Crypto Broker LLP",
        "trading_names": ["NomadX"],
        "bin": "200340000011",
        "website": "https://nomad-broker.example.kz",
        "other_domains": [],
        "address": "Dostyk avenue 12, Almaty, 050010",
        "phone": "+7 727 311 11 11",
        "capital": 2_000_000_000,
    },
    {
        "username": "applicant4",
        "first_name": "Gulnara",
        "last_name": "Applicant",
        "email": "board@baikonur-custody.example.kz",
        "legal_name": "АО «Байқоңыр Цифрлық Кастоди»",
        "latin_name": "Baikonur Digital Custody JSC",
        "trading_names": ["Baikonur Vault"],
        "bin": "190840000025",
        "website": "https://baikonur-custody.example.kz",
        "other_domains": ["bdc.example.kz"],
        "address": "Kabanbay Batyr avenue 11, Astana, 010000",
        "phone": "+7 7172 44 44 44",
        "capital": 2_000_000_000,
    },
    {
        "username": "applicant5",
        "first_name": "Arman",
        "last_name": "Applicant",
        "email": "legal@irbis-assets.example.kz",
        "legal_name": "Ілбіс Цифрлық Активтер ЖШС",
        "latin_name": "Irbis Digital Assets LLP",
        "bin": "221140000030",
        "website": "https://irbis-assets.example.kz",
        "other_domains": [],
        "address": "Abay avenue 150, Almaty, 050046",
        "phone": "+7 727 355 55 55",
        "capital": 2_000_000_000,
    },
]
DEMO_WARNINGS = [
    {
        "name": "Steppe Crypto Exchange",
        "other_names": ["SteppeX Global"],
        "domains": ["steppe-crypto.io", "steppex-global.com"],
        "home_authority": "National Bank of Kazakhstan",
        "home_country": "KZ",
        "days_ago": 40,
        "reason": "Offers digital asset exchange services in Kazakhstan without a license.",
        "note": "Imitates the name of a licensed exchange.",
    },
    {
        "name": "Tengri Profit",
        "domains": ["tengri-profit.com", "tengriprofit.net"],
        "home_authority": "Commissione Nazionale per le Società e la Borsa (CONSOB)",
        "home_country": "IT",
        "days_ago": 120,
        "reason": "Promises fixed returns on crypto-assets; no authorisation.",
    },
    {
        "name": "Golden Horde Invest",
        "domains": ["golden-horde.com", "goldenhorde.net"],
        "home_authority": "Autorité des marchés financiers (AMF)",
        "home_country": "FR",
        "days_ago": 200,
    },
    {
        "name": "Baiterek Coin",
        "domains": ["baiterek-coin.net"],
        "home_authority": "National Bank of Kazakhstan",
        "home_country": "KZ",
        "days_ago": 400,
        "removed_days_ago": 30,
    },
]
KEY_PERSONS = [("chief_executive", "Chief Executive"), ("compliance_officer", "Compliance Officer")]
BENEFICIAL_OWNERS = [("Founder One", Decimal("70.00"), "KZ"), ("Founder Two", Decimal("30.00"), "AE")]
# The license type follows from the activities (SPEC 5): these give DAX, DAC and DAB.
DEX = ["trading_platform", "dfa_fiat_exchange", "custody"]
CUSTODY = ["custody", "transfer"]
BROKER = ["order_transmission", "order_execution", "advice"]
ASSETS = ["BTC", "ETH", "USDT", "KZTE"]


def tiny_pdf(title: str) -> bytes:
    """A valid one-page PDF with a line of text (object offsets computed, so readers accept it)."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def tiny_png(width: int = 8, height: int = 8) -> bytes:
    """A valid PNG: a small grey gradient, written with zlib and struct."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes((x * 255 // max(width - 1, 1)) for x in range(width)) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


class Command(BaseCommand):
    help = "Create (or refresh) demo users, organizations, applications and licenses; prints the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default="",
            help="Password for every demo user (default: demo-<random> generated once and kept in var/).",
        )

    def handle(self, *args, password: str, **options):
        password = password or self._stored_password()
        with transaction.atomic():
            logins = self._users(password)
        with transaction.atomic():
            # Before the cases: their submissions are screened against it.
            self._warning_list()
        with transaction.atomic():
            created = self._cases()
        with transaction.atomic():
            self._applicant_face()
        with transaction.atomic():
            created = self._staff_queues() or created
        self.stdout.write(self.style.SUCCESS("Demo data ready." if created else "Demo data already present."))
        self.stdout.write(f"Demo logins (password for all: {password}):")
        for username, role in logins:
            self.stdout.write(f"  {username:<12} {role}")

    def _stored_password(self) -> str:
        # One password per checkout, kept beside the database, so a second `make run` prints the same one.
        path = settings.VAR_DIR / "demo-password.txt"
        if path.exists():
            return path.read_text().strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        value = f"demo-{secrets.token_urlsafe(9)}"
        path.write_text(value + "\n")
        path.chmod(0o600)
        return value

    def _user(self, username: str, password: str, **fields):
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username, defaults=fields)
        if created or not user.check_password(password) or not user.email_verified:
            user.set_password(password)
            # Demo people have confirmed their addresses, as a real applicant would before applying.
            user.email_verified_at = user.email_verified_at or timezone.now()
            user.save()
        return user

    # --- people and organizations --------------------------------------------------------------

    def _users(self, password: str) -> list[tuple[str, str]]:
        logins = []
        admin = self._user(
            "admin", password, is_staff=True, is_superuser=True, email="admin@licensing.example.kz", first_name="Portal"
        )
        logins.append((admin.username, "superuser (Django admin, reference data)"))
        self.staff = {}
        for username, first_name, last_name, role in demo.STAFF:
            user = self._user(
                username,
                password,
                first_name=first_name,
                last_name=last_name,
                email=f"{username}@licensing.example.kz",
            )
            user.groups.add(Group.objects.get(name=role))
            self.staff[role] = user
            logins.append((username, role))
        self.organizations = {}
        for spec in [*demo.ORGANIZATIONS, *EXTRA_ORGANIZATIONS]:
            user = self._user(
                spec["username"],
                password,
                first_name=spec["first_name"],
                last_name=spec["last_name"],
                email=spec["email"],
            )
            organization = self._organization(spec, user)
            self.organizations[spec["username"]] = (organization, user)
            logins.append((user.username, f"applicant, {organization.legal_name}"))
        return logins

    def _organization(self, spec: dict, user) -> Organization:
        organization = Organization.objects.filter(bin=spec["bin"]).first()
        if organization is None:
            organization = services.organization_create(
                actor=user,
                legal_name=spec["legal_name"],
                latin_name=spec.get("latin_name", ""),
                trading_names=spec.get("trading_names", ()),
                bin=spec["bin"],
                registered_address=spec["address"],
                website=spec["website"],
                other_domains=spec["other_domains"],
                contact_email=spec["email"],
                contact_phone=spec["phone"],
                paid_up_capital_kzt=spec["capital"],
            )
        else:
            Membership.objects.get_or_create(
                organization=organization, user=user, defaults={"role": Membership.Role.OWNER}
            )
        if not organization.key_persons.exists():
            for role, title in KEY_PERSONS:
                services.key_person_add(
                    organization=organization,
                    actor=user,
                    role=role,
                    full_name=f"{spec['first_name']} {title}",
                    email=spec["email"],
                )
        if not organization.beneficial_owners.exists():
            for name, share, country in BENEFICIAL_OWNERS:
                services.beneficial_owner_add(
                    organization=organization, actor=user, full_name=name, share_percent=share, country=country
                )
        return organization

    # --- warning list ------------------------------------------------------------------------------

    def _warning_list(self) -> None:
        """A small warning list; "Steppe Crypto Exchange" resembles the demo applicant "Steppe Digital Exchange JSC"."""
        if WarningEntry.objects.filter(name=DEMO_WARNINGS[0]["name"]).exists():
            return
        supervisor = self.staff["supervisor"]
        today = timezone.localdate()
        for spec in DEMO_WARNINGS:
            spec = dict(spec)
            removed_days_ago = spec.pop("removed_days_ago", None)
            entry = warning_add(actor=supervisor, listed_on=today - timedelta(days=spec.pop("days_ago")), **spec)
            if removed_days_ago is not None:
                warning_remove(
                    entry=entry,
                    actor=supervisor,
                    removed_on=today - timedelta(days=removed_days_ago),
                    reason="The entity obtained a license in its home state and stopped serving Kazakhstan.",
                )

    # --- cases and licenses ----------------------------------------------------------------------

    def _cases(self) -> bool:
        # The marker: the first demo organization already has applications, so this ran before.
        first, _user = self.organizations[demo.ORGANIZATIONS[0]["username"]]
        if Application.objects.filter(organization=first).exists():
            return False
        reviewer, approver, supervisor = (self.staff[r] for r in ("reviewer", "approver", "supervisor"))
        today = timezone.localdate()

        def case(who: str, activities: list[str], state: str, **approval) -> Application:
            organization, user = self.organizations[who]
            application = services.application_create(
                organization=organization,
                actor=user,
                activities=Activity.objects.filter(code__in=activities),
                assets=DigitalAsset.objects.filter(symbol__in=ASSETS),
            )
            if state == "draft":
                self._upload(application, user, limit=3)
                return application
            self._upload(application, user)
            application = services.application_submit(application=application, actor=user)
            if state == "withdrawn":
                return services.application_withdraw(
                    application=application, actor=user, reason="Business plan revised."
                )
            if state == "submitted":
                return application
            application = services.application_start_check(application=application, actor=supervisor, reviewer=reviewer)
            self._review(application, reviewer, reject_one=state == "completeness_check")
            if state == "completeness_check":
                return application
            if state in ("information_requested", "lapsed"):
                request = services.application_request_information(
                    application=application,
                    actor=reviewer,
                    questions="Please name the external auditor of your information-security controls.",
                )
                if state == "lapsed":
                    application = Application.objects.get(pk=application.pk)
                    lapses_on = application_lapse_date(application)
                    return services.application_lapse(application=application, today=max(lapses_on, today))
                return Application.objects.get(pk=request.application_id)
            application = services.application_confirm_complete(application=application, actor=reviewer)
            if state == "under_review":
                return application
            recommendation = "refuse" if state == "refused" else "grant"
            application = services.application_recommend(
                application=application,
                actor=reviewer,
                recommendation=recommendation,
                reasons="Capital, governance and AML/CFT controls meet the requirements."
                if recommendation == "grant"
                else "The AML/CFT rules do not cover transfers to unhosted wallets.",
            )
            if state == "pending_decision":
                return application
            if state == "refused":
                return services.application_refuse(
                    application=application,
                    actor=approver,
                    reasons="The AML/CFT internal control rules do not meet the National Bank's requirements.",
                )
            return services.application_approve(application=application, actor=approver, **approval)

        case("applicant", BROKER, "draft")
        case("applicant", DEX, "approved")
        case("applicant2", CUSTODY, "information_requested")
        case("applicant2", BROKER, "withdrawn")
        case("applicant2", BROKER, "submitted")
        suspended = case("applicant3", BROKER, "approved")
        case("applicant3", DEX, "completeness_check")
        case("applicant3", CUSTODY, "lapsed")
        revoked = case("applicant4", CUSTODY, "approved")
        case("applicant4", DEX, "under_review")
        case("applicant4", BROKER, "refused")
        surrendered = case("applicant5", BROKER, "approved")
        # Issued six years ago for five: its validity has run out, and the expiry sweep would end it.
        expired = case("applicant5", CUSTODY, "approved", issued_on=date(today.year - 6, 1, 15))
        case("applicant5", DEX, "pending_decision")

        holders = license_holder_ids(license_ids=[suspended.license_id, revoked.license_id])
        registry_services.license_suspend(
            license=suspended.license,
            actor=approver,
            reason="Quarterly prudential report not filed.",
            recipients=holders[suspended.license_id],
        )
        registry_services.license_revoke(
            license=revoked.license,
            actor=approver,
            reason="Client assets were not segregated from own assets.",
            recipients=holders[revoked.license_id],
        )
        registry_services.license_surrender(
            license=surrendered.license, actor=supervisor, reason="The holder ceased the licensed activity."
        )
        registry_services.license_expire(license=expired.license, today=today)
        return True

    def _staff_queues(self) -> bool:
        """Work in every staff queue, so a newcomer signing in as reviewer, approver or supervisor
        has something to do at once: cases to pick up or assign in bulk, the supervisor's own case
        with documents to review, and one past its statutory deadline. Marker: the supervisor's case."""
        reviewer, supervisor = self.staff["reviewer"], self.staff["supervisor"]
        if Application.objects.filter(assigned_reviewer=supervisor).exists():
            return False

        def submitted(who: str, activities: list[str]) -> Application:
            organization, user = self.organizations[who]
            application = services.application_create(
                organization=organization,
                actor=user,
                activities=Activity.objects.filter(code__in=activities),
                assets=DigitalAsset.objects.filter(symbol__in=ASSETS),
            )
            self._upload(application, user)
            return services.application_submit(application=application, actor=user)

        submitted("applicant3", CUSTODY)
        submitted("applicant4", BROKER)
        services.application_start_check(application=submitted("applicant5", BROKER), actor=supervisor)
        late = services.application_start_check(
            application=submitted("applicant2", CUSTODY), actor=supervisor, reviewer=reviewer
        )
        # The one date the demo sets by hand: a case submitted 40 days ago is past its 25 working days.
        Application.objects.filter(pk=late.pk).update(submitted_at=timezone.now() - timedelta(days=40))
        late.refresh_from_db()
        application_set_deadline_fields(late)
        late.save(update_fields=["statutory_due_on"])
        services.internal_note_add(
            application=late, actor=supervisor, body="Past its completeness deadline: please finish the check first."
        )
        return True

    # --- the applicant face: drafts at every stage and an open request ------------------------------

    def _applicant_face(self) -> None:
        """Give the first demo applicant drafts at several stages and a case awaiting their answer.

        A newcomer who signs in as ``applicant`` then sees every part of the applicant face: a task
        list barely started, one half done, one ready to submit, and an information request with a
        rejected document to correct. Marked by the business summary of the ready draft.
        """
        organization, user = self.organizations[demo.ORGANIZATIONS[0]["username"]]
        marker = "Demo: ready to submit"
        if Application.objects.filter(organization=organization, business_summary__startswith=marker).exists():
            return
        reviewer, supervisor = self.staff["reviewer"], self.staff["supervisor"]
        services.application_create(organization=organization, actor=user)
        services.application_create(
            organization=organization,
            actor=user,
            activities=Activity.objects.filter(code__in=CUSTODY),
            assets=DigitalAsset.objects.filter(symbol__in=["BTC", "USDT"]),
        )
        ready = services.application_create(
            organization=organization,
            actor=user,
            activities=Activity.objects.filter(code__in=BROKER),
            assets=DigitalAsset.objects.filter(symbol__in=ASSETS),
        )
        services.application_update_business(
            application=ready,
            actor=user,
            business_summary=f"{marker}. Brokerage of digital financial assets for retail clients in Kazakhstan, "
            "through a mobile application, from the second quarter.",
        )
        self._upload(ready, user)
        asked = services.application_create(
            organization=organization,
            actor=user,
            activities=Activity.objects.filter(code__in=CUSTODY),
            assets=DigitalAsset.objects.filter(symbol__in=ASSETS),
        )
        self._upload(asked, user)
        asked = services.application_submit(application=asked, actor=user)
        asked = services.application_start_check(application=asked, actor=supervisor, reviewer=reviewer)
        self._review(asked, reviewer, reject_one=True)
        services.application_request_information(
            application=asked,
            actor=reviewer,
            questions="Please upload a signed copy of the charter, and name the bank that holds the client "
            "money accounts.",
        )

    def _upload(self, application: Application, user, *, limit: int | None = None) -> None:
        slots = application_required_slots(application)
        for index, slot in enumerate(slots[:limit]):
            requirement = application.license_type.document_requirements.get(pk=slot.requirement_id)
            stem = requirement.code.replace("_", "-")
            if "png" in requirement.formats and index % 2:
                uploaded = SimpleUploadedFile(f"{stem}.png", tiny_png(), content_type="image/png")
            else:
                uploaded = SimpleUploadedFile(f"{stem}.pdf", tiny_pdf(slot.label), content_type="application/pdf")
            services.document_upload(
                application=application,
                requirement=requirement,
                uploaded_file=uploaded,
                actor=user,
                key_person=slot.key_person,
            )

    def _review(self, application: Application, reviewer, *, reject_one: bool) -> None:
        documents = list(Document.objects.filter(application=application, state=Document.State.PENDING))
        for index, document in enumerate(documents):
            if reject_one and index == 0:
                services.document_reject(
                    document=document, actor=reviewer, reason="The scan is illegible; upload a signed, legible copy."
                )
            elif not (reject_one and index == 1):  # and one left pending, as on a real desk
                services.document_accept(document=document, actor=reviewer)
