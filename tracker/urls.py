from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from mandates import health, language

# The site's name in the reader's language ("Seguimiento de Mandatos").
admin.site.site_header = _(settings.SITE_NAME)
admin.site.site_title = _(settings.SITE_NAME)
admin.site.index_title = _("Secretariat")

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("mandates.api.urls")),
    path("i18n/switch/", language.switch_language, name="switch_language"),
]
# The public pages: English at today's addresses, /es/, /fr/, /pt/ before the same paths
# (mandates/language.py decides the language and sends first visits to theirs).
urlpatterns += i18n_patterns(path("", include("mandates.urls")), prefix_default_language=False)

# A database outage met outside a view is a 503 page too (mandates/outage.py).
handler500 = "mandates.outage.server_error"

# JSON errors under /api/, the usual pages elsewhere (mandates/api/errors.py).
handler400 = "mandates.api.errors.bad_request"
handler404 = "mandates.api.errors.page_not_found"
