"""Refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) on the ledger's
append-only tables.

Defence in depth only: whoever owns the database can drop these triggers, so
the signed, cosigned checkpoints are the real protection (ledger.md §0.2).
The one-row table `zhifa_ledger_maintenance` is the documented switch for
purging a test database; `zhifa ledger verify` reports it if it is ever on.
"""

from django.db import migrations

TABLES = [
    "ledger_entry",
    "ledger_node",
    "ledger_checkpoint",
    "ledger_cosignature",
    "ledger_evidenceblob",
]

MESSAGE = "全过程记录只能追加，不能修改或删除"


def create_triggers(apps, schema_editor):
    conn = schema_editor.connection
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE zhifa_ledger_maintenance (purge_allowed BOOLEAN NOT NULL)")
        if conn.vendor == "postgresql":
            cur.execute(f"""
                CREATE OR REPLACE FUNCTION zhifa_ledger_append_only() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                  IF EXISTS (SELECT 1 FROM zhifa_ledger_maintenance WHERE purge_allowed) THEN
                    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                    IF TG_OP = 'UPDATE' THEN RETURN NEW; END IF;
                    RETURN NULL;
                  END IF;
                  RAISE EXCEPTION '%: {MESSAGE}（%）', TG_TABLE_NAME, TG_OP;
                END $$;
            """)
            for table in TABLES:
                cur.execute(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION zhifa_ledger_append_only()"
                )
                cur.execute(
                    f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION zhifa_ledger_append_only()"
                )
        elif conn.vendor == "sqlite":
            for table in TABLES:
                for op in ("UPDATE", "DELETE"):
                    cur.execute(
                        f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                        f"WHEN NOT EXISTS (SELECT 1 FROM zhifa_ledger_maintenance WHERE purge_allowed) "
                        f"BEGIN SELECT RAISE(ABORT, '{table}: {MESSAGE}（{op}）'); END"
                    )
        else:
            raise RuntimeError(f"不支持的数据库 {conn.vendor}：全过程记录需要 PostgreSQL 或 SQLite。")


def drop_triggers(apps, schema_editor):
    conn = schema_editor.connection
    with conn.cursor() as cur:
        for table in TABLES:
            if conn.vendor == "postgresql":
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            else:
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        if conn.vendor == "postgresql":
            cur.execute("DROP FUNCTION IF EXISTS zhifa_ledger_append_only()")
        cur.execute("DROP TABLE zhifa_ledger_maintenance")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
