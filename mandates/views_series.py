"""Series pages: a paragraph-aligned comparison of two resolutions (mandates/series.py)."""

from django.shortcuts import get_object_or_404, render

from . import series
from .models import Resolution


def resolution_compare(request, slug, other_slug):
    """/resolutions/<slug>/compare/<other-slug>/: the first text is the older one shown as
    "before", whatever the order of the slugs in the address."""
    first = get_object_or_404(Resolution, slug=slug)
    second = get_object_or_404(Resolution, slug=other_slug)
    old, new = sorted([first, second], key=lambda r: (r.adopted_on, r.symbol))
    comparison = series.compare(old, new)
    return render(
        request,
        "mandates/resolution_compare.html",
        {"comparison": comparison, "old": old, "new": new, "counts": comparison.counts()},
    )
