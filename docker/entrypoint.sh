#!/bin/sh
# Prepara la base (idempotente, como ./run serve) y sirve con gunicorn.
set -eu
if [ "${TERRITORIO_SIN_DEMO:-0}" = "1" ]; then
  python manage.py territorio_preparar --sin-demo
else
  python manage.py territorio_preparar
fi
# gunicorn sirve solo con el rol de la aplicación: sin la URL del dueño en su entorno.
unset TERRITORIO_DATABASE_URL_MIGRACION TERRITORIO_DATABASE_URL_ADMIN
exec gunicorn territorio.wsgi:application -c territorio/gunicorn_conf.py --bind 0.0.0.0:8000 \
  --workers "${TERRITORIO_WORKERS:-3}" --access-logfile - --forwarded-allow-ips "*" --no-control-socket
