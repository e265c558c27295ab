#!/usr/bin/env bash
# Run first by `npm test`: brings up what the suite needs on a fresh machine of this kind (Debian, root),
# so the README's test command passes on its own. Each step is a no-op when the service is already there.
#  - PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth): started with pg_ctlcluster if it is down.
#  - Debian's chromium for the Agents Playground browser test: installed with apt-get if missing.
# Skipped entirely with TEST_PREREQS=skip (a machine where someone else manages the services).
set -uo pipefail

if [ "${TEST_PREREQS:-}" = "skip" ]; then exit 0; fi

PG_HOST="${TEST_PG_HOST:-127.0.0.1}"
PG_PORT="${TEST_PG_PORT:-5432}"

pg_up() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -h "$PG_HOST" -p "$PG_PORT" -q 2>/dev/null
  else
    (exec 3<>"/dev/tcp/$PG_HOST/$PG_PORT") 2>/dev/null
  fi
}

if ! pg_up; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    version="$(ls /etc/postgresql | sort -V | tail -n1)"
    echo "test-prereqs: PostgreSQL is down, starting cluster $version/main"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  fi
  if ! pg_up; then
    echo "test-prereqs: PostgreSQL is not reachable at $PG_HOST:$PG_PORT and could not be started (install the postgresql package, or set TEST_PG_ADMIN_URL)" >&2
    exit 1
  fi
fi

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "test-prereqs: installing Debian's chromium for the Agents Playground test"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || true
  fi
  if [ ! -x "$CHROMIUM" ]; then
    echo "test-prereqs: chromium is missing at $CHROMIUM and could not be installed (apt-get install -y chromium as root, or set CHROMIUM_PATH)" >&2
    exit 1
  fi
fi
exit 0
