#!/usr/bin/env bash
# What `make test` needs from the machine, installed or started if missing:
# PostgreSQL on 127.0.0.1:5432, Debian's Chromium (browser tests), Pango and fonts (WeasyPrint).
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
apt_install() {
  if [ $apt_updated = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Browser and PDF rendering.
command -v chromium >/dev/null 2>&1 || { echo "Installing Debian's chromium…"; apt_install chromium chromium-driver; }
ldconfig -p | grep -q 'libpango-1.0.so' || { echo "Installing Pango…"; apt_install libpango-1.0-0 libpangoft2-1.0-0; }
fc-list 2>/dev/null | grep -qi dejavu || { echo "Installing fonts…"; apt_install fonts-dejavu-core fontconfig; }

# PostgreSQL.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "Installing PostgreSQL…"
    apt_install postgresql postgresql-client
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n1)
  if [ -z "$(ls -A /var/lib/postgresql/"$version"/main 2>/dev/null)" ]; then
    as_root pg_createcluster "$version" main >/dev/null
  fi
  echo "Starting PostgreSQL $version…"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL did not start on 127.0.0.1:5432" >&2; exit 1; }
  # A cluster we created ourselves uses password auth over TCP: give postgres the password
  # that TEST_DATABASE_URL carries (ignored where the server trusts local connections).
  as_root su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null 2>&1 || true
fi
echo "Test services ready: PostgreSQL $(psql -h 127.0.0.1 -U postgres -Atc 'show server_version' 2>/dev/null || echo '?'), $(chromium --version 2>/dev/null | head -n1)"
