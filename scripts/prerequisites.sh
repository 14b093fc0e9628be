#!/usr/bin/env bash
# What `npm test` needs besides node_modules (run by `pretest`, and by .ci/run for the services):
# PostgreSQL (127.0.0.1:5432, user postgres, database test), MariaDB (127.0.0.1:3306, root,
# database test), Redis (127.0.0.1:6379), Debian's chromium for the browser suites and valgrind
# for the bench's instruction counts. Starts what is down and installs the Debian packages when
# it can (as root); otherwise stops with one line naming the command to run.
#   scripts/prerequisites.sh            services, chromium and valgrind
#   scripts/prerequisites.sh services   services only
set -euo pipefail

say() { echo "prerequisites: $*"; }
fail() { echo "prerequisites: $*" >&2; exit 1; }

wait_for() { # name, command that succeeds once the service answers
  local name=$1; shift
  for _ in $(seq 1 60); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  return 1
}

is_root() { [ "$(id -u)" = 0 ]; }

postgres_up() { pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; }
mariadb_up() { mariadb -h 127.0.0.1 -P 3306 -uroot -e 'select 1' >/dev/null 2>&1; }

start_postgres() {
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
}
start_redis() {
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
}
start_mariadb() {
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
}

# name, probe, starter, the command a non-root user should run
ensure_service() {
  local name=$1 probe=$2 starter=$3 hint=$4
  if $probe; then return 0; fi
  if ! is_root; then fail "$name is not running on 127.0.0.1: start it (as root: $hint), then npm test"; fi
  say "starting $name"
  $starter >/dev/null 2>&1
  wait_for "$name" $probe || fail "$name did not come up: start it with: $hint"
}

ensure_services() {
  ensure_service PostgreSQL postgres_up start_postgres \
    "pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql | head -1) main start"
  ensure_service Redis redis_up start_redis \
    "redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save ''"
  ensure_service MariaDB mariadb_up start_mariadb \
    "start-stop-daemon --start --background --exec /usr/sbin/mariadbd"
  mariadb -h 127.0.0.1 -P 3306 -uroot -e 'CREATE DATABASE IF NOT EXISTS test' \
    || fail "cannot create the MariaDB database test: mariadb -h 127.0.0.1 -uroot -e 'CREATE DATABASE test'"
  if ! psql -h 127.0.0.1 -U postgres -d postgres -tc "SELECT 1 FROM pg_database WHERE datname='test'" | grep -q 1; then
    psql -h 127.0.0.1 -U postgres -d postgres -qc 'CREATE DATABASE test' \
      || fail "cannot create the PostgreSQL database test: psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE test'"
  fi
}

# ensure_debian_package <program> <package> <what for>
ensure_debian_package() {
  if [ -x "$1" ]; then return 0; fi
  if ! is_root; then fail "Debian's $2 is missing: sudo apt-get install -y $2"; fi
  say "installing Debian's $2 for $3"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null) \
    || fail "could not install $2: apt-get update && apt-get install -y $2"
  [ -x "$1" ] || fail "$2 did not install: apt-get install -y $2"
}

ensure_services
if [ "${1:-}" != services ]; then
  ensure_debian_package /usr/bin/chromium chromium 'the browser suites'
  ensure_debian_package /usr/bin/valgrind valgrind "the bench's instruction counts"
fi
say "PostgreSQL, MariaDB, Redis up$([ "${1:-}" != services ] && echo ', chromium and valgrind present')"
