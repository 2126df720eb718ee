# The production image: gunicorn serving Django (static files by whitenoise), also used
# for the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PIP_NO_CACHE_DIR=1

# gettext compiles the catalogues; pango and the CJK fonts render PDFs with WeasyPrint.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-noto-cjk curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install .
COPY . .
RUN SECRET_KEY=build-only-$(head -c 32 /dev/urandom | base64 | tr -dc a-zA-Z0-9)-build-only-key \
       ALLOWED_HOSTS=build DATABASE_URL=postgres://build@localhost/build \
       python manage.py collectstatic --noinput -v0 \
    && python manage.py compilemessages --ignore=.venv -v0 \
    && useradd --system --home /app yishi && mkdir -p /data/media && chown -R yishi /data /app/var

USER yishi
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "-c", "config/gunicorn.py"]
