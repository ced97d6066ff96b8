"""``LOG_FORMAT=json``: one JSON object per line, with the request fields when there are some."""

from __future__ import annotations

import datetime
import json
import logging
import time

REQUEST_FIELDS = (
    "request_id",
    "method",
    "path",
    "status",
    "duration_ms",
    "user",
    "queries",
    "slow",
)


class TextFormatter(logging.Formatter):
    """Plain lines with UTC times (Django sets the process time zone to TIME_ZONE)."""

    converter = time.gmtime
    default_msec_format = "%s.%03dZ"

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in REQUEST_FIELDS:
            if hasattr(record, name):
                data[name] = getattr(record, name)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)
