"""Holder-name words, for typo-tolerant name search at a million licenses.

Matching a misspelt word against every holder name (``holder_name %> q``) makes the trigram index
return thousands of candidate rows to re-check, and still misses swapped letters. Instead the typo
tier first finds the words of the register that resemble each word typed — a trigram search over
the vocabulary (``registry_nameword``: some tens of thousands of distinct words, not a million
names) — and then the licenses whose name has those words, from an inverted index
(``registry_licenseword``: word, license number), which answers with B-tree lookups however common
the word's letters are. The same index answers a one-word fragment ("akul") exactly: the words of
the vocabulary containing it, then their licenses, counted and paged in number order from the
index alone instead of re-checking thousands of names.

Words are split on anything that is not a letter or digit (``[^[:alnum:]]``) and lower-cased by
the database: the database must use a UTF-8 locale (C.UTF-8, kk_KZ.UTF-8, ...) so Kazakh and
Russian letters count as letters.

Statement-level triggers with transition tables keep both complete whatever writes licenses
(services, the admin, seed_bulk's COPY): a few statements per INSERT or UPDATE, not per row. Words
of a renamed holder stay in the vocabulary; a stale word only means a candidate that finds no name.

The tables are ordinary models (so test flushes and tooling know them); the trigram index, the
triggers and the backfill are PostgreSQL only: on SQLite the search uses a plain substring match.
The license word is keyed by number, which never changes, so a page "in number order" is read from
the primary key (word, number) alone.
"""

import django.db.models.deletion
from django.db import migrations, models

FORWARD = r"""
CREATE INDEX IF NOT EXISTS registry_nameword_trgm ON registry_nameword USING gin (word gin_trgm_ops);

CREATE OR REPLACE FUNCTION registry_collect_name_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM registry_licenseword lw
        USING new_rows n JOIN old_rows o ON o.id = n.id
        WHERE lw.number = o.number AND n.holder_name IS DISTINCT FROM o.holder_name;
    END IF;
    INSERT INTO registry_licenseword (word, number)
    SELECT DISTINCT w, new_rows.number
    FROM new_rows, regexp_split_to_table(lower(new_rows.holder_name), '[^[:alnum:]]+') AS w
    WHERE length(w) >= 3
    ON CONFLICT DO NOTHING;
    INSERT INTO registry_nameword (word)
    SELECT DISTINCT w
    FROM new_rows, regexp_split_to_table(lower(new_rows.holder_name), '[^[:alnum:]]+') AS w
    WHERE length(w) >= 3
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS registry_license_name_words_insert ON registry_license;
CREATE TRIGGER registry_license_name_words_insert AFTER INSERT ON registry_license
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_collect_name_words();
DROP TRIGGER IF EXISTS registry_license_name_words_update ON registry_license;
CREATE TRIGGER registry_license_name_words_update AFTER UPDATE ON registry_license
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_collect_name_words();

INSERT INTO registry_licenseword (word, number)
SELECT DISTINCT w, number
FROM registry_license, regexp_split_to_table(lower(holder_name), '[^[:alnum:]]+') AS w
WHERE length(w) >= 3
ON CONFLICT DO NOTHING;
INSERT INTO registry_nameword (word)
SELECT DISTINCT word FROM registry_licenseword
ON CONFLICT DO NOTHING;
ANALYZE registry_nameword;
ANALYZE registry_licenseword;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS registry_license_name_words_update ON registry_license;
DROP TRIGGER IF EXISTS registry_license_name_words_insert ON registry_license;
DROP FUNCTION IF EXISTS registry_collect_name_words();
DROP INDEX IF EXISTS registry_nameword_trgm;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_filtered_list_index")]

    operations = [
        migrations.CreateModel(
            name="NameWord",
            fields=[("word", models.TextField(primary_key=True, serialize=False))],
            options={"db_table": "registry_nameword"},
        ),
        migrations.CreateModel(
            name="LicenseWord",
            fields=[
                ("pk", models.CompositePrimaryKey("word", "license", blank=True, editable=False, serialize=False)),
                ("word", models.TextField()),
                (
                    "license",
                    models.ForeignKey(
                        db_column="number",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="registry.license",
                        to_field="number",
                    ),
                ),
            ],
            options={"db_table": "registry_licenseword"},
        ),
        migrations.RunPython(forward, backward),
    ]
