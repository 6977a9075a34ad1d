#!/usr/bin/env bash
# Serve a seed_scale database as production does, for bench/locustfile.py: DEBUG off, static files from
# collectstatic's manifest, gunicorn with config/gunicorn.conf.py, the cache on Redis. No worker, no beat
# (the load profile only reads). Stop it with Ctrl-C.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/tdkt_scale REDIS_URL=redis://127.0.0.1:6379/8 bench/serve_scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to a seed_scale database}"
export DEBUG=0 SECRET_KEY=${SECRET_KEY:-bench-only-not-secret} SECURE_COOKIES=0 ALLOWED_HOSTS=127.0.0.1,localhost
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/8}
.venv/bin/python manage.py collectstatic --noinput --ignore viewflow -v 0
exec .venv/bin/gunicorn -c config/gunicorn.conf.py --access-logfile /dev/null config.wsgi:application
