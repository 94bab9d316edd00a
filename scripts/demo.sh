#!/usr/bin/env bash
# npm start: the demo. Builds, starts the reference PBX stack, a WordPress with the plugin set up against it,
# and a demo site, all on 127.0.0.1; prints the URLs and the logins, and stops everything on Ctrl-C.
#   VODIA_DEMO_CONFIG=/path/makecall.config.json npm start   -> use your own PBX instead of the local stack
#   VODIA_DEMO_EXTENSION=.. VODIA_DEMO_PASSWORD=..            -> with your own PBX: the extension WordPress signs
#                                                                calls for (without them the demo starts no WordPress)
#   VODIA_DEMO_WP=0                                           -> no WordPress
#   VODIA_DEMO_PORT=18000                                     -> the demo site's first port to try
#   scripts/demo.sh --check   start, check both sites in Chromium (a real call from the WordPress page), stop
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh

check=0
[ "${1:-}" = --check ] && check=1

ensure_debian_packages iproute2
[ "$check" = 1 ] && ensure_debian_packages chromium
ensure_npm_packages
say "building"
node build.mjs

export VODIA_PBX_RUN_DIR=${VODIA_PBX_RUN_DIR:-$PWD/.run/pbx}
# Its own run folder, so the demo and the WordPress test suites can run side by side.
export VODIA_WP_RUN_DIR=${VODIA_WP_RUN_DIR:-$PWD/.run/wp-demo}
export VODIA_DEMO_STATE="$PWD/.run/demo.json"
own=${VODIA_DEMO_CONFIG:-}
with_wp=1
if [ "${VODIA_DEMO_WP:-1}" = 0 ]; then
  with_wp=0
elif [ -n "$own" ] && { [ -z "${VODIA_DEMO_EXTENSION:-}" ] || [ -z "${VODIA_DEMO_PASSWORD:-}" ]; }; then
  say "no WordPress: with your own PBX it needs VODIA_DEMO_EXTENSION and VODIA_DEMO_PASSWORD"
  with_wp=0
fi

site_pid=
cleanup() {
  trap - EXIT INT TERM
  [ -n "$site_pid" ] && kill -TERM "$site_pid" 2>/dev/null && wait "$site_pid" 2>/dev/null
  rm -f "$VODIA_DEMO_STATE"
  if [ "$with_wp" = 1 ]; then say "stopping WordPress (PHP, MariaDB)"; bash scripts/wp/wp-stack.sh stop >/dev/null 2>&1 || true; fi
  if [ -z "$own" ]; then say "stopping the PBX stack"; bash scripts/pbx/pbx-stack.sh stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

rm -f "$VODIA_DEMO_STATE"
if [ -z "$own" ]; then
  say "starting the reference PBX stack (Kamailio + rtpengine + baresip)"
  bash scripts/pbx/pbx-stack.sh start >/dev/null
fi

if [ "$with_wp" = 1 ]; then
  say "starting WordPress (MariaDB + PHP) with the plugin"
  VODIA_WP_PORT=${VODIA_WP_PORT:-$(free_port 18480)} bash scripts/wp/wp-stack.sh start >/dev/null
  say "setting the plugin up against the PBX and publishing a page of call links"
  node scripts/demo/setup-wp.mjs
  export VODIA_DEMO_WP_JSON="$VODIA_WP_RUN_DIR/demo.json"
fi

# The site runs until Ctrl-C (or, with --check, until the check is done); the traps stop everything.
node scripts/demo-server.mjs &
site_pid=$!
if [ "$check" = 0 ]; then
  wait "$site_pid"
  exit $?
fi
for _ in $(seq 1 100); do [ -s "$VODIA_DEMO_STATE" ] && break; sleep 0.1; done
[ -s "$VODIA_DEMO_STATE" ] || { say "the demo site did not start"; exit 1; }
say "checking the demo in Chromium"
node scripts/demo/check-demo.mjs
