"""The lock-out tables (django-axes) are security internals: superusers only. Staff who
record progress neither see them on the admin index nor open them by URL."""

from __future__ import annotations

import axes.admin  # noqa: F401  (registers the axes tables first, whatever the app order)
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin


class SuperuserOnlyMixin:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


def restrict_to_superusers(site: admin.AdminSite = admin.site) -> None:
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model_admin = site._registry.get(model)
        if model_admin is None or isinstance(model_admin, SuperuserOnlyMixin):
            continue
        restricted = type(
            f"SuperuserOnly{type(model_admin).__name__}",
            (SuperuserOnlyMixin, type(model_admin)),
            {},
        )
        site.unregister(model)
        site.register(model, restricted)


restrict_to_superusers()
