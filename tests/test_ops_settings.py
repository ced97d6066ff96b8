"""Operations settings from the environment: connections, replica, Redis."""

import json

from tests.test_settings import manage

SHOW = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'default': s.DATABASES['default'], 'replica': s.DATABASES.get('replica'), "
    "'cache': s.CACHES['default']['BACKEND'], 'session': s.SESSION_ENGINE}, default=str))"
)


def show(**env):
    result = manage("shell", "-c", SHOW, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_postgres_connections_are_health_checked_with_a_short_connect_timeout():
    config = show(DATABASE_URL="postgres://u:p@db.internal:5432/mandates")
    default = config["default"]
    assert default["CONN_MAX_AGE"] == 60
    assert default["CONN_HEALTH_CHECKS"] is True
    assert default["OPTIONS"]["connect_timeout"] == 5
    assert config["replica"] is None
    assert config["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert config["session"] == "django.contrib.sessions.backends.db"


def test_a_replica_and_redis_come_from_the_environment():
    config = show(
        DATABASE_URL="postgres://u:p@primary:5432/mandates",
        DATABASE_REPLICA_URL="postgres://u:p@replica:5433/mandates",
        REDIS_URL="redis://127.0.0.1:6379/3",
        CONN_MAX_AGE="30",
    )
    replica = config["replica"]
    assert (replica["HOST"], replica["PORT"], replica["NAME"]) == ("replica", 5433, "mandates")
    assert replica["TEST"]["MIRROR"] == "default"
    assert replica["CONN_MAX_AGE"] == 30 and replica["CONN_HEALTH_CHECKS"] is True
    assert config["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert config["session"] == "django.contrib.sessions.backends.cached_db"


COLLECTOR = """
import gc, weakref
import tracker.wsgi
from django.core.signals import request_finished

class Row:
    pass

row = Row()
row.self = row  # a cycle: only the collector frees it
freed = weakref.ref(row)
del row
during = freed() is not None
request_finished.send(sender=None)  # the server has sent the response and closes it
print(gc.get_threshold()[0], gc.get_freeze_count() > 0, during, freed() is None)
"""


def test_a_web_worker_collects_a_requests_garbage_after_its_response():
    """tracker/wsgi.py: no collection scans a page's live rows while it renders; its cyclic
    garbage is freed once the response is sent."""
    result = manage("shell", "-c", COLLECTOR, DATABASE_URL="sqlite:///:memory:")
    assert result.returncode == 0, result.stderr
    threshold, frozen, kept_during, freed_after = result.stdout.strip().splitlines()[-1].split()
    assert int(threshold) > 700  # above Python's: no collection while a page renders
    assert (frozen, kept_during, freed_after) == ("True", "True", "True")
