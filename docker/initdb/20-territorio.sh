#!/bin/sh
# Roles de Territorio en el PostGIS del compose (solo al crear el volumen; docs/seguridad.md,
# «Base de datos»): el dueño migra, la aplicación solo lee y escribe filas. Lo corre el entrypoint de
# la imagen postgis/postgis después de su 10_postgis.sh, como el superusuario POSTGRES_USER.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v clave_duenio="$TERRITORIO_DB_CLAVE_DUENIO" -v clave_app="$TERRITORIO_DB_CLAVE_APP" <<'SQL'
CREATE ROLE territorio LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD :'clave_duenio';
CREATE ROLE territorio_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT
  PASSWORD :'clave_app';
CREATE DATABASE territorio OWNER territorio;
\c template1
CREATE EXTENSION IF NOT EXISTS postgis;
\c territorio
CREATE EXTENSION IF NOT EXISTS postgis;
SQL
