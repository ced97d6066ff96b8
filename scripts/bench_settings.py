"""Settings for `make bench`: the production settings, plus a hello-world view.

The hello-world view goes through the same gunicorn, settings and middleware as the pages, so
a page's requests/s divided by hello-world's says how much the page itself costs.
"""

from tracker.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
