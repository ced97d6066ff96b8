"""Who may change what: the three groups and the organ scope of focal points.

The groups are created by migration 0002_groups:

- **Secretariat editors**: every permission of this app (but no user management: a user
  who can edit users can make himself superuser, so that stays with superusers);
- **Organ focal points**: view everything public, add/change/delete progress records and
  documents, but only for mandates where one of *their* organs (``FocalPoint.organs``), or an
  organ under it, is responsible (the same rule as the public organ page,
  ``Mandate.objects.responsible``);
- **Viewers**: view permissions only.

A user is *scoped* (restricted to his organs' mandates) when he may write progress records or
documents but may not change mandates and is not a superuser. Scoping is deny-by-default: a
scoped user without a ``FocalPoint`` row can change nothing.
"""

from __future__ import annotations

from django.db.models import Q

from .models import FocalPoint, Mandate

EDITORS = "Secretariat editors"
FOCAL_POINTS = "Organ focal points"
VIEWERS = "Viewers"

# Models a focal point may read; everything on the public site, plus the admin's inlines.
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
# Models a focal point may write, within his organs' mandates.
FOCAL_POINT_WRITE_MODELS = ["progressrecord", "document"]

SCOPED_WRITE_PERMS = [
    f"mandates.{action}_{model}"
    for model in FOCAL_POINT_WRITE_MODELS
    for action in ("add", "change", "delete")
]

_CACHE_ATTR = "_mandate_scope_organ_ids"


def scope_organ_ids(user) -> frozenset[int] | None:
    """None when the user is not restricted by organ; else the organs he acts for (maybe none).

    Cached on the user object, which lives as long as the request.
    """
    if hasattr(user, _CACHE_ATTR):
        return getattr(user, _CACHE_ATTR)
    scope: frozenset[int] | None = None
    if user.is_active and not user.is_superuser and not user.has_perm("mandates.change_mandate"):
        focal_point = FocalPoint.objects.filter(user_id=user.pk).first() if user.pk else None
        if focal_point is not None or any(user.has_perm(p) for p in SCOPED_WRITE_PERMS):
            scope = frozenset(
                focal_point.organs.values_list("pk", flat=True) if focal_point else ()
            )
    setattr(user, _CACHE_ATTR, scope)
    return scope


def is_scoped(user) -> bool:
    return scope_organ_ids(user) is not None


def mandates_for_organs(organ_ids) -> Q:
    """Mandates addressed to one of these organs or to an organ (two levels) under one."""
    organ_ids = list(organ_ids)
    return (
        Q(organs__in=organ_ids)
        | Q(organs__parent__in=organ_ids)
        | Q(organs__parent__parent__in=organ_ids)
    )


def scoped_mandate_ids(user):
    """A subquery of the primary keys of the mandates this user may record progress for, or
    None when the user is not restricted by organ."""
    organ_ids = scope_organ_ids(user)
    if organ_ids is None:
        return None
    if not organ_ids:
        return Mandate.objects.none().values("pk")
    return Mandate.objects.filter(mandates_for_organs(organ_ids)).values("pk")


def may_act_on_mandate(user, mandate_id) -> bool:
    """Whether the organ scope (not the model permission) lets this user act on a mandate."""
    ids = scoped_mandate_ids(user)
    if ids is None:
        return True
    if mandate_id is None:
        return False
    return Mandate.objects.filter(pk=mandate_id, pk__in=ids).exists()
