"""The OAS and the United Nations as organizations; every existing row belongs to the OAS.

The UN directory starts with its principal organs and the Secretary-General, and with the
General Assembly's regular sessions whose official opening dates we are sure of (the 80th opened
on 9 September 2025; the 81st opens on 8 September 2026). Earlier or later ones are added in the
admin; a deadline anchored to a session without a date stays pending, never overdue. Data is written out here, not imported from the app, so that the migration stays as
written.
"""

import datetime

from django.db import migrations

OAS = {
    "code": "oas",
    "acronym": "OAS",
    "name": "Organization of American States",
    "names": "\n".join(
        [
            "Organization of American States",
            "Organización de los Estados Americanos",
            "Organisation des États Américains",
            "Organização dos Estados Americanos",
            "OAS",
            "OEA",
        ]
    ),
    "symbol_patterns": "\n".join(
        [
            r"\b(?:AG|CP|CIDI|CJI)\s*/\s*(?:RES|DEC)\s*\.",
            r"\bOEA\s*/\s*Ser\s*\.",
            r"\bOAS\s*/\s*Ser\s*\.",
        ]
    ),
}
UN = {
    "code": "un",
    "acronym": "UN",
    "name": "United Nations",
    "names": "\n".join(["United Nations", "Naciones Unidas", "Nations Unies", "Nações Unidas"]),
    "symbol_patterns": "\n".join(
        [
            r"\b(?:A|S|E)\s*/\s*RES\s*/\s*\d+",
            r"\bA\s*/\s*HRC\s*/\s*RES\s*/",
            r"^\s*\d{1,3}/\d{1,4}\.\s+\S",
        ]
    ),
}
UN_ORGANS = [
    (
        "UNGA",
        "General Assembly of the United Nations",
        "organ",
        None,
        [
            "General Assembly",
            "United Nations General Assembly",
            "Asamblea General",
            "Assemblée générale",
            "Assembleia Geral",
        ],
    ),
    (
        "SC",
        "Security Council",
        "organ",
        None,
        ["Consejo de Seguridad", "Conseil de sécurité", "Conselho de Segurança"],
    ),
    (
        "ECOSOC",
        "Economic and Social Council",
        "organ",
        None,
        ["Consejo Económico y Social", "Conseil économique et social"],
    ),
    (
        "HRC",
        "Human Rights Council",
        "organ",
        "UNGA",
        ["Consejo de Derechos Humanos", "Conseil des droits de l'homme"],
    ),
    (
        "ICJ",
        "International Court of Justice",
        "organ",
        None,
        ["Corte Internacional de Justicia", "Cour internationale de Justice"],
    ),
    (
        "SG",
        "Secretary-General of the United Nations",
        "organ",
        None,
        [
            "Secretary-General",
            "Secretary General",
            "Secretariat",
            "United Nations Secretariat",
            "Secretariat of the United Nations",
            "Secretario General",
            "Secretaría",
            "Secrétaire général",
            "Secrétariat",
            "Secretário-Geral",
        ],
    ),
    (
        "UNMS",
        "Member States of the United Nations",
        "collective",
        None,
        ["Member States", "all Member States", "States Members of the United Nations"],
    ),
]
UN_SESSIONS = [
    (80, "New York", datetime.date(2025, 9, 9)),
    (81, "New York", datetime.date(2026, 9, 8)),
    # Later sessions exist for deadlines ("at its eighty-third session") but have no official
    # opening date yet: such deadlines stay pending until the date is entered.
    (82, "New York", None),
    (83, "New York", None),
    (84, "New York", None),
    (85, "New York", None),
]


def forwards(apps, schema_editor):
    Organization = apps.get_model("mandates", "Organization")
    Organ = apps.get_model("mandates", "Organ")
    Session = apps.get_model("mandates", "Session")
    Resolution = apps.get_model("mandates", "Resolution")
    oas, _created = Organization.objects.get_or_create(code="oas", defaults=OAS)
    un, _created = Organization.objects.get_or_create(code="un", defaults=UN)
    for model in (Organ, Session, Resolution):
        model.objects.filter(organization__isnull=True).update(organization=oas)
    for acronym, name, kind, parent, aliases in UN_ORGANS:
        if Organ.objects.filter(acronym=acronym).exists():
            continue
        Organ.objects.create(
            acronym=acronym,
            name=name,
            kind=kind,
            organization=un,
            parent=Organ.objects.filter(acronym=parent).first() if parent else None,
            aliases="\n".join(aliases),
        )
    for ordinal, place, start in UN_SESSIONS:
        Session.objects.get_or_create(
            organization=un,
            ordinal=ordinal,
            kind="regular",
            defaults={"place": place, "start_date": start},
        )


class Migration(migrations.Migration):
    dependencies = [("mandates", "0006_organizations")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
