#!/usr/bin/env bash
# Installs the Debian 12 packages GovShield needs to build, test and run.
# Idempotent: asks dpkg first and stays quiet when nothing is missing.
# Every package here is explained in docs/dependencies.md.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache clang libclang-rt-14-dev pkg-config
  clang-format
  # libraries
  libssl-dev libyaml-cpp-dev libcli11-dev libfmt-dev nlohmann-json3-dev libsimdjson-dev
  libsqlite3-dev
  # tamper vault: zstd compression of stored objects
  libzstd-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # (no libvectorscan-dev: 5.4.9 misses literal matches on AVX-512, see docs/adr/0005-no-vectorscan.md)
  libpcre2-dev libxml2-dev libmaxminddb-dev
  # tools used by tests and benchmarks
  bsdutils procps curl python3
  # webshell scanner (src/webshell): YARA rule engine
  libyara-dev
  # benign corpus for bench/webshell and the webshell false-positive test (not configured)
  wordpress phpmyadmin dokuwiki mediawiki roundcube-core
  # peers for benchmarks / differential tests
  libmodsecurity-dev modsecurity-crs
  # bench/gateway.sh: HTTP load generator, and nginx as the proxy peer
  wrk nginx
  # Debian's /etc/nginx/modsecurity.conf: the seclang corpus test parses it
  libnginx-mod-http-modsecurity
  # monitor (issue 6): DNS queries/answers (ldns), DNSSEC validation (libunbound), HTTPS fetch
  libldns-dev libunbound-dev libcurl4-openssl-dev
  # monitor integration tests: real authoritative (nsd) and recursive (unbound) servers,
  # ldns-keygen/ldns-signzone to sign the test zone, drill to watch the servers
  nsd unbound ldnsutils
  # bench/tamper: AIDE is the file-integrity peer the baseline speed is compared with
  aide
  # bench/monitor: page-fetch peer on the same local site
  linkchecker
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "deps.sh: missing packages: ${missing[*]}; run as root or install them with apt-get" >&2
  exit 1
fi

echo "deps.sh: installing ${#missing[@]} package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Services from packages must not start inside build containers.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps.sh: done"
