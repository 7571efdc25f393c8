#!/usr/bin/env bash
# Installs every build and test dependency of deltashare from Debian 12 packages and the
# npm registry. Idempotent: packages already present are skipped, so a second run is fast.
#   scripts/install-deps.sh            build + test dependencies (Debian) and npm oracles
#   scripts/install-deps.sh --no-npm   Debian packages only
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config git ccache clang-14 libclang-rt-14-dev lld-14
  clang-format clang-tidy
  # libraries
  libsnappy-dev libzstd-dev liblz4-dev libbrotli-dev zlib1g-dev libdeflate-dev libssl-dev
  libcurl4-openssl-dev libsimdjson-dev libyaml-cpp-dev libcli11-dev libpugixml-dev
  libboost1.81-dev libsqlite3-dev libpq-dev libroaring-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev python3 python3-requests python3-boto3
  python3-prometheus-client
  postgresql wrk nginx-light hyperfine curl zstd
)

# Node.js may come from elsewhere (e.g. nodesource, which bundles npm): take Debian's only if absent.
command -v npm >/dev/null || APT_PACKAGES+=(nodejs npm)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ "${1:-}" != "--no-npm" ]]; then
  scripts/install-oracles.sh
fi
