#!/bin/sh
# Back up the store server's database: a consistent dump while kiosks keep
# ordering (pg_dump reads one snapshot), kept in BACKUP_DIR for KEEP_DAYS.
#   deploy/backup.sh                       # uses DATABASE_URL
#   deploy/backup.sh restore FILE [URL]    # into an empty database
set -eu
BACKUP_DIR=${BACKUP_DIR:-/var/backups/open-kiosk}
KEEP_DAYS=${KEEP_DAYS:-14}
: "${DATABASE_URL:?set DATABASE_URL (postgres://...)}"

if [ "${1:-}" = "restore" ]; then
    file=${2:?the dump file to restore}
    target=${3:-$DATABASE_URL}
    pg_restore --no-owner --exit-on-error --single-transaction --dbname "$target" "$file"
    echo "restored $file"
    exit 0
fi

mkdir -p "$BACKUP_DIR"
file="$BACKUP_DIR/open-kiosk-$(date -u +%Y%m%dT%H%M%SZ).dump"
pg_dump --format=custom --no-owner --file "$file.partial" "$DATABASE_URL"
mv "$file.partial" "$file"
find "$BACKUP_DIR" -name 'open-kiosk-*.dump' -mtime +"$KEEP_DAYS" -delete
echo "$file"
