"""The organ key unique across organizations, the acronym unique within one (a migration of
its own: PostgreSQL cannot alter a table with the previous migration's updates pending)."""

from django.db import migrations, models

HELP_KEY = (
    "How addresses and filters name the organ (/organs/<key>/, ?organ=<key>). Leave empty: the "
    "acronym, or, when another organization has an organ with that acronym, the organization’s "
    "acronym before it (UNGA)."
)


class Migration(migrations.Migration):
    dependencies = [
        ("mandates", "0022_organ_keys"),
    ]

    operations = [
        migrations.AlterField(
            model_name="organ",
            name="key",
            field=models.CharField(
                blank=True, help_text=HELP_KEY, max_length=40, unique=True, verbose_name="key"
            ),
        ),
        migrations.AddConstraint(
            model_name="organ",
            constraint=models.UniqueConstraint(
                fields=("organization", "acronym"), name="organ_acronym_per_organization"
            ),
        ),
    ]
