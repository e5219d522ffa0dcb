"""Indexes that keep the public search fast at a million licenses, on PostgreSQL only.

- pg_trgm and a GIN trigram index on the holder's name: substring matches (``ILIKE``) and the
  typo-tolerant ``holder_name %> q`` ranked by ``word_similarity``.
- Two IMMUTABLE helper functions and indexes on them, so that a domain query is an exact index
  lookup: ``registry_url_host(holder_website)`` (lowercased host without ``www.``) and
  ``registry_lower_jsonb(holder_domains) @> '["host"]'``.
- (status, number) and (license_type_id, number) for filtered lists in number order.
- (at, id) for the change feed's cursor.

``registry.selectors`` uses exactly these expressions. SQLite has neither the extension nor the
need: the same searches run there with LIKE, and this migration does nothing.
"""

from django.db import migrations

FUNCTIONS = [
    (
        "registry_url_host(text)",
        r"""CREATE OR REPLACE FUNCTION registry_url_host(url text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
          SELECT regexp_replace(
            regexp_replace(lower(url), '^([a-z][a-z0-9+.-]*://)?([^/?#@]*@)?([^/:?#]*).*$', '\3'),
            '^www\.', '')
        $$""",
    ),
    (
        "registry_lower_jsonb(jsonb)",
        """CREATE OR REPLACE FUNCTION registry_lower_jsonb(value jsonb) RETURNS jsonb
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT lower(value::text)::jsonb $$""",
    ),
]

INDEXES = [
    (
        "registry_license_holder_name_trgm",
        "CREATE INDEX IF NOT EXISTS registry_license_holder_name_trgm "
        "ON registry_license USING gin (holder_name gin_trgm_ops)",
    ),
    (
        "registry_license_website_host",
        "CREATE INDEX IF NOT EXISTS registry_license_website_host ON registry_license (registry_url_host(holder_website))",
    ),
    (
        "registry_license_domains_lower",
        "CREATE INDEX IF NOT EXISTS registry_license_domains_lower "
        "ON registry_license USING gin (registry_lower_jsonb(holder_domains) jsonb_path_ops)",
    ),
    (
        "registry_license_status_number",
        "CREATE INDEX IF NOT EXISTS registry_license_status_number ON registry_license (status, number)",
    ),
    (
        "registry_license_type_number",
        "CREATE INDEX IF NOT EXISTS registry_license_type_number ON registry_license (license_type_id, number)",
    ),
    (
        "registry_licenseevent_at_id",
        "CREATE INDEX IF NOT EXISTS registry_licenseevent_at_id ON registry_licenseevent (at, id)",
    ),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for _signature, sql in FUNCTIONS:
        schema_editor.execute(sql)
    for _name, sql in INDEXES:
        schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _sql in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    for signature, _sql in FUNCTIONS:
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {signature}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_reference_data")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
