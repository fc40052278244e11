#!/usr/bin/env bash
# `make serve`: the production-like server — gunicorn + whitenoise, PostgreSQL (DATABASE_URL) and
# the shared Redis cache (REDIS_URL) — on 127.0.0.1:8000 with DEBUG off.
#
#   DATABASE_URL     default postgres://postgres@127.0.0.1:5432/cellucheck (created if missing)
#   REDIS_URL        default redis://127.0.0.1:6379/1
#   SECRET_KEY       default: generated once into .secret_key (git-ignored) and reused
#   WEB_CONCURRENCY  gunicorn worker processes, default 2 × cores + 1 (4 threads each)
#   BIND             default 127.0.0.1:8000
#
# It serves plain HTTP, so DJANGO_ENV=production (HTTPS redirect, HSTS, secure cookies) is only for
# a deployment behind a TLS proxy: see docs/deployment.md.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cellucheck}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/1}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
unset DEBUG
SECRET_KEY="$($PY scripts/prodserver.py secret-key)"
export SECRET_KEY

$PY scripts/prodserver.py ensure-database
$PY manage.py collectstatic --noinput -v0
$PY manage.py migrate --noinput -v0
$PY manage.py load_curated -v0

workers="${WEB_CONCURRENCY:-$((2 * $(nproc) + 1))}"
bind="${BIND:-127.0.0.1:8000}"
echo "Serving http://$bind/ with $workers gunicorn workers (gthread, 4 threads each); Ctrl-C stops."
exec .venv/bin/gunicorn config.wsgi:application \
  --bind "$bind" --workers "$workers" --worker-class gthread --threads 4 --backlog 2048 \
  --access-logfile -
