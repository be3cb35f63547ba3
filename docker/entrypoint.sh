#!/bin/sh
# Entrypoint of the application image (web, worker, beat and one-off commands).
#
# When the command is gunicorn (a web container run on its own), apply database
# migrations first, so the web server never serves a schema older than its code.
# docker-compose.yml sets MIGRATE_ON_START=0 on its web service: there, the one-shot
# migrate service applies them once, before any web, worker or beat starts, so that N web
# containers (--scale web=N) do not migrate at the same time.
# Any other command (celery, python manage.py ...) is run as given.
set -eu

if [ "${1:-}" = "gunicorn" ] && [ "${MIGRATE_ON_START:-1}" = "1" ]; then
    echo "entrypoint: python manage.py migrate --noinput" >&2
    python manage.py migrate --noinput
fi

exec "$@"
