#!/usr/bin/env bash
# Deadline day (issue 14, benchmark (b); docs/scale.md): bench/deadline.py against gunicorn alone or behind nginx
# with request buffering (bench/nginx-deadline.conf). Serves the seed_scale database as bench/serve_scale.sh
# does (DEBUG off, collectstatic, config/gunicorn.conf.py, the cache on Redis) on 127.0.0.1:8087; in `nginx`
# mode nginx (Debian's package: apt-get install --no-install-recommends nginx) listens on 127.0.0.1:8088 and
# gunicorn trusts it (TRUSTED_PROXIES=127.0.0.1). Uploaded scans go to a scratch MEDIA_ROOT removed at the end
# (their attachment rows stay in the database, on the demo's three draft reports). Takes about 3 minutes and
# prints bench/deadline.py's summary; its JSON and Locust's CSV go to var/bench/deadline-<label>*.
# On a shared box, take the lock:
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/tdkt_scale flock /tmp/bench.lock bench/deadline.sh nginx
#   DATABASE_URL=… flock /tmp/bench.lock bench/deadline.sh direct                     # gunicorn alone
#   DATABASE_URL=… GUNICORN_THREADS=8 flock /tmp/bench.lock bench/deadline.sh direct  # more threads
#   DATABASE_URL=… DEADLINE_THINK=1-3 flock /tmp/bench.lock bench/deadline.sh nginx   # OfficeUser's pace
# gunicorn's GUNICORN_* and the profile's DEADLINE_* variables (bench/deadline.py) pass through.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-nginx}
case "$mode" in direct | nginx) ;; *) echo "usage: $0 direct|nginx" >&2; exit 2 ;; esac
: "${DATABASE_URL:?set DATABASE_URL to a seed_scale database}"
scratch=$(mktemp -d /tmp/tdkt-deadline.XXXXXX)
chmod 755 "$scratch"  # nginx's workers (nobody when started as root) write its temporary files
label=${DEADLINE_LABEL:-$mode-w${GUNICORN_WORKERS:-5}t${GUNICORN_THREADS:-2}-think${DEADLINE_THINK:-10-30}}
export DEBUG=0 SECRET_KEY=${SECRET_KEY:-bench-only-not-secret} SECURE_COOKIES=0 ALLOWED_HOSTS=127.0.0.1,localhost
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/8} MEDIA_ROOT=$scratch/media PORT=8087
export DEADLINE_LABEL=$label DEADLINE_JSON=var/bench/deadline-$label.json
[ "$mode" = nginx ] && export TRUSTED_PROXIES=127.0.0.1
mkdir -p var/bench "$scratch/media" "$scratch/nginx"

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$scratch"
}
trap cleanup EXIT

.venv/bin/python manage.py collectstatic --noinput --ignore viewflow -v 0
.venv/bin/gunicorn -c config/gunicorn.conf.py --access-logfile /dev/null config.wsgi:application \
    2>"$scratch/gunicorn.log" &
pids+=($!)
servers="gunicorn=$!"
host=http://127.0.0.1:8087
if [ "$mode" = nginx ]; then
    nginx -p "$scratch/nginx/" -c "$PWD/bench/nginx-deadline.conf" -g 'daemon off;' &
    pids+=($!)
    servers="$servers nginx=$!"
    host=http://127.0.0.1:8088
fi
export DEADLINE_SERVER_PIDS=$servers  # bench/deadline.py reports the CPU they use
for url in http://127.0.0.1:8087/healthz "$host/healthz"; do
    for _ in $(seq 60); do
        curl -fsS -o /dev/null "$url" 2>/dev/null && break
        sleep 0.5
    done
    curl -fsS -o /dev/null "$url"
done

.venv/bin/locust -f bench/deadline.py --headless --only-summary --host "$host" --csv "var/bench/deadline-$label" \
    --loglevel WARNING
# What the servers said: gunicorn's errors and worker restarts, nginx's errors (bodies written to its temporary
# files are expected: every upload over client_body_buffer_size is).
echo "gunicorn: $(grep -c "Autorestarting" "$scratch/gunicorn.log" || true) worker restarts (max_requests)"
grep -E "ERROR|CRITICAL|Traceback|WORKER TIMEOUT" "$scratch/gunicorn.log" | cut -c30- | sort | uniq -c | head -20 || true
if [ "$mode" = nginx ]; then
    echo "nginx: $(grep -c "buffered to a temporary file" "$scratch/nginx/error.log" || true) request bodies buffered to disk"
    grep -v "buffered to a temporary file" "$scratch/nginx/error.log" | sed -E 's/^.{20}//; s/\*[0-9]+ //; s/client: .*//' \
        | sort | uniq -c | head -20 || true
fi
