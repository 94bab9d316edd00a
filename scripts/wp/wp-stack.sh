#!/usr/bin/env bash
# A real WordPress 6.8 on loopback for the plugin's tests and the demo: MariaDB on a private socket
# (--skip-networking), `php -S` with a router script, the plugin linked in and activated.
#
#   scripts/wp/wp-stack.sh start    fresh database, install, print site.json on stdout
#   scripts/wp/wp-stack.sh stop     stop everything this script started (process groups from pid files)
#   scripts/wp/wp-stack.sh status   exit 0 when both services answer
#   scripts/wp/wp-stack.sh run CMD  start, run CMD (VODIA_WP_URL, VODIA_WP_DIR, VODIA_WP_SITE_JSON set), stop
#
# Environment:
#   VODIA_WP_PORT        port (default: the first free one from 18080)
#   VODIA_WP_RUN_DIR     state folder (default .run/wp, git-ignored): site, database, logs, site.json
#   VODIA_WP_PLUGIN_ZIP  install the plugin from this zip (as a site owner would) instead of linking wp-plugin/
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/common.sh
. "$repo/scripts/lib/common.sh"

run_dir=${VODIA_WP_RUN_DIR:-$repo/.run/wp}
site="$run_dir/site"
db_dir="$run_dir/db"
sock="$run_dir/mysqld.sock"
db_pid="$run_dir/mysqld.pid"      # mariadbd's own pid file
db_pgid="$run_dir/mysqld.pgid"    # the setsid group we stop
php_pgid="$run_dir/php.pgid"
site_json="$run_dir/site.json"

ensure_tools() {
  ensure_debian_packages php-cli php-mysql php-xml php-mbstring php-curl php-intl mariadb-server mariadb-client iproute2 util-linux
}

# stop_group FILE: TERM the process group recorded in FILE, wait up to 10 s, then KILL; remove FILE.
stop_group() {
  local f=$1 g i
  [ -f "$f" ] || return 0
  g=$(cat "$f")
  if [ -n "$g" ] && kill -0 -- "-$g" 2>/dev/null; then
    kill -TERM -- "-$g" 2>/dev/null || true
    for i in $(seq 1 100); do kill -0 -- "-$g" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$g" 2>/dev/null || true
  fi
  rm -f "$f"
}

do_stop() {
  stop_group "$php_pgid"
  stop_group "$db_pgid"
  rm -f "$sock" "$db_pid"
}

db_ready() { mariadb-admin --no-defaults --socket="$sock" -uroot ping >/dev/null 2>&1; }

do_status() {
  local ok=0 url
  if [ -f "$db_pgid" ] && db_ready; then echo "mariadb: up ($sock)"; else echo "mariadb: down"; ok=1; fi
  if [ -f "$site_json" ] && [ -f "$php_pgid" ]; then
    url=$(php -r 'echo json_decode(file_get_contents($argv[1]))->url;' "$site_json")
    if curl -fsS -o /dev/null "$url/wp-login.php"; then echo "wordpress: up ($url)"; else echo "wordpress: down"; ok=1; fi
  else
    echo "wordpress: down"; ok=1
  fi
  return $ok
}

do_start() {
  ensure_tools
  do_stop
  local wp port url t0 db_pass
  t0=$(date +%s%N)
  wp=$(bash "$here/fetch-wordpress.sh")
  port=${VODIA_WP_PORT:-$(free_port 18080)}
  url="http://127.0.0.1:$port"
  mkdir -p "$run_dir"

  # Site files: hard links into the cache (fast, costs no space); only new files are written here.
  rm -rf "$site" "$run_dir/debug.log"
  cp -al "$wp" "$site"
  if [ -n "${VODIA_WP_PLUGIN_ZIP:-}" ]; then
    ensure_debian_packages unzip
    unzip -q "$VODIA_WP_PLUGIN_ZIP" -d "$site/wp-content/plugins/"
  else
    ln -sfn "$repo/wp-plugin" "$site/wp-content/plugins/vodia-click-to-call"
  fi
  mkdir -p "$site/wp-content/uploads" "$site/wp-content/mu-plugins"
  cp "$here/mu-offline.php" "$site/wp-content/mu-plugins/vodia-test-offline.php"

  # MariaDB: a fresh private instance. Under root it must run as a user that owns the data dir: root.
  rm -rf "$db_dir"
  mkdir -p "$db_dir"
  local as_user; as_user=$(id -un)
  mariadb-install-db --no-defaults --user="$as_user" --datadir="$db_dir" --auth-root-authentication-method=socket \
    --skip-test-db --skip-name-resolve >"$run_dir/mariadb-install.log" 2>&1 \
    || { cat "$run_dir/mariadb-install.log" >&2; say "mariadb-install-db failed"; return 1; }
  setsid mariadbd --no-defaults --user="$as_user" --datadir="$db_dir" --socket="$sock" --pid-file="$db_pid" \
    --skip-networking --skip-name-resolve --log-error="$run_dir/mariadb.log" \
    --innodb-buffer-pool-size=32M --innodb-log-file-size=16M --skip-log-bin </dev/null >/dev/null 2>&1 &
  echo $! > "$db_pgid"
  local i
  for i in $(seq 1 150); do db_ready && break; sleep 0.1; done
  db_ready || { tail -n 20 "$run_dir/mariadb.log" >&2; say "mariadb did not start"; do_stop; return 1; }
  db_pass=$(php -r 'echo bin2hex(random_bytes(12));')
  mariadb --no-defaults --socket="$sock" -uroot <<SQL
CREATE DATABASE wordpress CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER 'wp'@'localhost' IDENTIFIED BY '$db_pass';
GRANT ALL ON wordpress.* TO 'wp'@'localhost';
SQL

  # wp-config.php: fresh salts per site; no outside HTTP (this machine has no internet and WordPress
  # would wait on update checks); no WP-Cron loopback requests; errors logged, not displayed.
  php "$here/write-config.php" "$site/wp-config.php" "$url" "$sock" "$db_pass" "$run_dir/debug.log"

  php "$here/install-site.php" "$site" "$url" "$site_json" >&2

  # PHP's built-in server with a few workers, in its own process group so stop takes the workers too.
  PHP_CLI_SERVER_WORKERS=4 setsid php -S "127.0.0.1:$port" -t "$site" "$here/router.php" \
    </dev/null >"$run_dir/php-server.log" 2>&1 &
  echo $! > "$php_pgid"
  for i in $(seq 1 100); do curl -fsS -o /dev/null "$url/wp-login.php" 2>/dev/null && break; sleep 0.1; done
  curl -fsS -o /dev/null "$url/wp-login.php" || { tail -n 20 "$run_dir/php-server.log" >&2; say "php -S did not answer"; do_stop; return 1; }
  say "WordPress up at $url in $(( ($(date +%s%N) - t0) / 1000000 )) ms (admin login in $site_json)"
  cat "$site_json"
}

case "${1:-}" in
  start) do_start ;;
  stop) do_stop; say "WordPress stack stopped" ;;
  status) do_status ;;
  run)
    shift
    [ $# -gt 0 ] || { echo "usage: $0 run CMD [ARGS...]" >&2; exit 2; }
    trap do_stop EXIT INT TERM
    do_start >/dev/null
    VODIA_WP_SITE_JSON="$site_json" VODIA_WP_DIR="$site" \
      VODIA_WP_URL=$(php -r 'echo json_decode(file_get_contents($argv[1]))->url;' "$site_json") "$@"
    ;;
  *) echo "usage: $0 start|stop|status|run CMD..." >&2; exit 2 ;;
esac
