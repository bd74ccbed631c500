#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the integration tests.
#
#   export FRONTDESK_TEST_PG_URL=$(scripts/pgtest.sh start)   # create + start (idempotent)
#   scripts/pgtest.sh stop                                    # stop + remove (idempotent)
#   scripts/pgtest.sh url                                     # print the URL
#
# Port: $PGTEST_PORT (default 54329). Data under /tmp/frontdesk-pgtest-$port, trust auth,
# listening on 127.0.0.1 only. When run as root, the server runs as the `postgres` user.
set -euo pipefail

PORT="${PGTEST_PORT:-54329}"
BIN="${PGTEST_BIN:-/usr/lib/postgresql/15/bin}"
BASE="/tmp/frontdesk-pgtest-$PORT"
DATA="$BASE/data"
LOG="$BASE/server.log"
DB="frontdesk_test"
URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/$DB"

as_pg() {
    # Run a command as the postgres OS user (initdb/pg_ctl refuse to run as root).
    if [ "$(id -u)" -eq 0 ]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

running() {
    [ -f "$DATA/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

start() {
    if [ ! -f "$DATA/PG_VERSION" ]; then
        rm -rf "$BASE"
        mkdir -p "$BASE"
        [ "$(id -u)" -eq 0 ] && chown postgres: "$BASE"
        as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 \
            --locale=C.UTF-8 --no-sync >"$BASE/initdb.log" 2>&1 || {
            cat "$BASE/initdb.log" >&2
            exit 1
        }
    fi
    if ! running; then
        as_pg "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 30 \
            -o "-p $PORT -c listen_addresses=127.0.0.1 -k $BASE -c fsync=off \
                -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            start >/dev/null || {
            tail -n 20 "$LOG" >&2
            exit 1
        }
    fi
    if ! as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
        as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB"
    fi
    echo "$URL"
}

stop() {
    if running; then
        as_pg "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null
    fi
    rm -rf "$BASE"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) echo "$URL" ;;
    *)
        echo "usage: $0 start|stop|url" >&2
        exit 2
        ;;
esac
