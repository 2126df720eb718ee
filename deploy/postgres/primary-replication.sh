#!/bin/sh
# Run once by the official postgres image when it creates the primary's database
# (/docker-entrypoint-initdb.d): the replica of docker-compose's "scale" profile connects
# for streaming replication as the database's owner, with its password.
set -e
echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
