"""Open data: every list of mandates as CSV or JSON, with the same parameters as its page.

/mandates/export.csv|json take all the parameters of /mandates/; /resolutions/<slug>/… and
/organs/<key>/… the same, with the resolution or organ fixed. Rows are streamed: the
database is read through a server-side cursor in chunks of CHUNK_SIZE, each chunk costing the
same fixed number of queries (the rows, then organs, deadlines and progress records of the
chunk), so an export of any size never holds the whole table in memory.

The JSON rows are the API's mandates (mandates/api/serializers.py); the CSV columns are
documented in README.md ("Open data").
"""

from __future__ import annotations

import csv
import datetime
import json

from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from rest_framework.utils.encoders import JSONEncoder

from .api.serializers import MandateSerializer
from .api.views import mandate_prefetches
from .models import Organ, Resolution
from .views import BadRequest, filtered_mandates

CHUNK_SIZE = 500

CSV_COLUMNS = [
    "resolution",
    "resolution_slug",
    "label",
    "parent",
    "text",
    "lead_organs",
    "supporting_organs",
    "reports_to",
    "as_of",
    "kind",
    "status",
    "met_late",
    "next_due_on",
    "next_due_wording",
    "missed_due_on",
    "missed_due_wording",
    "deadlines",
    "latest_progress_date",
    "latest_progress_title",
    "url",
]


def export_rows(request, fixed: dict[str, str] | None = None):
    """(mandates, as_of) for the request's filters, `fixed` overriding some parameters."""
    params = request.GET.copy()
    params.pop("page", None)  # an export has all the rows
    for name, value in (fixed or {}).items():
        params[name] = value
    request.GET = params
    filterset = filtered_mandates(request)
    as_of = filterset.as_of_date
    return mandate_prefetches(filterset.qs, as_of).iterator(chunk_size=CHUNK_SIZE), as_of


def filename(stem: str, as_of: datetime.date, extension: str) -> str:
    return f"{slugify(stem) or 'mandates'}-as-of-{as_of.isoformat()}.{extension}"


class Echo:
    """A file-like object whose write() returns the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def csv_row(mandate, as_of: datetime.date, request) -> list[str]:
    responsibilities = mandate.responsibilities.all()
    deadlines = mandate.deadlines.all()
    records = mandate.progress_records.all()  # as of D, newest first
    latest = records[0] if records else None

    def organs(role):
        return "; ".join(r.organ.key for r in responsibilities if r.role == role)

    def day(value):
        return value.isoformat() if value else ""

    return [
        mandate.resolution.symbol,
        mandate.resolution.slug,
        mandate.label,
        mandate.parent.label if mandate.parent_id else "",
        mandate.text,
        organs("lead"),
        organs("supporting"),
        organs("recipient"),
        as_of.isoformat(),
        mandate.kind,
        mandate.status or "",
        "yes" if mandate.met_late else "no",
        day(mandate.next_due_on),
        mandate.next_due_wording or "",
        day(mandate.missed_due_on),
        mandate.missed_due_wording or "",
        " | ".join(f"{day(d.due) or _('no date yet')}: {d.wording} ({d.state})" for d in deadlines),
        day(latest.date) if latest else "",
        latest.title if latest else "",
        request.build_absolute_uri(f"{mandate.get_absolute_url()}?as_of={as_of.isoformat()}"),
    ]


def bad_request(messages: list[str], kind: str):
    if kind == "json":
        return JsonResponse(
            {"errors": messages}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    text = "\n".join(messages) + "\n"
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")


def export(request, kind: str, stem: str, fixed: dict[str, str] | None = None):
    try:
        rows, as_of = export_rows(request, fixed)
    except BadRequest as exc:
        return bad_request(exc.messages, kind)
    if kind == "csv":
        response = StreamingHttpResponse(stream_csv(rows, as_of, request), content_type="text/csv")
        response["Content-Type"] = "text/csv; charset=utf-8"
    else:
        response = StreamingHttpResponse(
            stream_json(rows, as_of, request), content_type="application/json"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename(stem, as_of, kind)}"'
    return response


def stream_csv(rows, as_of, request):
    writer = csv.writer(Echo())
    yield writer.writerow(CSV_COLUMNS)
    for mandate in rows:
        yield writer.writerow(csv_row(mandate, as_of, request))


def stream_json(rows, as_of, request):
    """{"as_of": …, "generated_at": …, "parameters": {…}, "mandates": [ … ]}, row by row."""
    head = {
        "as_of": as_of.isoformat(),
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "parameters": {k: v for k, v in request.GET.items() if v},
    }
    context = {"request": request, "as_of": as_of}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "mandates": ['
    for i, mandate in enumerate(rows):
        data = MandateSerializer(mandate, context=context).data
        yield ("," if i else "") + "\n" + json.dumps(data, cls=JSONEncoder, ensure_ascii=False)
    yield "\n]}\n"


# --- Views -----------------------------------------------------------------------------------


def mandate_list_export(request, kind):
    return export(request, kind, "mandates")


def resolution_export(request, slug, kind):
    resolution = get_object_or_404(Resolution, slug=slug)
    return export(request, kind, resolution.slug, {"resolution": resolution.slug})


def organ_export(request, key, kind):
    organ = Organ.objects.filter(key=key).first()
    if organ is None:
        raise Http404(_("There is no organ with the acronym “%(acronym)s”.") % {"acronym": key})
    return export(request, kind, organ.key, {"organ": organ.key})
