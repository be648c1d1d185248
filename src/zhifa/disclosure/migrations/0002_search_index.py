"""The full-text index over SearchDocument.tokens, one per database vendor
(zhifa.disclosure.search): an FTS5 external-content table kept in step by
triggers on SQLite; a generated tsvector('simple') column with a GIN index on
PostgreSQL. Each RunSQL runs only on its vendor."""

from django.db import migrations


class VendorRunSQL(migrations.RunSQL):
    """RunSQL that runs only on one database vendor."""

    def __init__(self, vendor, *args, **kwargs):
        self.vendor = vendor
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, *args], kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


SQLITE = [
    "CREATE VIRTUAL TABLE disclosure_search_fts USING fts5("
    "tokens, content='disclosure_searchdocument', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER disclosure_search_ai AFTER INSERT ON disclosure_searchdocument BEGIN "
    "INSERT INTO disclosure_search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    "CREATE TRIGGER disclosure_search_ad AFTER DELETE ON disclosure_searchdocument BEGIN "
    "INSERT INTO disclosure_search_fts(disclosure_search_fts, rowid, tokens) "
    "VALUES ('delete', old.id, old.tokens); END",
    "CREATE TRIGGER disclosure_search_au AFTER UPDATE ON disclosure_searchdocument BEGIN "
    "INSERT INTO disclosure_search_fts(disclosure_search_fts, rowid, tokens) "
    "VALUES ('delete', old.id, old.tokens); "
    "INSERT INTO disclosure_search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS disclosure_search_au",
    "DROP TRIGGER IF EXISTS disclosure_search_ad",
    "DROP TRIGGER IF EXISTS disclosure_search_ai",
    "DROP TABLE IF EXISTS disclosure_search_fts",
]

POSTGRESQL = [
    "ALTER TABLE disclosure_searchdocument ADD COLUMN tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, tokens)) STORED",
    "CREATE INDEX disclosure_searchdocument_tsv ON disclosure_searchdocument USING GIN (tsv)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS disclosure_searchdocument_tsv",
    "ALTER TABLE disclosure_searchdocument DROP COLUMN IF EXISTS tsv",
]


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_publication")]

    operations = [
        VendorRunSQL("sqlite", SQLITE, SQLITE_REVERSE),
        VendorRunSQL("postgresql", POSTGRESQL, POSTGRESQL_REVERSE),
    ]
