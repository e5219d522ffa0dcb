"""Organizations get a Latin name and trading names, websites and domains become normalised host
names, an LEI belongs to one organization only, and a submitted application keeps a snapshot of
the profile it was submitted with (SPEC section 6).

Existing websites and domains are normalised; one that cannot be read as a host name is dropped
(it would not have passed the URL check either). Should two organizations share an LEI, the
older keeps it. Cases submitted before this migration get a snapshot of the profile as it is now,
the best record there is of what was submitted.
"""

from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone

from common.domains import InvalidHost, normalise_host


def _host(value: str) -> str:
    try:
        return normalise_host(value) if value else ""
    except InvalidHost:
        return ""


def normalise_profiles(apps, schema_editor):
    Organization = apps.get_model("licensing", "Organization")
    seen_leis = set()
    for organization in Organization.objects.order_by("created_at", "pk"):
        organization.website = _host(organization.website)
        domains = organization.other_domains if isinstance(organization.other_domains, list) else []
        hosts = []
        for value in domains:
            host = _host(str(value))
            if host and host not in hosts and host != organization.website:
                hosts.append(host)
        organization.other_domains = hosts
        if organization.lei in seen_leis:
            organization.lei = ""
        elif organization.lei:
            seen_leis.add(organization.lei)
        organization.save(update_fields=["website", "other_domains", "lei"])


def snapshot_submitted(apps, schema_editor):
    Application = apps.get_model("licensing", "Application")
    now = timezone.now().isoformat()
    for application in Application.objects.exclude(state="draft").select_related("organization"):
        organization = application.organization
        application.profile_snapshot = {
            "version": 1,
            "taken_at": now,
            "legal_name": organization.legal_name,
            "latin_name": "",
            "trading_names": [],
            "bin": organization.bin,
            "lei": organization.lei,
            "registered_address": organization.registered_address,
            "website": organization.website,
            "other_domains": list(organization.other_domains),
            "contact_email": organization.contact_email,
            "contact_phone": organization.contact_phone,
            "paid_up_capital_kzt": organization.paid_up_capital_kzt,
            "beneficial_owners": [
                {
                    "full_name": o.full_name,
                    "share_percent": str(o.share_percent),
                    "country": o.country,
                    "is_politically_exposed": o.is_politically_exposed,
                }
                for o in organization.beneficial_owners.order_by("-share_percent", "full_name")
            ],
            "key_persons": [
                {"id": p.pk, "role": p.role, "full_name": p.full_name, "email": p.email}
                for p in organization.key_persons.order_by("role", "full_name")
            ],
        }
        application.save(update_fields=["profile_snapshot"])


class Migration(migrations.Migration):
    dependencies = [("licensing", "0004_drafts_follow_capital_classes")]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="latin_name",
            field=models.CharField(blank=True, max_length=300, verbose_name="name in Latin letters"),
        ),
        migrations.AddField(
            model_name="organization",
            name="trading_names",
            field=models.JSONField(blank=True, default=list, verbose_name="trading names"),
        ),
        migrations.AlterField(
            model_name="organization",
            name="website",
            field=models.CharField(blank=True, max_length=253, verbose_name="website"),
        ),
        migrations.RunPython(normalise_profiles, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.UniqueConstraint(condition=~Q(lei=""), fields=("lei",), name="one_organization_per_lei"),
        ),
        migrations.AddField(
            model_name="application",
            name="profile_snapshot",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(snapshot_submitted, migrations.RunPython.noop),
    ]
