#!/bin/sh
# The hot standby of docker-compose's "scale" profile: on first start, copy the primary
# with pg_basebackup (which writes standby.signal and primary_conninfo), then run as a
# read-only streaming replica. Runs as the postgres user of the official image.
set -e
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h db -U "$POSTGRES_USER" -d "$POSTGRES_DB"; do sleep 2; done
  rm -rf "${PGDATA:?}"/*
  PGPASSWORD="$POSTGRES_PASSWORD" pg_basebackup -h db -U "$POSTGRES_USER" -D "$PGDATA" \
    --write-recovery-conf --wal-method=stream --checkpoint=fast --progress
  chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on
