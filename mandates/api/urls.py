"""/api/v1/: the read-only API, its OpenAPI 3 schema and its documentation pages."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views

# Path converters rather than regular expressions (readable routes, like the pages'), and no
# ".json" suffix routes: the format is chosen with the Accept header or `?format=`.
router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False
router.register("organs", views.OrganViewSet, basename="api-organ")
router.register("resolutions", views.ResolutionViewSet, basename="api-resolution")
router.register("mandates", views.MandateViewSet, basename="api-mandate")
router.register("deadlines", views.DeadlineViewSet, basename="api-deadline")
router.register("progress-records", views.ProgressRecordViewSet, basename="api-progress-record")
router.register("meetings", views.MeetingViewSet, basename="api-meeting")

mandate_detail = views.MandateDetailViewSet.as_view({"get": "retrieve"})

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # A mandate is its resolution's slug and its paragraph label ("20.c").
    path("mandates/<slug:slug>/<str:label>/", mandate_detail, name="api-mandate-detail"),
    *router.urls,
]
