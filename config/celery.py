import os

from celery import Celery, bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("tdkt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

HEARTBEAT_KEY = "tdkt:worker-heartbeat:"


class Heartbeat(bootsteps.StartStopStep):
    """Writes the worker's name and clock to Redis every few seconds: the health page reads it, and a
    stopped (or killed) worker shows as stale there once the heartbeats stop."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.tref = None

    def start(self, worker):
        from django.conf import settings

        if not settings.REDIS_URL:
            return
        self.beat(worker)
        self.tref = worker.timer.call_repeatedly(settings.WORKER_HEARTBEAT_SECONDS, self.beat, (worker,), priority=10)

    def stop(self, worker):
        if self.tref is not None:
            self.tref.cancel()

    def beat(self, worker):
        import time

        import redis
        from django.conf import settings

        try:
            client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2)
            client.set(HEARTBEAT_KEY + worker.hostname, f"{time.time():.3f}", ex=7 * 24 * 3600)
        except redis.RedisError:
            pass  # the broker is down: the worker will notice, and the health page shows it


app.steps["worker"].add(Heartbeat)
