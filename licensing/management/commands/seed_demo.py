"""Demo data for `make run`: one user per role, two applicant organizations. Idempotent."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from licensing import demo
from licensing.models import Membership, Organization


class Command(BaseCommand):
    help = "Create (or refresh) demo users and organizations; prints the demo logins."

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
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
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
        if created or not user.check_password(password):
            user.set_password(password)
            user.save()
        return user

    def _users(self, password: str) -> list[tuple[str, str]]:
        logins = []
        admin = self._user(
            "admin", password, is_staff=True, is_superuser=True, email="admin@licensing.example.kz", first_name="Portal"
        )
        logins.append((admin.username, "superuser (Django admin, reference data)"))
        for username, first_name, last_name, role in demo.STAFF:
            user = self._user(
                username,
                password,
                first_name=first_name,
                last_name=last_name,
                email=f"{username}@licensing.example.kz",
            )
            user.groups.add(Group.objects.get(name=role))
            logins.append((username, role))
        for spec in demo.ORGANIZATIONS:
            user = self._user(
                spec["username"],
                password,
                first_name=spec["first_name"],
                last_name=spec["last_name"],
                email=spec["email"],
            )
            organization, _ = Organization.objects.get_or_create(
                bin=spec["bin"],
                defaults={
                    "legal_name": spec["legal_name"],
                    "website": spec["website"],
                    "other_domains": spec["other_domains"],
                    "registered_address": spec["address"],
                    "contact_email": spec["email"],
                    "contact_phone": spec["phone"],
                    "paid_up_capital_kzt": spec["capital"],
                },
            )
            Membership.objects.get_or_create(
                organization=organization, user=user, defaults={"role": Membership.Role.OWNER}
            )
            logins.append((user.username, f"applicant, {organization.legal_name}"))
        return logins
