"""URLs for `make bench`: the site's own, plus /_bench/hello/ (see bench_settings.py)."""

from django.http import HttpResponse
from django.urls import path

from tracker import urls as site_urls


def hello(request):
    return HttpResponse("Hello, world!", content_type="text/plain")


urlpatterns = [path("_bench/hello/", hello), *site_urls.urlpatterns]

for _name in ("handler400", "handler403", "handler404", "handler500"):
    if hasattr(site_urls, _name):
        globals()[_name] = getattr(site_urls, _name)
