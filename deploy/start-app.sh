#!/bin/sh
# Start one Nyskap app server the way docs/deploy.md describes: refuse to start on a broken configuration, bring
# the database schema up to date, make sure the static files are collected, then hand over to gunicorn.
#
#   MIGRATE_ON_START=0   skip `migrate` (when upgrades run migrations as a separate step, see docs/operations.md)
#   GUNICORN_CONF        gunicorn settings file (default: deploy/gunicorn.conf.py)
set -eu
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python}"
[ -x .venv/bin/python ] && [ "$PYTHON" = python ] && PYTHON=.venv/bin/python
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-nyskap.config.settings.prod}"

static_root=$("$PYTHON" -c 'import django; django.setup(); from django.conf import settings; print(settings.STATIC_ROOT)')
if [ ! -f "$static_root/staticfiles.json" ]; then
  echo "start-app: collecting static files into $static_root" >&2
  "$PYTHON" manage.py collectstatic --noinput --verbosity 0
fi
if [ "${MIGRATE_ON_START:-1}" = 1 ]; then
  "$PYTHON" manage.py migrate --noinput
fi
"$PYTHON" manage.py check --deploy --fail-level ERROR
exec "$PYTHON" -m gunicorn -c "${GUNICORN_CONF:-deploy/gunicorn.conf.py}" nyskap.config.wsgi:application
