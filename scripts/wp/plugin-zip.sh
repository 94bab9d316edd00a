#!/usr/bin/env bash
# Packs the plugin as dist/vodia-click-to-call.zip, installable through Plugins → Add New → Upload:
# one top folder `vodia-click-to-call/` with the PHP, readme, translations, the built block and the
# popup/binder assets; no sources for tools (blocks/ sources stay in; they are small and GPL asks for them),
# no tests, no dev configuration.
# Needs the block built (scripts/wp/build-block.sh, run here if missing) and the assets copied by the main
# build into wp-plugin/assets/dist/ (`npm run build`).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/common.sh
. "$repo/scripts/lib/common.sh"
cd "$repo"
ensure_debian_packages zip

[ -f wp-plugin/build/click-to-call/block.json ] || bash "$here/build-block.sh"
for f in assets/dist/vodia-call.js assets/dist/makecall.js assets/dist/connection-check.js assets/dist/makecall.css assets/dist/i18n/de.json generated/shared-rules.php; do
  [ -f "wp-plugin/$f" ] || { say "wp-plugin/$f is missing: run the main build (npm run build) first"; exit 1; }
done

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
dest="$stage/vodia-click-to-call"
mkdir -p "$dest"
# An explicit list of what ships, so nothing from a developer's checkout slips in.
cp -r wp-plugin/vodia-click-to-call.php wp-plugin/uninstall.php wp-plugin/readme.txt wp-plugin/includes \
  wp-plugin/generated wp-plugin/languages wp-plugin/build wp-plugin/blocks "$dest/"
mkdir -p "$dest/assets/dist"
cp -r wp-plugin/assets/dist/vodia-call.js wp-plugin/assets/dist/makecall.js wp-plugin/assets/dist/connection-check.js wp-plugin/assets/dist/makecall.css \
  wp-plugin/assets/dist/i18n "$dest/assets/dist/"
[ -f wp-plugin/README-cache.md ] && cp wp-plugin/README-cache.md "$dest/"

mkdir -p dist
rm -f dist/vodia-click-to-call.zip
(cd "$stage" && zip -qr -X "$repo/dist/vodia-click-to-call.zip" vodia-click-to-call)
say "dist/vodia-click-to-call.zip: $(du -h dist/vodia-click-to-call.zip | cut -f1), $(unzip -l dist/vodia-click-to-call.zip | tail -n1 | awk '{print $2}') files"
