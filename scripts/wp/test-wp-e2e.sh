#!/usr/bin/env bash
# Browser test of the WordPress plugin against a real WordPress and the reference PBX (vitest:
# test/wp-e2e/*.e2e.test.ts, vitest.wp-e2e.config.ts).
# Starts both stacks in their own run folders (.run/wp-e2e, .run/pbx-wp-e2e) so other test runs can go on,
# and stops them whatever happens. Needs the main build's assets in wp-plugin/assets/dist (npm run build).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/common.sh
. "$repo/scripts/lib/common.sh"
cd "$repo"

ensure_debian_packages chromium
for f in vodia-call.js makecall.js makecall.css; do
  [ -f "wp-plugin/assets/dist/$f" ] || { say "wp-plugin/assets/dist/$f is missing: run the main build (npm run build) first"; exit 1; }
done
[ -f wp-plugin/build/click-to-call/block.json ] || bash "$here/build-block.sh"

export VODIA_WP_RUN_DIR="$repo/.run/wp-e2e" VODIA_PBX_RUN_DIR="$repo/.run/pbx-wp-e2e"
export VODIA_WP_PORT=${VODIA_WP_PORT:-$(free_port 18280)} VODIA_PBX_PORT_BASE=${VODIA_PBX_PORT_BASE:-16060}
cleanup() {
  bash "$repo/scripts/pbx/pbx-stack.sh" stop >/dev/null 2>&1 || true
  bash "$here/wp-stack.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM
bash "$repo/scripts/pbx/pbx-stack.sh" start >/dev/null
bash "$here/wp-stack.sh" start >/dev/null

# With VODIA_COUNTS_DIR (npm test), vitest's JSON report goes there for the closing "N passed, M failed" line.
# A report of an earlier run (or the JUnit file of the node --test days) is removed first: a run that breaks
# before vitest writes its report must not be counted as an earlier run's passes.
reporters=()
if [ -n "${VODIA_COUNTS_DIR:-}" ]; then
  rm -f "$VODIA_COUNTS_DIR/wp-e2e.vitest.json" "$VODIA_COUNTS_DIR/wp-e2e.junit.xml"
  reporters=(--reporter=default --reporter=json --outputFile.json="$VODIA_COUNTS_DIR/wp-e2e.vitest.json")
fi
VODIA_WP_SITE_JSON="$VODIA_WP_RUN_DIR/site.json" node_modules/.bin/vitest run -c vitest.wp-e2e.config.ts "${reporters[@]}"
