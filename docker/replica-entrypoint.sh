#!/bin/sh
# The read replica: on first start, a base backup of the primary with -R (standby.signal and
# primary_conninfo written for it), then PostgreSQL streams from the primary from then on.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h postgres -U "$POSTGRES_USER"; do sleep 2; done
  PGPASSWORD="$POSTGRES_PASSWORD" pg_basebackup -h postgres -U "$POSTGRES_USER" -D "$PGDATA" -R -X stream -P
  chmod 700 "$PGDATA"
fi
exec postgres
