"""The three staff groups: Secretariat editors, Organ focal points, Viewers.

Permissions are normally created after migrations (post_migrate); they are created here first
so that the groups can be given them on a fresh database. Running this again (or after
permissions exist) only adds what is missing.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Secretariat editors"
FOCAL_POINTS = "Organ focal points"
VIEWERS = "Viewers"

# Kept here (not imported from mandates.permissions) so that the migration stays as written.
FOCAL_POINT_VIEW_MODELS = [
    "organ",
    "session",
    "resolution",
    "mandate",
    "responsibility",
    "deadline",
    "progressrecord",
    "document",
    "meeting",
]
FOCAL_POINT_WRITE_MODELS = ["progressrecord", "document"]


def create_groups(apps, schema_editor):
    db = schema_editor.connection.alias
    app_config = apps.get_app_config("mandates")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=db)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    app_perms = Permission.objects.using(db).filter(content_type__app_label="mandates")

    editors, _ = Group.objects.using(db).get_or_create(name=EDITORS)
    editors.permissions.add(*app_perms)

    viewers, _ = Group.objects.using(db).get_or_create(name=VIEWERS)
    viewers.permissions.add(*app_perms.filter(codename__startswith="view_"))

    focal, _ = Group.objects.using(db).get_or_create(name=FOCAL_POINTS)
    codenames = [f"view_{model}" for model in FOCAL_POINT_VIEW_MODELS] + [
        f"{action}_{model}"
        for model in FOCAL_POINT_WRITE_MODELS
        for action in ("add", "change", "delete")
    ]
    focal.permissions.add(*app_perms.filter(codename__in=codenames))


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(
        name__in=[EDITORS, FOCAL_POINTS, VIEWERS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("mandates", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
