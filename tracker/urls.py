from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from mandates import health

admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Secretariat"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("mandates.api.urls")),
    path("", include("mandates.urls")),
]

# A database outage met outside a view is a 503 page too (mandates/outage.py).
handler500 = "mandates.outage.server_error"

# JSON errors under /api/, the usual pages elsewhere (mandates/api/errors.py).
handler400 = "mandates.api.errors.bad_request"
handler404 = "mandates.api.errors.page_not_found"
