"""Helpers shared by the trust tests (roles, history, concurrency, documents, reminders)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Model

from mandates.models import FocalPoint, Mandate, Organ, Resolution
from mandates.permissions import EDITORS, FOCAL_POINTS, VIEWERS

BACKEND = "django.contrib.auth.backends.ModelBackend"
SLUG_2289 = "ag-res-2289-xxxvii-o-07"
PASSWORD = "A-long-enough-passphrase-42"

__all__ = ["EDITORS", "FOCAL_POINTS", "VIEWERS"]


def make_user(username, group=None, organs=(), email=None, **extra):
    user = get_user_model().objects.create_user(
        username=username,
        email=email if email is not None else f"{username}@example.org",
        password=PASSWORD,
        is_staff=True,
        **extra,
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    if organs:
        focal_point = FocalPoint.objects.create(user=user)
        focal_point.organs.set(Organ.objects.filter(acronym__in=organs))
    return user


def logged_in(client, user):
    client.force_login(user, backend=BACKEND)
    return client


def mandate(label, slug=SLUG_2289) -> Mandate:
    return Mandate.objects.get(resolution__slug=slug, label=label)


def resolution(slug=SLUG_2289) -> Resolution:
    return Resolution.objects.get(slug=slug)


def admin_url(model: type[Model] | Model, view="changelist", *args) -> str:
    from django.urls import reverse

    meta = model._meta
    if isinstance(model, Model) and not args and view in {"change", "delete", "history"}:
        args = (model.pk,)
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def _as_post_value(value):
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Model):
        return str(value.pk)
    return str(value)


def form_post_data(response) -> dict:
    """What a browser would post back from an admin change/add page, unchanged."""
    context = response.context
    data: dict = {}

    def add(form):
        for name, field in form.fields.items():
            if field.disabled or field.widget.__class__.__name__ in {
                "ClearableFileInput",
                "FileInput",
            }:
                continue
            bound = form[name]
            value = bound.value()
            if value is None:
                continue
            if isinstance(value, (list, tuple)):
                data[bound.html_name] = [_as_post_value(v) for v in value]
                continue
            value = _as_post_value(value)
            if value is not None:
                data[bound.html_name] = value

    add(context["adminform"].form)
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


def error_text(response) -> str:
    """All form and formset errors of an admin page, as one string."""
    context = response.context
    parts = [str(context["adminform"].form.errors)]
    for inline in context.get("inline_admin_formsets", []):
        parts.append(str(inline.formset.errors))
        parts.append(str(inline.formset.non_form_errors()))
    return " ".join(parts)
