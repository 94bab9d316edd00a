#!/usr/bin/env bash
# npm run release: the two downloads of a release, in release/ (git-ignored), each named with the version:
#   vodia-click-to-call-static-VERSION.zip   the binder and the popup for any web site, to upload as they are
#   vodia-click-to-call-VERSION.zip          the WordPress plugin (scripts/wp/plugin-zip.sh)
# The npm package is `npm pack` / `npm publish` (package.json "files"; prepack builds).
#   VODIA_RELEASE_DIR=/path    write there instead of release/
#   VODIA_RELEASE_NO_BUILD=1   use the current build (the package test, after npm test's build)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
ensure_debian_packages zip unzip

version=$(node -p 'require("./package.json").version')
out=${VODIA_RELEASE_DIR:-$PWD/release}
if [ "${VODIA_RELEASE_NO_BUILD:-0}" != 1 ]; then
  say "building $version"
  node build.mjs --quiet
fi

say "the WordPress plugin"
bash scripts/wp/plugin-zip.sh
mkdir -p "$out"
cp dist/vodia-click-to-call.zip "$out/vodia-click-to-call-$version.zip"

say "the static-site files"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
top="$stage/vodia-click-to-call-static-$version"
mkdir -p "$top/call"
cp -r dist/vodia-call.js dist/makecall.html dist/makecall.js dist/connection-check.js dist/makecall.css dist/makecall.config.example.json dist/i18n "$top/call/"
# A configuration to edit, beside the page that reads it.
cp dist/makecall.config.example.json "$top/call/makecall.config.json"
cp LICENSE "$top/"
cat >"$top/INSTALL.txt" <<EOF
Vodia Click-to-Call $version: call links for any web site
==========================================================

1. Upload the folder call/ to your web site, for example as https://www.example.com/call/.

2. Edit call/makecall.config.json: "server" is your PBX's WebSocket URL (wss://...), "domain" its SIP
   domain; the other keys are optional (ICE/TURN servers, keypad mode, ...). The README's section
   "makecall.config.json" explains every key: https://www.npmjs.com/package/vodia-click-to-call
   (makecall.config.example.json is a copy to keep.)

3. On each page with call links, load the binder once and mark the links:

   <script src="/call/vodia-call.js" data-popup-url="/call/makecall.html" defer></script>
   <a href="#" data-vodia-call="1234567890">John Smith</a>

   A click opens the call window (call/makecall.html), which asks for the extension and password once
   and places the call from the visitor's browser.

4. Test the connection: open https://www.example.com/call/makecall.html?check

Files in call/: vodia-call.js (the binder, about 3 KB gzipped), makecall.html, makecall.js and
makecall.css (the call window), connection-check.js (the connection test, loaded only by makecall.html?check), i18n/ (the call window's languages but English, each loaded only when
needed). Licence: GPL-2.0-or-later (LICENSE).
EOF
rm -f "$out/vodia-click-to-call-static-$version.zip"
(cd "$stage" && zip -qr -X "$out/vodia-click-to-call-static-$version.zip" "vodia-click-to-call-static-$version")

for z in "vodia-click-to-call-static-$version.zip" "vodia-click-to-call-$version.zip"; do
  say "$out/$z: $(du -h "$out/$z" | cut -f1), $(unzip -l "$out/$z" | tail -n1 | awk '{print $2}') files"
done
