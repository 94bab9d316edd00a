#!/usr/bin/env bash
# Builds the plugin's block with @wordpress/scripts: wp-plugin/blocks/ -> wp-plugin/build/ (git-ignored).
# Fails if the built block needs the react-jsx-runtime script (WordPress registers it only from 6.6, the
# plugin supports 6.5).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/common.sh
. "$repo/scripts/lib/common.sh"

cd "$repo"
if [ ! -x node_modules/.bin/wp-scripts ]; then
  ensure_npm_packages
fi
[ -x node_modules/.bin/wp-scripts ] || { say "node_modules/.bin/wp-scripts is missing: add @wordpress/scripts to devDependencies"; exit 1; }

# The block imports the shared rules the main build writes from src/core/shared-rules.ts.
[ -f wp-plugin/blocks/click-to-call/shared-rules.json ] || { say "wp-plugin/blocks/click-to-call/shared-rules.json is missing: run the main build (npm run build) first"; exit 1; }
rm -rf wp-plugin/build
say "building the block (wp-scripts)"
node_modules/.bin/wp-scripts build --webpack-src-dir=wp-plugin/blocks --output-path=wp-plugin/build >&2

asset=wp-plugin/build/click-to-call/index.asset.php
[ -f "$asset" ] && [ -f wp-plugin/build/click-to-call/block.json ] || { say "block build produced no $asset"; exit 1; }
[ -f wp-plugin/build/click-to-call/render.php ] || { say "block build did not copy render.php (block.json \"render\")"; exit 1; }
if grep -q "react-jsx-runtime" "$asset"; then
  say "the block depends on react-jsx-runtime (WordPress 6.6+); write it without JSX or raise 'Requires at least'"
  exit 1
fi
say "block built: $(tr -d '\n' < "$asset")"
