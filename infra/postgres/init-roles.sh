#!/usr/bin/env bash
# Run by the postgres image on first start (/docker-entrypoint-initdb.d): applies roles.sql with the
# passwords from the environment. On a server without containers, run roles.sql with psql directly
# (see the header of roles.sql).
set -euo pipefail
: "${AMTSWEG_OWNER_PASSWORD:?AMTSWEG_OWNER_PASSWORD must be set}"
: "${AMTSWEG_APP_PASSWORD:?AMTSWEG_APP_PASSWORD must be set}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v dbname="${AMTSWEG_DB_NAME:-amtsweg}" \
    -v owner_password="$AMTSWEG_OWNER_PASSWORD" \
    -v app_password="$AMTSWEG_APP_PASSWORD" \
    -f /amtsweg/roles.sql
