# syntax=docker/dockerfile:1
# One image for every Python service of docker-compose.yml: web (gunicorn), worker
# (celery worker) and beat (celery beat). See docs/deployment.md.
FROM python:3.11-slim-bookworm

# DEBUG=0 here so the image is production-safe even if .env forgets it (settings.py
# defaults to DEBUG on). The code runs from /app: pyproject.toml ships no package data
# and settings.BASE_DIR is derived from config/settings.py's location, so templates/,
# static/, locale/ and maturity/content/ are read from the source tree, which
# PYTHONPATH puts ahead of the copy that `pip install .` puts in site-packages.
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    DEBUG=0 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media

# WeasyPrint loads these through cffi at run time (WeasyPrint docs, "First steps",
# Debian >= 11: libpango-1.0-0 libpangoft2-1.0-0; they pull GLib and fontconfig).
# HarfBuzz-Subset is optional today but announced as required; plus one font family.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Non-root user; its home is writable so fontconfig can keep its cache there.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app \
        --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so code changes reuse this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
RUN pip install . \
    && rm -rf build ./*.egg-info \
    && python -m compileall -q config dealers maturity

# Static files are collected at build time and served by WhiteNoise. The dummy key
# exists only in this RUN step; it is not stored in the image's environment.
RUN DEBUG=0 SECRET_KEY=collectstatic-only-build-time-dummy-key-not-a-secret \
    python manage.py collectstatic --noinput

# Mount points for the named volumes: a new volume copies this ownership, so the
# non-root user can write reports (media) and the beat schedule.
RUN mkdir -p /data/media /data/beat \
    && chown -R app:app /data \
    && chmod 0755 docker/entrypoint.sh

USER app
EXPOSE 8000

ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["gunicorn", "config.wsgi:application", "--config", "docker/gunicorn.conf.py"]
