#!/usr/bin/env bash
# Fetches WordPress 6.8 from Debian trixie's `wordpress` package into .run/wp-cache/wordpress without touching
# the system's apt state (bookworm's package is 6.1, too old for our block). Prints the folder on stdout.
# A second run finds the cache and costs nothing.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/common.sh
. "$repo/scripts/lib/common.sh"

cache="$repo/.run/wp-cache"
target="$cache/wordpress"
if [ -f "$target/wp-includes/version.php" ]; then
  echo "$target"
  exit 0
fi

ensure_debian_packages apt dpkg ca-certificates
mkdir -p "$cache"
state="$cache/apt-state"
rm -rf "$state"
mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$state/etc/sources.list.d" "$state/etc/preferences.d"

# Reuse the mirror this machine is already configured with, only switching the suite to trixie.
mirror=$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
if [ -z "$mirror" ]; then
  mirror=$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}
cat > "$state/etc/sources.list.d/trixie.sources" <<SRC
Types: deb
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
: > "$state/etc/sources.list"

apt_opts=(
  -o "Dir::State=$state"
  -o "Dir::State::status=$state/status"
  -o "Dir::Cache=$state/cache"
  -o "Dir::Etc::sourcelist=$state/etc/sources.list"
  -o "Dir::Etc::sourceparts=$state/etc/sources.list.d"
  -o "Dir::Etc::preferencesparts=$state/etc/preferences.d"
  -o "APT::Get::List-Cleanup=0"
  -o "Debug::NoLocking=1"
  -o "APT::Sandbox::User=root"
)
: > "$state/status"
say "fetching WordPress from Debian trixie ($mirror)"
apt-get "${apt_opts[@]}" -qq update >&2
(cd "$cache" && apt-get "${apt_opts[@]}" -qq download wordpress >&2)
deb=$(ls -t "$cache"/wordpress_*.deb | head -n1)

# Unpack, then resolve the package's symlinks into /usr/share/{javascript,php}: those targets come from other
# packages that are not installed here, so fetch and unpack them too and copy their files in (cp -rL).
extract="$cache/extract"
rm -rf "$extract"
mkdir -p "$extract"
dpkg-deb -x "$deb" "$extract"
src="$extract/usr/share/wordpress"

# The dangling link targets belong to the package's libjs-*/php-getid3 dependencies; fetch and unpack them
# beside it. Debian ships the themes apart: take Twenty Twenty-Five (a block theme) so posts render.
deps=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed -E 's/\(.*\)//; s/\|.*//; s/ //g' | grep -E '^(libjs-|php-getid3)' || true)
for d in $deps wordpress-theme-twentytwentyfive; do
  (cd "$cache" && apt-get "${apt_opts[@]}" -qq download "$d" >&2)
done
for other in "$cache"/*.deb; do
  [ "$other" = "$deb" ] && continue
  dpkg-deb -x "$other" "$extract"
done

# Point absolute links at the unpacked tree, then copy with links dereferenced.
while IFS= read -r link; do
  t=$(readlink "$link")
  case "$t" in
    /*) if [ -e "$extract$t" ]; then ln -sfn "$extract$t" "$link"; fi ;;
  esac
done < <(find "$extract" -type l)
rm -rf "$target.tmp"
cp -rL "$src" "$target.tmp" 2>/dev/null || cp -r "$src" "$target.tmp"
# Debian's wp-config.php reads /etc/wordpress; the stack writes its own, so drop Debian's.
rm -f "$target.tmp/wp-config.php"
dangling=$(find "$target.tmp" -xtype l | head -n5)
[ -z "$dangling" ] || say "warning: dangling links left: $dangling"
mv "$target.tmp" "$target"
rm -rf "$extract"
say "WordPress $(php -r "include '$target/wp-includes/version.php'; echo \$wp_version;") in $target"
echo "$target"
