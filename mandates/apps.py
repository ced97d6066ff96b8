from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def fill_derived_data(sender, using, verbosity=1, **kwargs):
    """After `migrate`: compute the stored status of any paragraph that has none (a database
    upgraded from before the status timeline existed, or data loaded by raw SQL)."""
    from . import status
    from .models import DataVersion, Mandate, Organ, ParagraphOrgan, Responsibility

    if Organ.objects.using(using).filter(path="").exists():
        Organ.objects.using(using).rebuild_paths()
    if not Mandate.objects.using(using).exists():
        DataVersion.objects.using(using).get_or_create(pk=1)
        return
    if Mandate.objects.using(using).filter(status_periods__isnull=True).exists():
        count = status.rebuild_all()
        if verbosity:
            print(f"  Computed the stored status of {count} paragraphs.")
    elif (
        not ParagraphOrgan.objects.using(using).exists()
        and Responsibility.objects.using(using).exclude(role=Responsibility.Role.RECIPIENT).exists()
    ):
        status.rebuild_paragraph_organs()  # a database from before ParagraphOrgan existed
    DataVersion.objects.using(using).get_or_create(pk=1)


class MandatesConfig(AppConfig):
    name = "mandates"
    verbose_name = _("Mandates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import error_pages, signals  # noqa: F401  (signals: status, data-version receivers)

        error_pages.install()

        post_migrate.connect(fill_derived_data, sender=self)
