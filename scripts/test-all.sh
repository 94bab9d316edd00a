#!/usr/bin/env bash
# The whole test suite, as the README's Quick start and CI run it: installs what is missing,
# builds, then runs every suite even after one fails, and ends with one "N passed, M failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh

COUNTS=test-output/counts
rm -rf "$COUNTS"
mkdir -p "$COUNTS"
failed_suites=()

say "checking Debian packages for the browser tests"
ensure_debian_packages chromium fonts-dejavu-core iproute2 || exit 1
ensure_npm_packages || exit 1

say "type-checking"
node_modules/.bin/tsc --noEmit -p . || failed_suites+=("typecheck")

say "building (prints bundle sizes; fails over budget)"
node build.mjs || { say "build failed"; exit 1; }

# run_vitest NAME CONFIG: a vitest suite, its counts kept for the closing line.
run_vitest() {
  say "$1"
  node_modules/.bin/vitest run -c "$2" --reporter=default --reporter=json --outputFile.json="$COUNTS/$1.vitest.json" \
    || failed_suites+=("$1")
}
run_vitest unit vitest.config.ts
run_vitest browser vitest.browser.config.ts
# Real calls: the suite's global setup starts and stops its own PBX stack (Kamailio, rtpengine, baresip).
run_vitest calls-e2e vitest.e2e.config.ts

# Suites that bring their own services; each writes $COUNTS/NAME.json as {"passed":N,"failed":M}.
for suite in scripts/wp/test-wp.sh; do
  [ -f "$suite" ] || continue
  say "running $suite"
  VODIA_COUNTS_DIR="$PWD/$COUNTS" bash "$suite" || failed_suites+=("$suite")
done

node -e '
  const fs = require("fs"), dir = process.argv[1];
  let passed = 0, failed = 0;
  for (const f of fs.readdirSync(dir)) {
    const j = JSON.parse(fs.readFileSync(dir + "/" + f, "utf8"));
    passed += j.numPassedTests ?? j.passed ?? 0;
    failed += j.numFailedTests ?? j.failed ?? 0;
    console.log("  " + f.replace(/\.(vitest\.)?json$/, "").padEnd(14) + (j.numPassedTests ?? j.passed ?? 0) + " passed, " + (j.numFailedTests ?? j.failed ?? 0) + " failed");
  }
  console.log(passed + " passed, " + failed + " failed");
' "$COUNTS"
if [ ${#failed_suites[@]} -gt 0 ]; then
  say "FAILED: ${failed_suites[*]}"
  exit 1
fi
say "all suites passed"
