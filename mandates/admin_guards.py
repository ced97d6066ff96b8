"""Admin list pages that never answer 500 to a hand-made URL."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

# Largest value of each date-hierarchy part that is a real date component.
DATE_PARTS = {"year": 9999, "month": 12, "day": 31}


class DateHierarchyGuardMixin:
    """``?adopted_on__year=99999999999999999999`` overflows Python's datetime inside Django's
    changelist (a 500). Out-of-range or non-numeric date-hierarchy parameters are dropped
    instead, with a message saying so."""

    def changelist_view(self, request, extra_context=None):
        field = getattr(self, "date_hierarchy", None)
        if field:
            bad = []
            for part, highest in DATE_PARTS.items():
                value = request.GET.get(f"{field}__{part}")
                if value is not None and not (
                    value.isascii() and value.isdigit() and 1 <= int(value) <= highest
                ):
                    bad.append(f"{field}__{part}")
            if bad:
                query = request.GET.copy()
                for name in bad:
                    query.pop(name, None)
                messages.error(
                    request,
                    _("“%(value)s” is not a date in the calendar: showing all dates.")
                    % {"value": request.GET.get(bad[0])[:40]},
                )
                suffix = f"?{query.urlencode()}" if query else ""
                return HttpResponseRedirect(request.path + suffix)
        return super().changelist_view(request, extra_context)
