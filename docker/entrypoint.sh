#!/bin/sh
# Entrypoint of the application image (web, worker, beat and one-off commands).
#
# When the command is gunicorn (the web service), apply database migrations first, so
# the web server never serves a schema older than its code. Worker and beat wait for
# the web service to be healthy (docker-compose.yml), hence for the migrations too.
# Any other command (celery, python manage.py ...) is run as given.
set -eu

if [ "${1:-}" = "gunicorn" ]; then
    echo "entrypoint: python manage.py migrate --noinput" >&2
    python manage.py migrate --noinput
fi

exec "$@"
