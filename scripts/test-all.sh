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
# libwebkit2gtk-4.1-0 (MiniBrowser), webkit2gtk-driver and xvfb: the WebKitGTK suite's browser without WebRTC.
ensure_debian_packages chromium firefox-esr fonts-dejavu-core iproute2 libwebkit2gtk-4.1-0 webkit2gtk-driver xvfb || exit 1
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
# A real browser that cannot call (WebKitGTK has no RTCPeerConnection): its global setup starts and stops
# Xvfb and WebKitWebDriver.
run_vitest webkit vitest.webkit.config.ts
# The npm package and the release zips as users get them: npm pack, an offline install, the API in Node, a
# consumer's type check, binder and popup from node_modules in Chromium, npm run release.
run_vitest package vitest.package.config.ts
# Real calls: the suite's global setup starts and stops its own PBX stack (Kamailio, rtpengine, baresip).
run_vitest calls-e2e vitest.e2e.config.ts
# The network lab: namespaces for visitor, NAT router (firewall modes) and internet (PBX, coturn, nginx TLS
# proxy), made and torn down by its global setup; calls in Chromium and Firefox. Namespaces need root.
if [ "$(id -u)" -eq 0 ]; then
  run_vitest lab vitest.lab.config.ts
else
  say "the network lab needs root (ip netns): run npm test as root"
  failed_suites+=("lab (not root)")
fi

# The PBX stack's own checks over UDP, ws and wss, among them the refused digest-uri mismatch.
say "PBX stack self-test"
bash scripts/pbx/self-test.sh 2>&1 | tee "$COUNTS/pbx-self-test.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || failed_suites+=("pbx-self-test")

# The WordPress plugin: phpcs and PHPUnit against a real WordPress, then browser tests (vitest) against
# WordPress and the PBX stack. Each starts and stops its own services, and leaves its counts in $COUNTS
# (PHPUnit's JUnit log, wp-phpunit.junit.xml; vitest's JSON report, wp-e2e.vitest.json).
for suite in scripts/wp/test-wp.sh scripts/wp/test-wp-e2e.sh; do
  say "running $suite"
  VODIA_COUNTS_DIR="$PWD/$COUNTS" bash "$suite" || failed_suites+=("$suite")
done

# The installable zip: built, unpacked into a fresh WordPress, activated, its pages rendered. One check.
say "plugin zip into a fresh WordPress"
if bash scripts/wp/plugin-zip.sh && bash scripts/wp/check-zip.sh; then
  echo "1 passed, 0 failed" > "$COUNTS/wp-zip-install.log"
else
  echo "0 passed, 1 failed" > "$COUNTS/wp-zip-install.log"
  failed_suites+=("wp-zip-install")
fi

node scripts/lib/count-tests.mjs "$COUNTS"
if [ ${#failed_suites[@]} -gt 0 ]; then
  say "FAILED: ${failed_suites[*]}"
  exit 1
fi
say "all suites passed"
