"""Article.part, and the full-text index table for the current database vendor.

SQLite: an FTS5 virtual table whose rowid is the article id; columns hold pre-segmented text.
PostgreSQL: a plain table (article id, tsvector 'simple') with a GIN index. RUM would let
PostgreSQL rank inside the index but is not packaged by Debian, so GIN + ts_rank_cd it is.
The import service keeps the table in sync (see fawang.knowledge.search), not signals.
"""

from django.db import migrations, models

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_article_fts USING fts5("
    "body, heading, tokenize = 'unicode61 remove_diacritics 0')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS knowledge_article_fts"
PG_CREATE = [
    "CREATE TABLE IF NOT EXISTS knowledge_article_search ("
    " article_id bigint PRIMARY KEY REFERENCES knowledge_article (id) ON DELETE CASCADE"
    " DEFERRABLE INITIALLY DEFERRED,"
    " document tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS knowledge_article_search_gin ON knowledge_article_search"
    " USING gin (document)",
]
PG_DROP = ["DROP TABLE IF EXISTS knowledge_article_search"]


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": [SQLITE_CREATE], "postgresql": PG_CREATE}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": [SQLITE_DROP], "postgresql": PG_DROP}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("knowledge", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="part",
            field=models.CharField(blank=True, default="", max_length=200, verbose_name="编"),
        ),
        migrations.RunPython(create_index, drop_index),
    ]
