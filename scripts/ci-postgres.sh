#!/usr/bin/env bash
# Sourced by .ci/run (as root) before the tests: starts a private, throwaway PostgreSQL 15 on
# 127.0.0.1:55432 and exports VITRINE_TEST_DATABASE_URL for the Postgres test suites.
# Safe to source twice: a server already answering on the port is reused.
# Runnable by hand too: `source scripts/ci-postgres.sh` (as root, or as a user that can run initdb).

_vpg_port="${VITRINE_PG_PORT:-55432}"
_vpg_root="${VITRINE_PG_ROOT:-/tmp/vitrine-pg}"
_vpg_data="$_vpg_root/data"
_vpg_sock="$_vpg_root/sock"
_vpg_db="${VITRINE_PG_DB:-vitrine_test}"

_vpg_bin=""
for _d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
  if [ -x "$_d/pg_ctl" ]; then _vpg_bin="$_d"; break; fi
done
if [ -z "$_vpg_bin" ]; then
  echo "ci-postgres: no PostgreSQL binaries under /usr/lib/postgresql; install postgresql-15" >&2
  return 1 2>/dev/null || exit 1
fi

# initdb and postgres refuse to run as root: run them as the `postgres` system user.
_vpg_as() {
  if [ "$(id -u)" = "0" ]; then
    if command -v runuser >/dev/null 2>&1; then runuser -u postgres -- "$@"; else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
  else
    "$@"
  fi
}

_vpg_psql() { "$_vpg_bin/psql" -h 127.0.0.1 -p "$_vpg_port" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

if ! "$_vpg_bin/pg_isready" -q -h 127.0.0.1 -p "$_vpg_port"; then
  mkdir -p "$_vpg_root" "$_vpg_sock"
  if [ "$(id -u)" = "0" ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown -R postgres "$_vpg_root"
  fi
  if [ ! -s "$_vpg_data/PG_VERSION" ]; then
    _vpg_as "$_vpg_bin/initdb" -D "$_vpg_data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$_vpg_root/initdb.log" 2>&1 \
      || _vpg_as "$_vpg_bin/initdb" -D "$_vpg_data" -A trust -U postgres -E UTF8 --no-locale >"$_vpg_root/initdb.log" 2>&1 \
      || { echo "ci-postgres: initdb failed:" >&2; cat "$_vpg_root/initdb.log" >&2; return 1 2>/dev/null || exit 1; }
  fi
  # fsync off: a CI database that dies with the machine needs no durability, and it is much faster.
  _vpg_as "$_vpg_bin/pg_ctl" -D "$_vpg_data" -l "$_vpg_root/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $_vpg_port -k $_vpg_sock -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
    || { echo "ci-postgres: pg_ctl start failed:" >&2; tail -n 30 "$_vpg_root/server.log" >&2; return 1 2>/dev/null || exit 1; }
fi

if [ "$(_vpg_psql -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$_vpg_db'")" != "1" ]; then
  _vpg_psql -d postgres -c "CREATE DATABASE $_vpg_db" || { echo "ci-postgres: CREATE DATABASE failed" >&2; return 1 2>/dev/null || exit 1; }
fi

export VITRINE_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$_vpg_port/$_vpg_db"
echo "ci-postgres: PostgreSQL $("$_vpg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$_vpg_port, VITRINE_TEST_DATABASE_URL=$VITRINE_TEST_DATABASE_URL" >&2
unset _vpg_port _vpg_root _vpg_data _vpg_sock _vpg_db _vpg_bin _d
unset -f _vpg_as _vpg_psql
