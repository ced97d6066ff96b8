"""Every write that changes the facts of a status recomputes it, in the same transaction.

Model signals cover saves and deletes from the admin, the importer, the loader and fixtures
(`loaddata` too); querysets' `update()` and `bulk_create()` report their own writes
(`mandates/models/`). Raw SQL is the one path that escapes: `manage.py check_status` finds
any drift and `--repair` mends it.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from . import status
from .models import (
    Deadline,
    Document,
    Mandate,
    Meeting,
    Organ,
    ProgressRecord,
    Resolution,
    Responsibility,
    Session,
)


def _changed(*ids):
    status.mark_changed(ids)


@receiver(post_save, sender=ProgressRecord)
@receiver(post_save, sender=Deadline)
@receiver(post_save, sender=Responsibility)  # which organs have which paragraphs
def fact_saved(sender, instance, **kwargs):
    _changed(instance.mandate_id, instance.loaded("mandate_id"))


@receiver(post_delete, sender=ProgressRecord)
@receiver(post_delete, sender=Deadline)
@receiver(post_delete, sender=Responsibility)
def fact_deleted(sender, instance, **kwargs):
    _changed(instance.mandate_id)


@receiver(m2m_changed, sender=ProgressRecord.fulfils.through)
def fulfilment_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "pre_clear", "post_clear"}:
        return
    if action == "pre_clear":
        # What is about to be cleared is gone by post_clear: note it now.
        if reverse:
            ids = instance.fulfilled_by.values_list("mandate_id", flat=True)
        else:
            ids = instance.fulfils.values_list("mandate_id", flat=True)
        instance._cleared_mandates = set(ids)
        return
    ids = {instance.mandate_id}
    if action == "post_clear":
        ids |= getattr(instance, "_cleared_mandates", set())
    elif pk_set:
        other = ProgressRecord if reverse else Deadline
        ids |= set(other.objects.filter(pk__in=pk_set).values_list("mandate_id", flat=True))
    status.mark_changed(ids)


@receiver(pre_save, sender=Mandate)
def mandate_reading_keys(sender, instance, **kwargs):
    """The paragraph's copy of its resolution's date and symbol (reading order), on every
    save, fixtures' raw saves included."""
    # Read from the database, not from `instance.resolution`: an object loaded earlier may
    # hold a date or symbol changed since.
    keys = (
        Resolution.objects.filter(pk=instance.resolution_id)
        .values_list("adopted_on", "symbol")
        .first()
    )
    if keys is not None:
        instance.resolution_adopted_on, instance.resolution_symbol = keys


@receiver(post_save, sender=Mandate)
def mandate_saved(sender, instance, created, **kwargs):
    moved = instance.resolution_id != instance.loaded("resolution_id")
    if created or moved or instance.parent_id != instance.loaded("parent_id"):
        # A new paragraph, or one moved: its old tree and its new tree both change.
        _changed(instance.pk, instance.parent_id, instance.loaded("parent_id"))
    elif instance.kind != instance.loaded("kind") or (
        instance.track_status != instance.loaded("track_status")
    ):
        # Tracked or not: its own status and its parent's roll-up change.
        _changed(instance.pk)
    else:
        status.mark_touched()


@receiver(post_delete, sender=Mandate)
def mandate_deleted(sender, instance, **kwargs):
    _changed(instance.parent_id)


@receiver(post_save, sender=Session)
def session_saved(sender, instance, created, **kwargs):
    if created or instance.start_date == instance.loaded("start_date"):
        status.mark_touched()
        return
    with status.deferred():
        Deadline.objects.filter(session=instance).update(due=instance.start_date)
        anchored = Deadline.objects.filter(session=instance).values_list("mandate_id", flat=True)
        status.mark_changed(set(anchored))


@receiver(post_save, sender=Organ)
@receiver(post_save, sender=Resolution)
@receiver(post_save, sender=Document)
@receiver(post_save, sender=Meeting)
@receiver(post_delete, sender=Organ)
@receiver(post_delete, sender=Session)
@receiver(post_delete, sender=Resolution)
@receiver(post_delete, sender=Document)
@receiver(post_delete, sender=Meeting)
@receiver(m2m_changed, sender=Meeting.resolutions.through)
def public_data_changed(sender, **kwargs):
    status.mark_touched()
