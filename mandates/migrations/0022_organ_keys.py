"""Acronyms are unique within an organization, no longer across them: the UN's General
Assembly is "GA" like the OAS's. Addresses, filters, fixtures and the importer name an organ by
a new `key`, unique across organizations: the acronym it had (so every existing address keeps
working, the UN General Assembly's /organs/UNGA/ too)."""

from django.db import migrations, models

HELP_KEY = (
    "How addresses and filters name the organ (/organs/<key>/, ?organ=<key>). Leave empty: the "
    "acronym, or, when another organization has an organ with that acronym, the organization’s "
    "acronym before it (UNGA)."
)
HELP_ACRONYM = (
    "Standard acronym within its organization, e.g. CAJP or I/A Court H.R. (the OAS and the UN "
    "each have a GA)."
)


def keys_from_acronyms(apps, schema_editor):
    Organ = apps.get_model("mandates", "Organ")
    HistoricalOrgan = apps.get_model("mandates", "HistoricalOrgan")
    Organ.objects.update(key=models.F("acronym"))
    HistoricalOrgan.objects.update(key=models.F("acronym"))
    # The UN's General Assembly keeps its address (/organs/UNGA/) and shows its own acronym.
    Organ.objects.filter(key="UNGA", organization__code="un").update(acronym="GA")


def acronyms_from_keys(apps, schema_editor):
    Organ = apps.get_model("mandates", "Organ")
    Organ.objects.filter(key="UNGA", organization__code="un").update(acronym="UNGA")


class Migration(migrations.Migration):
    dependencies = [
        ("mandates", "0021_search_translations"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalorgan",
            name="key",
            field=models.CharField(
                blank=True, db_index=True, help_text=HELP_KEY, max_length=40, verbose_name="key"
            ),
        ),
        migrations.AddField(
            model_name="organ",
            name="key",
            field=models.CharField(
                blank=True, default="", help_text=HELP_KEY, max_length=40, verbose_name="key"
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="historicalorgan",
            name="acronym",
            field=models.CharField(help_text=HELP_ACRONYM, max_length=30, verbose_name="acronym"),
        ),
        migrations.AlterField(
            model_name="organ",
            name="acronym",
            field=models.CharField(help_text=HELP_ACRONYM, max_length=30, verbose_name="acronym"),
        ),
        migrations.RunPython(keys_from_acronyms, acronyms_from_keys),
    ]
