# Shared shell helpers for the project's scripts. Source it; it defines functions only.

# say MESSAGE: progress lines go to stderr so scripts can print machine-readable output on stdout.
say() { printf '\033[1m[vodia-call]\033[0m %s\n' "$*" >&2; }

# ensure_debian_packages PKG...: installs the missing ones when root, else prints the exact line and fails.
# Idempotent: a package already installed costs one dpkg-query.
ensure_debian_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "missing Debian packages; run as root: apt-get install -y --no-install-recommends ${missing[*]}"
    return 1
  fi
  say "installing Debian packages: ${missing[*]}"
  # apt-get update once per boot of this machine: a fresh machine's lists may be empty or old.
  local stamp=/tmp/.vodia-call-apt-updated
  if [ ! -f "$stamp" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq -o DPkg::Lock::Timeout=600 >&2 || return 1
    touch "$stamp"
  fi
  # Another install (a parallel suite, unattended upgrades) may hold the dpkg lock: wait for it.
  # policy-rc.d: daemons we install (nginx, coturn) must not start system-wide; our scripts start their own.
  local policy=/usr/sbin/policy-rc.d made_policy=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}" >&2
  local rc=$?
  [ "$made_policy" = 1 ] && rm -f "$policy"
  return $rc
}

# ensure_npm_packages: npm ci/install only when node_modules is missing or older than the lock file.
ensure_npm_packages() {
  local top; top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  if [ ! -d "$top/node_modules" ] || [ "$top/package-lock.json" -nt "$top/node_modules/.package-lock.json" ]; then
    say "installing npm packages"
    (cd "$top" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >&2)
  fi
}

# free_port START: prints the first TCP+UDP port from START up that nobody listens on.
free_port() {
  local p=$1
  while ss -Htanu "( sport = :$p )" 2>/dev/null | grep -q .; do p=$((p + 1)); done
  echo "$p"
}
