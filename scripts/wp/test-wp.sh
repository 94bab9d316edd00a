#!/usr/bin/env bash
# The WordPress plugin's tests in one command: installs what is missing, builds the block, starts a throwaway
# WordPress 6.8 on loopback, runs phpcs and PHPUnit against it, and stops it whatever happens.
#   scripts/wp/test-wp.sh [PHPUNIT ARGS...]     e.g. --filter AuthorizeEndpointTest
# Exit status: non-zero when the build, phpcs or any test fails.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/common.sh
. "$repo/scripts/lib/common.sh"
cd "$repo"

ensure_debian_packages php-cli php-mysql php-xml php-mbstring php-curl php-intl mariadb-server mariadb-client \
  phpunit php-codesniffer gettext curl iproute2 util-linux

# i18n files are generated from the source: refresh them first, so a stale POT fails loudly in review, not here.
bash "$here/make-pot.sh"
bash "$here/build-block.sh"

trap 'bash "$here/wp-stack.sh" stop >/dev/null 2>&1 || true' EXIT INT TERM
bash "$here/wp-stack.sh" start >/dev/null

status=0
say "phpcs (wp-plugin/phpcs.xml.dist)"
phpcs --standard=wp-plugin/phpcs.xml.dist --no-colors --report=summary --report-width=120 || status=1
phpcs --standard=wp-plugin/phpcs.xml.dist -q --no-colors >/dev/null && say "phpcs: clean" || say "phpcs: violations (see above)"

say "PHPUnit against the test site"
# With VODIA_COUNTS_DIR (npm test), a JUnit log lets the whole suite count these tests too.
VODIA_WP_DIR="$repo/.run/wp/site" phpunit -c test/php/phpunit.xml.dist --colors=never \
  ${VODIA_COUNTS_DIR:+--log-junit "$VODIA_COUNTS_DIR/wp-phpunit.junit.xml"} "$@" || status=1

# Anything WordPress logged while the tests ran: PHP notices from the plugin's files count as failures.
if [ -s .run/wp/debug.log ] && grep -Eq "wp-plugin/|plugins/vodia-click-to-call/" .run/wp/debug.log; then
  say "PHP notices from the plugin in .run/wp/debug.log:"
  grep -E "wp-plugin/|plugins/vodia-click-to-call/" .run/wp/debug.log | head -n 20 >&2
  status=1
fi
exit $status
