#!/usr/bin/env bash
# Installs what Leasehold needs to build, run and test on Debian 12 (idempotent: a fast no-op
# when everything is present). Run as root or with sudo available.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config git
  libcaf-dev libpq-dev libprotobuf-dev protobuf-compiler libssl-dev libboost1.81-dev
  postgresql postgresql-client
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node.js runs the black-box tests; any installed Node (Debian's or another) will do.
if ! command -v node >/dev/null 2>&1; then
  missing+=(nodejs)
fi
if ! command -v npm >/dev/null 2>&1; then
  missing+=(npm)
fi

if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=(sudo)
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's postgresql package may start a cluster on the default port; Leasehold never uses
# it (it runs its own private server), so it is left as the package set it up.
