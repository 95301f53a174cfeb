# Practitioners' personal phone numbers become encrypted at rest (personal data, DESIGN.md).

import fawang.core.fields
from django.db import migrations


def encrypt_existing(apps, schema_editor):
    """Rows saved before this migration hold plain text: encrypt them in place."""
    from fawang.core import pii

    connection = schema_editor.connection
    table = connection.ops.quote_name("directory_practitioner")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, phone FROM {table} WHERE phone <> ''")
        rows = cursor.fetchall()
        for pk, phone in rows:
            cursor.execute(f"UPDATE {table} SET phone = %s WHERE id = %s", [pii.encrypt(phone), pk])


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='practitioner',
            name='phone',
            field=fawang.core.fields.EncryptedCharField(blank=True, max_length=60, verbose_name='联系电话'),
        ),
        migrations.RunPython(encrypt_existing, migrations.RunPython.noop),
    ]
