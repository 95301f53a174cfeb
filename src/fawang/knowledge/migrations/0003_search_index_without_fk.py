"""PostgreSQL: drop the search table's foreign key to knowledge_article.

Django's flush (TransactionTestCase teardown, `fawang flush`) truncates the model tables with a
plain TRUNCATE, which PostgreSQL refuses while another table references them. The index rows
are kept in sync by the services (and candidates() ignores ids without an article), so the
constraint bought little and broke flush.
"""

from django.db import migrations


def drop_fk(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE knowledge_article_search "
            "DROP CONSTRAINT IF EXISTS knowledge_article_search_article_id_fkey")


class Migration(migrations.Migration):

    dependencies = [
        ("knowledge", "0002_article_part_search_index"),
    ]

    operations = [
        migrations.RunPython(drop_fk, migrations.RunPython.noop),
    ]
