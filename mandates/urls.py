from django.urls import path

from . import about, calendars, exports, feeds, follow, views, views_series
from . import meetings as meeting_views
from . import pdf as pdf_views
from .documents import document_download

# Public pages. Feature modules (PDF, feeds, meetings) add their routes below theirs.
urlpatterns = [
    path("", views.home, name="home"),
    path("about/status/", about.status_explained, name="about_status"),
    path("resolutions/", views.resolution_list, name="resolution_list"),
    path("resolutions/<slug:slug>/", views.resolution_detail, name="resolution_detail"),
    path(
        "resolutions/<slug:slug>/compare/<slug:other_slug>/",
        views_series.resolution_compare,
        name="resolution_compare",
    ),
    path("mandates/", views.mandate_list, name="mandate_list"),
    path("over-time/", views.status_over_time, name="status_over_time"),
    path("changes/", views.changes, name="changes"),
    path("organs/", views.organ_list, name="organ_list"),
    # Open data (mandates/exports.py); organ exports before the organ page's <path:key>.
    *[
        route
        for kind in ("csv", "json")
        for route in (
            path(
                f"mandates/export.{kind}",
                exports.mandate_list_export,
                {"kind": kind},
                name=f"mandate_list_export_{kind}",
            ),
            path(
                f"resolutions/<slug:slug>/export.{kind}",
                exports.resolution_export,
                {"kind": kind},
                name=f"resolution_export_{kind}",
            ),
            path(
                f"organs/<path:key>/export.{kind}",
                exports.organ_export,
                {"kind": kind},
                name=f"organ_export_{kind}",
            ),
        )
    ],
    path(
        "organs/<path:key>/summary.pdf",
        pdf_views.organ_summary_pdf,
        name="organ_summary_pdf",
    ),
    path("organs/<path:key>/", views.organ_detail, name="organ_detail"),
    # PDF compliance summaries and committee meetings (mandates/pdf.py, mandates/meetings.py).
    path(
        "resolutions/<slug:slug>/summary.pdf",
        pdf_views.resolution_summary_pdf,
        name="resolution_summary_pdf",
    ),
    path("mandates/summary.pdf", pdf_views.mandate_list_pdf, name="mandate_list_pdf"),
    path("meetings/", meeting_views.meeting_list, name="meeting_list"),
    path("meetings/<slug:slug>/", meeting_views.meeting_detail, name="meeting_detail"),
    path(
        "meetings/<slug:slug>/summary.pdf",
        pdf_views.meeting_summary_pdf,
        name="meeting_summary_pdf",
    ),
    # Documents, Atom and iCalendar feeds (mandates/documents.py, feeds.py, calendars.py).
    path("documents/<int:pk>/", document_download, name="document_download"),
    path("feeds/progress.atom", feeds.ProgressFeed(), name="feed_progress"),
    path(
        "feeds/resolutions/<slug:slug>/progress.atom",
        feeds.ResolutionProgressFeed(),
        name="feed_resolution_progress",
    ),
    path(
        "feeds/organs/<path:key>/progress.atom",
        feeds.OrganProgressFeed(),
        name="feed_organ_progress",
    ),
    path("feeds/deadlines.ics", calendars.ical_deadlines, name="ical_deadlines"),
    path(
        "feeds/resolutions/<slug:slug>/deadlines.ics",
        calendars.ical_resolution_deadlines,
        name="ical_resolution_deadlines",
    ),
    path(
        "feeds/organs/<path:key>/deadlines.ics",
        calendars.ical_organ_deadlines,
        name="ical_organ_deadlines",
    ),
    # Following: feeds explained, e-mail subscriptions (mandates/follow.py).
    path("follow/", follow.follow, name="follow"),
    path("follow/resolutions/<slug:slug>/", follow.follow_resolution, name="follow_resolution"),
    path("follow/organs/<path:key>/", follow.follow_organ, name="follow_organ"),
    path("follow/confirm/<str:token>/", follow.confirm, name="follow_confirm"),
    path("follow/stop/<str:token>/", follow.unsubscribe, name="follow_unsubscribe"),
    path("feeds/atom.xsl", feeds.atom_stylesheet, name="feed_stylesheet"),
    # Last: a paragraph label ("20.c"). <path:> so that any stored label, even one with a
    # slash from before labels were validated, still has a working address.
    path("resolutions/<slug:slug>/<path:label>/", views.mandate_detail, name="mandate_detail"),
]
