#!/usr/bin/env bash
# npm start: the demo. Builds, starts the reference PBX stack and a demo site on 127.0.0.1,
# prints the URL and the test account, and stops everything on Ctrl-C.
#   VODIA_DEMO_CONFIG=/path/makecall.config.json npm start   -> use your own PBX instead of the local stack
#   VODIA_DEMO_PORT=18000                                     -> the demo site's first port to try
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh

ensure_debian_packages iproute2
ensure_npm_packages
say "building"
node build.mjs

export VODIA_PBX_RUN_DIR=${VODIA_PBX_RUN_DIR:-$PWD/.run/pbx}
stop_stack() { [ -n "${VODIA_DEMO_CONFIG:-}" ] || bash scripts/pbx/pbx-stack.sh stop || true; }
trap stop_stack EXIT
if [ -z "${VODIA_DEMO_CONFIG:-}" ]; then
  say "starting the reference PBX stack (Kamailio + rtpengine + baresip)"
  bash scripts/pbx/pbx-stack.sh start >/dev/null
fi
# The site runs in the foreground; Ctrl-C ends it, and the trap stops the stack.
node scripts/demo-server.mjs
