#!/usr/bin/env bash
# npm run bench: builds, then measures call setup against the reference PBX stack (scripts/bench.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
ensure_debian_packages chromium fonts-dejavu-core iproute2
ensure_npm_packages
node build.mjs
node scripts/bench.mjs
# The network lab's figures need network namespaces, so root.
if [ "$(id -u)" -eq 0 ]; then
  node scripts/bench-lab.mjs
else
  say "not root: skipping the network lab part of the benchmark (scripts/bench-lab.mjs)"
fi
