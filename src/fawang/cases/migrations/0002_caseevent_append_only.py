"""Make case events append-only in the database, not only in code.

SQLite: BEFORE UPDATE / BEFORE DELETE triggers that abort. The DELETE trigger lets a row go
only once its case row is already gone, which ``on_delete=PROTECT`` forbids while events
exist; it is what lets the test runner's flush (DELETE FROM every table, ``cases_case`` first)
empty the database.
PostgreSQL: one trigger function raising on UPDATE and DELETE (flush uses TRUNCATE, which row
triggers do not see).
"""

from django.db import migrations

SQLITE_UP = [
    """CREATE TRIGGER cases_caseevent_no_update BEFORE UPDATE ON cases_caseevent
       BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END""",
    """CREATE TRIGGER cases_caseevent_no_delete BEFORE DELETE ON cases_caseevent
       WHEN EXISTS (SELECT 1 FROM cases_case WHERE id = OLD.case_id)
       BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS cases_caseevent_no_update",
    "DROP TRIGGER IF EXISTS cases_caseevent_no_delete",
]
PG_UP = [
    """CREATE OR REPLACE FUNCTION cases_caseevent_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'case events are append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER cases_caseevent_append_only BEFORE UPDATE OR DELETE ON cases_caseevent
       FOR EACH ROW EXECUTE FUNCTION cases_caseevent_append_only()""",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS cases_caseevent_append_only ON cases_caseevent",
    "DROP FUNCTION IF EXISTS cases_caseevent_append_only()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": PG_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN}),
        ),
    ]
