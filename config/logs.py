"""Log records tagged with the request they belong to, and a JSON-lines formatter for production.

Lives in config/ (not awards/) because logging is configured before the apps load: nothing here may
import a model. awards.middleware.RequestIdMiddleware sets the request id for the length of a request.
"""

import datetime as dt
import json
import logging
from contextvars import ContextVar

# "-" outside a request (management commands, Celery tasks, start-up).
request_id: ContextVar[str] = ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record that passes the handler it is attached to."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line (LOG_FORMAT=json), so a log collector needs no parsing rules."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
