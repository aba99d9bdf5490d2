#!/usr/bin/env bash
# scripts/install-deps.sh — installs every Debian 12 package cella needs to build, test and demo.
# Idempotent; needs root (apt-get). Used by the README's set-up command and by .ci/run.
set -euo pipefail
pkgs=(make gcc libc6-dev libjansson-dev libbearssl-dev libcapstone-dev musl-tools busybox-static
      python3 coreutils util-linux binutils)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q "${missing[@]}"
fi
