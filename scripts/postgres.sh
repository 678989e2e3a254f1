#!/usr/bin/env bash
# A private PostgreSQL instance for tests and local clusters: its own data directory and port,
# listening on loopback only, trust authentication for the local user "akkagame".
#
#   scripts/postgres.sh install   install PostgreSQL from Debian's packages if missing
#   scripts/postgres.sh start     install if missing, init, start
#   scripts/postgres.sh stop      stop it (the data directory stays)
#   scripts/postgres.sh url       print the Npgsql connection string
#   scripts/postgres.sh newdb N   create an empty database N on the running instance; print its connection string
#   scripts/postgres.sh destroy   stop and delete the data directory
#
# AKKAGAME_PG_DIR (default /tmp/akkagame-pg-$PORT) and AKKAGAME_PG_PORT (default 55432) choose
# the instance, so several can run side by side.
set -euo pipefail

port=${AKKAGAME_PG_PORT:-55432}
dir=${AKKAGAME_PG_DIR:-/tmp/akkagame-pg-$port}
db=akkagame
user=akkagame

pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$bin" ] && [ -x "$bin/initdb" ] && echo "$bin"
}

install_if_missing() {
  if [ -z "$(pg_bin)" ]; then
    echo "postgres.sh: installing PostgreSQL from Debian's packages" >&2
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
    # The package starts a system-wide cluster on 5432; ours is private, so stop that one.
    $sudo service postgresql stop >/dev/null 2>&1 || true
  fi
}

# PostgreSQL refuses to run as root: as root, run its tools as the "postgres" user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  install_if_missing
  local bin
  bin=$(pg_bin)
  if [ ! -f "$dir/PG_VERSION" ]; then
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    chmod 700 "$dir"
    as_owner "$bin/initdb" -D "$dir" -U "$user" -A trust -E UTF8 >/dev/null
  fi
  if as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    echo "postgres.sh: already running on 127.0.0.1:$port ($dir)" >&2
  else
    # fsync off: a test database that dies with the machine is recreated, and it makes the
    # journal's commits far cheaper on these small machines. Never for production data.
    as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  fi
  if ! as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U "$user" -d postgres -tAc "select 1 from pg_database where datname='$db'" | grep -q 1; then
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U "$user" "$db"
  fi
  echo "postgres.sh: running on 127.0.0.1:$port ($dir)" >&2
}

stop() {
  local bin
  bin=$(pg_bin) || return 0
  if [ -f "$dir/PG_VERSION" ]; then
    as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

case "${1:-}" in
  install) install_if_missing ;;
  start) start ;;
  stop) stop ;;
  url) echo "Host=127.0.0.1;Port=$port;Username=$user;Database=$db;Pooling=true;Maximum Pool Size=50" ;;
  newdb)
    as_owner "$(pg_bin)/createdb" -h 127.0.0.1 -p "$port" -U "$user" "${2:?usage: $0 newdb NAME}"
    echo "Host=127.0.0.1;Port=$port;Username=$user;Database=$2;Pooling=true;Maximum Pool Size=50" ;;
  destroy) stop; rm -rf "$dir" ;;
  *) echo "usage: $0 install|start|stop|url|newdb NAME|destroy" >&2; exit 2 ;;
esac
