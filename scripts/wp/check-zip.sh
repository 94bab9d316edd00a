#!/usr/bin/env bash
# Checks that dist/vodia-click-to-call.zip installs into a fresh WordPress: unzips it into a throwaway site (its
# own run folder and port), activates it, and checks over HTTP that the front end, the popup page, the REST
# route, the block's editor script and the settings page work, with no PHP notice in the log.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/common.sh
. "$repo/scripts/lib/common.sh"
cd "$repo"
[ -f dist/vodia-click-to-call.zip ] || bash "$here/plugin-zip.sh"

export VODIA_WP_RUN_DIR="$repo/.run/wp-zip" VODIA_WP_PLUGIN_ZIP="$repo/dist/vodia-click-to-call.zip"
export VODIA_WP_PORT=${VODIA_WP_PORT:-$(free_port 18180)}
trap 'bash "$here/wp-stack.sh" stop >/dev/null 2>&1 || true' EXIT INT TERM
bash "$here/wp-stack.sh" start >/dev/null
url="http://127.0.0.1:$VODIA_WP_PORT"
site="$VODIA_WP_RUN_DIR/site"
fail() { say "zip check FAILED: $*"; exit 1; }

[ -d "$site/wp-content/plugins/vodia-click-to-call" ] && [ ! -L "$site/wp-content/plugins/vodia-click-to-call" ] || fail "not unpacked as a folder"
for f in vodia-click-to-call.php uninstall.php readme.txt build/click-to-call/block.json build/click-to-call/index.js build/click-to-call/render.php \
  languages/vodia-click-to-call-de_DE.mo assets/dist/vodia-call.js assets/dist/makecall.js assets/dist/connection-check.js assets/dist/makecall.css \
  assets/dist/i18n/de.json generated/shared-rules.php; do
  [ -f "$site/wp-content/plugins/vodia-click-to-call/$f" ] || fail "missing $f"
done
for f in phpcs.xml.dist node_modules test; do
  [ ! -e "$site/wp-content/plugins/vodia-click-to-call/$f" ] || fail "ships $f"
done

# Configure and publish through WordPress's own API (as the settings form and the editor would).
php -r '
  $_SERVER["HTTP_HOST"] = "127.0.0.1"; define("WP_USE_THEMES", false);
  require $argv[1] . "/wp-load.php";
  update_option("vodia_call_settings", array("server" => "wss://pbx.example.com/ws", "domain" => "pbx.example.com",
    "extension" => "40", "password" => "zip-check-Qm7vT2xLp9sRk4Wn8Yb3"));
  wp_insert_post(array("post_title" => "Zip", "post_name" => "zip", "post_status" => "publish", "post_author" => 1,
    "post_content" => "<!-- wp:vodia-call/click-to-call {\"number\":\"100\",\"label\":\"Block\"} /-->\n[vodia_call number=\"101\"]Shortcode[/vodia_call]"));
' "$site"

page=$(curl -fsS "$url/zip/") || fail "post did not render"
grep -q 'data-vodia-call="100"' <<<"$page" || fail "block link missing"
grep -q 'data-vodia-call="101"' <<<"$page" || fail "shortcode link missing"
grep -Eq "<script[^>]+vodia-click-to-call/assets/dist/vodia-call\.js[^>]*defer" <<<"$page" || fail "binder not enqueued deferred"
loc=$(curl -fsS -o /dev/null -w '%{redirect_url}' "$url/?vodia_call_popup=1&destnumber=100") || fail "popup page"
grep -q 'pass=' <<<"$loc" || fail "popup did not sign: $loc"
popup=$(curl -fsS "$loc") || fail "signed popup page"
grep -q 'window.vodiaCallConfig' <<<"$popup" || fail "popup config missing"
! grep -q 'zip-check-Qm7vT2xLp9sRk4Wn8Yb3' <<<"$popup$page" || fail "password leaked"
code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{}' "$url/wp-json/vodia-call/v1/authorize")
[ "$code" = 400 ] || fail "authorize endpoint answered $code"
curl -fsS -o /dev/null "$url/wp-content/plugins/vodia-click-to-call/assets/dist/makecall.js" || fail "makecall.js not served"
curl -fsS -o /dev/null "$url/wp-content/plugins/vodia-click-to-call/assets/dist/i18n/de.json" || fail "the popup's German catalogue not served"

# The admin: log in, open the settings page and the block editor's script list.
admin_pass=$(php -r 'echo json_decode(file_get_contents($argv[1]))->admin->password;' "$VODIA_WP_RUN_DIR/site.json")
jar=$(mktemp); trap 'rm -f "$jar"; bash "$here/wp-stack.sh" stop >/dev/null 2>&1 || true' EXIT INT TERM
curl -fsS -c "$jar" -b "wordpress_test_cookie=WP%20Cookie%20check" -o /dev/null \
  --data-urlencode "log=admin" --data-urlencode "pwd=$admin_pass" --data-urlencode "testcookie=1" "$url/wp-login.php"
settings=$(curl -fsS -b "$jar" "$url/wp-admin/options-general.php?page=vodia-click-to-call") || fail "settings page"
grep -q 'name="vodia_call_settings\[password\]" value=""' <<<"$settings" || fail "settings form"
! grep -q 'zip-check-Qm7vT2xLp9sRk4Wn8Yb3' <<<"$settings" || fail "password on the settings page"
editor=$(curl -fsS -b "$jar" "$url/wp-admin/post-new.php") || fail "editor"
grep -q 'vodia-click-to-call/build/click-to-call/index.js' <<<"$editor" || fail "block editor script not loaded"

if [ -s "$VODIA_WP_RUN_DIR/debug.log" ]; then
  cat "$VODIA_WP_RUN_DIR/debug.log" >&2
  grep -q "plugins/vodia-click-to-call/" "$VODIA_WP_RUN_DIR/debug.log" && fail "PHP notices from the plugin"
fi
say "zip check passed: installed from dist/vodia-click-to-call.zip into WordPress $(php -r 'echo json_decode(file_get_contents($argv[1]))->version;' "$VODIA_WP_RUN_DIR/site.json")"
