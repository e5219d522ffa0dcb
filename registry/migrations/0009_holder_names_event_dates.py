"""Holders' Latin and trading names, a search key of every name, host-name websites, event dates.

Existing data migrates:

- ``search_key`` is computed for every license (``common.names.name_key``), in batches; on
  PostgreSQL the word index of migration 0005 is rebuilt from it, and its triggers now read it;
- ``holder_website`` and ``holder_domains`` become normalised host names (``common.domains``); a
  value that is no web address is kept as it was, for a person to correct;
- every event's ``recorded_at`` is the time it was stored (its old ``at``), and an "issued" event of a
  license loaded with an earlier issue date takes effect on that date.
"""

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from common.domains import InvalidHost, normalise_host
from common.names import name_key

BATCH = 5000

WORD_TRIGGERS = r"""
DROP TRIGGER IF EXISTS registry_license_name_words_update ON registry_license;
DROP TRIGGER IF EXISTS registry_license_name_words_insert ON registry_license;

CREATE OR REPLACE FUNCTION registry_collect_name_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM registry_licenseword lw
        USING new_rows n JOIN old_rows o ON o.id = n.id
        WHERE lw.number = o.number AND n.search_key IS DISTINCT FROM o.search_key;
    END IF;
    INSERT INTO registry_licenseword (word, number)
    SELECT DISTINCT w, new_rows.number
    FROM new_rows, regexp_split_to_table(new_rows.search_key, ' ') AS w
    WHERE w <> ''
    ON CONFLICT DO NOTHING;
    INSERT INTO registry_nameword (word)
    SELECT DISTINCT w
    FROM new_rows, regexp_split_to_table(new_rows.search_key, ' ') AS w
    WHERE w <> ''
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
"""

CREATE_TRIGGERS = """
CREATE TRIGGER registry_license_name_words_insert AFTER INSERT ON registry_license
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_collect_name_words();
CREATE TRIGGER registry_license_name_words_update AFTER UPDATE ON registry_license
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_collect_name_words();
"""

REBUILD_WORDS = """
INSERT INTO registry_licenseword (word, number)
SELECT DISTINCT w, number FROM registry_license, regexp_split_to_table(search_key, ' ') AS w WHERE w <> ''
ON CONFLICT DO NOTHING;
INSERT INTO registry_nameword (word) SELECT DISTINCT word FROM registry_licenseword ON CONFLICT DO NOTHING;
CREATE INDEX IF NOT EXISTS registry_nameword_prefix ON registry_nameword (word text_pattern_ops);
ANALYZE registry_nameword;
ANALYZE registry_licenseword;
ANALYZE registry_license;
"""


def _host(value: str) -> str:
    try:
        return normalise_host(value)
    except InvalidHost:
        return value[:253]


def _hosts(values) -> list:
    if not isinstance(values, list):
        return values
    hosts = []
    for value in values:
        host = _host(str(value)) if value else value
        if host not in hosts:
            hosts.append(host)
    return hosts


def _backfill_licenses(apps, schema_editor):
    License = apps.get_model("registry", "License")
    connection = schema_editor.connection
    postgres = connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(WORD_TRIGGERS + "TRUNCATE registry_licenseword, registry_nameword;", params=None)
    last = 0
    while True:
        rows = list(
            License.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "holder_name", "holder_website", "holder_domains")[:BATCH]
        )
        if not rows:
            break
        last = rows[-1][0]
        changes = []
        for pk, name, website, domains in rows:
            changes.append((pk, _host(website) if website else "", _hosts(domains), name_key(name)))
        with connection.cursor() as cursor:
            if postgres:
                import json

                values = ", ".join(["(%s, %s, %s::jsonb, %s)"] * len(changes))
                params = [p for pk, w, d, k in changes for p in (pk, w, json.dumps(d, ensure_ascii=False), k)]
                cursor.execute(
                    "UPDATE registry_license SET holder_website = v.website, holder_domains = v.domains,"  # noqa: S608
                    f" search_key = v.key FROM (VALUES {values}) AS v(id, website, domains, key)"
                    " WHERE registry_license.id = v.id",
                    params,
                )
            else:
                for pk, website, domains, key in changes:
                    License.objects.filter(pk=pk).update(holder_website=website, holder_domains=domains, search_key=key)
    if postgres:
        schema_editor.execute(REBUILD_WORDS + CREATE_TRIGGERS, params=None)


def _date_events(apps, schema_editor):
    LicenseEvent = apps.get_model("registry", "LicenseEvent")
    connection = schema_editor.connection
    LicenseEvent.objects.update(recorded_at=models.F("at"))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE registry_licenseevent e SET at = l.issued_at::timestamp AT TIME ZONE %s"
                " FROM registry_license l WHERE e.license_id = l.id AND e.event = 'issued'"
                " AND (e.at AT TIME ZONE %s)::date <> l.issued_at",
                [settings.TIME_ZONE, settings.TIME_ZONE],
            )
        return
    from datetime import datetime, time

    from django.utils import timezone

    for event in LicenseEvent.objects.filter(event="issued").select_related("license").iterator():
        issued = event.license.issued_at
        if timezone.localdate(event.at) != issued:
            event.at = timezone.make_aware(datetime.combine(issued, time.min))
            event.save(update_fields=["at"])


def _restore_word_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The triggers of 0005, reading holder_name again.
    migration = __import__("registry.migrations.0005_name_words", fromlist=["FORWARD"])
    schema_editor.execute("TRUNCATE registry_licenseword, registry_nameword;", params=None)
    schema_editor.execute("DROP INDEX IF EXISTS registry_nameword_prefix;", params=None)
    schema_editor.execute(migration.FORWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_warning_list_constraints")]

    operations = [
        migrations.AddField(
            model_name="license",
            name="holder_latin_name",
            field=models.CharField(blank=True, max_length=300, verbose_name="Latin name"),
        ),
        migrations.AddField(
            model_name="license",
            name="holder_trading_names",
            field=models.JSONField(blank=True, default=list, verbose_name="trading names"),
        ),
        migrations.AddField(
            model_name="license",
            name="search_key",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AlterField(
            model_name="license",
            name="holder_website",
            field=models.CharField(blank=True, max_length=253, verbose_name="website"),
        ),
        migrations.AddField(
            model_name="licenseevent",
            name="recorded_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="recorded"),
        ),
        migrations.AlterField(
            model_name="licenseevent",
            name="at",
            field=models.DateTimeField(db_index=True, verbose_name="effective"),
        ),
        migrations.AddIndex(
            model_name="licenseevent",
            index=models.Index(fields=["recorded_at", "id"], name="registry_event_recorded"),
        ),
        migrations.RunPython(_date_events, migrations.RunPython.noop),
        migrations.RunPython(_backfill_licenses, _restore_word_triggers),
    ]
