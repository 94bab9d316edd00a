#!/usr/bin/env bash
# Network lab: Linux network namespaces that model where visitors really are, for tests to bring up and down.
#
#   visitor (198.51.100.10) --lan-- router (198.51.100.1 | NAT | 203.0.113.2) --wan-- inet (203.0.113.0/24)
#                                    firewall modes                                  PBX .10, TURN .20, web .30
#
#   scripts/lab/lab.sh up                 start (cleans a lab left in the run folder first), print lab.json
#   scripts/lab/lab.sh down               stop what up started (by pid), delete the namespaces; logs stay
#   scripts/lab/lab.sh status             what runs; exit 0 all up, 3 nothing, 1 partly
#   scripts/lab/lab.sh exec NS CMD...     run CMD in namespace NS (visitor, router or inet)
#   scripts/lab/lab.sh firewall MODE      the router's firewall: open | udp-blocked | tcp443-only | offline
#   scripts/lab/lab.sh counters           the router's firewall rules with packet counters
#
# Only documentation addresses, and only inside the lab's namespaces: 203.0.113.0/24 is "the internet",
# 198.51.100.0/24 the visitor's LAN. (192.0.2.0/24 is not used: on this kind of machine the root namespace's own
# uplink may sit in it.) The root namespace gets no address, route or interface of the lab: the namespaces
# are linked to each other only (the veth pairs are made inside them), so nothing reaches this machine's
# network, let alone leaves it. IPv6 is off in the lab (no link-local addresses either).
#
# In the inet namespace:
#   203.0.113.10  reference PBX (scripts/pbx/pbx-stack.sh, run folder RUN/pbx; control hub on RUN/pbx/ctrl.sock)
#   203.0.113.20  coturn: UDP 3478, TCP 443 and TLS 443 (one process; see the note at start_coturn), TURN REST
#                 shared secret (lab.json turn.secret)
#   203.0.113.30  nginx: https on 443, static files of RUN/www, /ws proxied to the PBX's plain ws port
#
# Firewall modes (router, LAN -> WAN; the mode is judged on both directions of every flow, so a mode set
# mid-call also stops the return traffic of flows it forbids; return traffic of allowed flows always passes;
# nothing from the WAN starts a flow into the LAN):
#   open          everything
#   udp-blocked   no UDP at all; TCP passes
#   tcp443-only   only TCP to port 443
#   offline       nothing (the visitor's network is gone)
#
# Environment:
#   VODIA_LAB_RUN_DIR        run folder (default .run/lab): lab.json, configs, pids, logs, www, pbx/
#   VODIA_LAB_PROXY_IDLE_S   nginx's WebSocket idle timeout towards the PBX, seconds (default 20)
#   VODIA_LAB_ID             namespace name tag (default: random); namespaces are vlab-ID-inet|router|visitor
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
# shellcheck source=../lib/common.sh
. "$TOP/scripts/lib/common.sh"

RUN_DIR=${VODIA_LAB_RUN_DIR:-$TOP/.run/lab}
mkdir -p "$RUN_DIR"
RUN_DIR=$(cd "$RUN_DIR" && pwd)
IDLE_S=${VODIA_LAB_PROXY_IDLE_S:-20}

INET_GW=203.0.113.1 ROUTER_WAN=203.0.113.2 ROUTER_LAN=198.51.100.1 VISITOR=198.51.100.10
PBX=203.0.113.10 TURN=203.0.113.20 WEB=203.0.113.30
TURN_REALM=lab.vodia.test
# Host names for the lab's servers (a reserved test domain), in the visitor's hosts file and their certificates.
LAB_DOMAIN=vodia-lab.test
MODES=(open udp-blocked tcp443-only offline)

# The PBX stack's Debian packages: installed here, because inside the lab's namespaces there is no network.
PBX_PACKAGES=(kamailio kamailio-websocket-modules kamailio-tls-modules kamailio-utils-modules rtpengine-daemon
  baresip-core openssl sox iproute2)
LAB_PACKAGES=(iproute2 iptables coturn nginx openssl procps)

ns_names() { # sets NS_INET NS_ROUTER NS_VISITOR from the id in the run folder; fails when there is none
  [ -s "$RUN_DIR/lab.id" ] || return 1
  local id; id=$(<"$RUN_DIR/lab.id")
  [[ $id =~ ^[a-z0-9]{1,12}$ ]] || { say "bad lab id in $RUN_DIR/lab.id: '$id'"; return 1; }
  LAB_ID=$id NS_INET=vlab-$id-inet NS_ROUTER=vlab-$id-router NS_VISITOR=vlab-$id-visitor
}
ns_exists() { [ -e "/run/netns/$1" ]; }
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

running() {
  local st
  st=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}
# alive NAME COMM: the pid file names a running process of that program
alive() {
  local f="$RUN_DIR/pids/$1.pid" pid
  [ -s "$f" ] || return 1
  pid=$(<"$f")
  running "$pid" && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ]
}
stop_pid_file() { # stop_pid_file NAME COMM: TERM, KILL after 3 s; by pid only
  local name=$1 comm=$2 f="$RUN_DIR/pids/$1.pid" pid i
  if alive "$name" "$comm"; then
    pid=$(<"$f")
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 150); do running "$pid" || break; sleep 0.02; done
    running "$pid" && { say "$name (pid $pid) did not stop in 3 s; killing it"; kill -KILL "$pid" 2>/dev/null || true; }
  fi
  rm -f "$f"
}

# wait_listen NS tcp|udp ADDR:PORT PID SECONDS
wait_listen() {
  local ns=$1 proto=$2 where=$3 pid=$4 tries=$(( $5 * 50 )) flag=-Hltn
  [ "$proto" = udp ] && flag=-Hlun
  while [ "$tries" -gt 0 ]; do
    in_ns "$ns" ss $flag "( sport = :${where##*:} )" 2>/dev/null | grep -F " ${where} " >/dev/null && return 0
    running "$pid" || return 1
    sleep 0.02
    tries=$((tries - 1))
  done
  return 1
}

# ---------- firewall ----------

fw_rules() { # the two chains for a mode, in iptables-restore form
  echo ':LAB_OUT - [0:0]'
  echo ':LAB_IN - [0:0]'
  case $1 in
    open)
      echo '-A LAB_OUT -j ACCEPT'
      echo '-A LAB_IN -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT' ;;
    udp-blocked)
      echo '-A LAB_OUT -p udp -j DROP'
      echo '-A LAB_OUT -j ACCEPT'
      echo '-A LAB_IN -p udp -j DROP'
      echo '-A LAB_IN -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT' ;;
    tcp443-only)
      echo '-A LAB_OUT -p tcp --dport 443 -j ACCEPT'
      echo '-A LAB_OUT -j DROP'
      echo '-A LAB_IN -p tcp --sport 443 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT'
      echo '-A LAB_IN -p icmp -m conntrack --ctstate RELATED -j ACCEPT' ;;
    offline)
      echo '-A LAB_OUT -j DROP' ;;
  esac
}

set_firewall() { # set_firewall MODE: both chains replaced in one atomic iptables-restore
  local mode=$1 m ok=0
  for m in "${MODES[@]}"; do [ "$m" = "$mode" ] && ok=1; done
  [ "$ok" = 1 ] || { say "unknown firewall mode '$mode'; one of: ${MODES[*]}"; return 2; }
  # history for a failed test's logs: the counters of the mode being left (replacing the chains zeroes them)
  if [ -s "$RUN_DIR/firewall.mode" ]; then
    { echo "=== $(date +%T.%3N) $(<"$RUN_DIR/firewall.mode") -> $mode; counters of $(<"$RUN_DIR/firewall.mode"):"
      in_ns "$NS_ROUTER" iptables -L LAB_OUT -v -n -x; in_ns "$NS_ROUTER" iptables -L LAB_IN -v -n -x
    } >>"$RUN_DIR/logs/firewall.log" 2>&1 || true
  else
    echo "=== $(date +%T.%3N) $mode" >>"$RUN_DIR/logs/firewall.log"
  fi
  { echo '*filter'; fw_rules "$mode"; echo 'COMMIT'; } | in_ns "$NS_ROUTER" iptables-restore --noflush
  echo "$mode" >"$RUN_DIR/firewall.mode"
}

setup_router_firewall() {
  in_ns "$NS_ROUTER" iptables-restore <<'RULES'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -o wan0 -j MASQUERADE
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:LAB_OUT - [0:0]
:LAB_IN - [0:0]
-A FORWARD -i lan0 -o wan0 -j LAB_OUT
-A FORWARD -i wan0 -o lan0 -j LAB_IN
COMMIT
RULES
  set_firewall open
}

# ---------- namespaces ----------

make_namespaces() {
  local ns
  for ns in "$NS_INET" "$NS_ROUTER" "$NS_VISITOR"; do
    ip netns add "$ns"
    in_ns "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 2>/dev/null || true
    ip -n "$ns" link set lo up
  done
  # veth pairs made inside the namespaces: no interface of the lab ever exists in the root namespace
  ip -n "$NS_ROUTER" link add wan0 type veth peer name eth0 netns "$NS_INET"
  ip -n "$NS_ROUTER" link add lan0 type veth peer name eth0 netns "$NS_VISITOR"
  for ns in "$NS_INET" "$NS_ROUTER" "$NS_VISITOR"; do   # again: "all" also reaches the interfaces made since
    in_ns "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 2>/dev/null || true
  done

  ip -n "$NS_INET" addr add "$INET_GW/24" dev eth0
  local a
  for a in "$PBX" "$TURN" "$WEB"; do ip -n "$NS_INET" addr add "$a/24" dev eth0; done
  ip -n "$NS_INET" link set eth0 up

  ip -n "$NS_ROUTER" addr add "$ROUTER_WAN/24" dev wan0
  ip -n "$NS_ROUTER" addr add "$ROUTER_LAN/24" dev lan0
  ip -n "$NS_ROUTER" link set wan0 up
  ip -n "$NS_ROUTER" link set lan0 up
  ip -n "$NS_ROUTER" route add default via "$INET_GW"
  in_ns "$NS_ROUTER" sysctl -qw net.ipv4.ip_forward=1

  ip -n "$NS_VISITOR" addr add "$VISITOR/24" dev eth0
  ip -n "$NS_VISITOR" link set eth0 up
  ip -n "$NS_VISITOR" route add default via "$ROUTER_LAN"

  # A resolver that answers at once (nothing listens there): a lookup in the visitor fails fast, not after
  # timeouts towards this machine's resolver. `ip netns exec` mounts this file over /etc/resolv.conf.
  mkdir -p "/etc/netns/$NS_VISITOR"
  echo 'nameserver 127.0.0.1' >"/etc/netns/$NS_VISITOR/resolv.conf"
  printf '127.0.0.1 localhost\n%s turn.%s\n%s web.%s\n' "$TURN" "$LAB_DOMAIN" "$WEB" "$LAB_DOMAIN" >"/etc/netns/$NS_VISITOR/hosts"

  setup_router_firewall
}

# ---------- certificates ----------

make_certs() { # a lab CA, and certificates for the web server and the TURN server signed by it
  local d="$RUN_DIR/tls" ok=1
  mkdir -p "$d"
  {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj "/CN=Vodia lab CA $LAB_ID" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
      -keyout "$d/ca.key" -out "$d/ca.pem" &&
    for name in web turn; do
      local ip=$WEB; [ "$name" = turn ] && ip=$TURN
      openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$ip" \
        -keyout "$d/$name.key" -out "$d/$name.csr" &&
      # A name too: Firefox tries TURN over TLS only with a host name (resolved by the visitor's hosts file).
      printf 'subjectAltName=IP:%s,DNS:%s.%s\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' "$ip" "$name" "$LAB_DOMAIN" >"$d/$name.ext" &&
      openssl x509 -req -in "$d/$name.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -days 30 \
        -extfile "$d/$name.ext" -out "$d/$name.pem" || { ok=0; break; }
    done
  } 2>"$RUN_DIR/logs/openssl.log" || ok=0
  [ "$ok" = 1 ] || { cat "$RUN_DIR/logs/openssl.log" >&2; return 1; }
}
spki() { # base64 sha256 of a certificate's public key (Chromium's --ignore-certificate-errors-spki-list)
  openssl x509 -in "$1" -noout -pubkey | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64
}

# ---------- services ----------

launch() { # launch NAME NS LOG CMD...: detached in its own session inside NS; the pid is the program's own
  local name=$1 ns=$2 log=$3
  shift 3
  ip netns exec "$ns" setsid "$@" </dev/null >"$log" 2>&1 &
  echo $! >"$RUN_DIR/pids/$name.pid"
}

start_pbx() {
  local out
  out=$(in_ns "$NS_INET" env VODIA_PBX_RUN_DIR="$RUN_DIR/pbx" VODIA_PBX_ADDR=$PBX \
    VODIA_PBX_CTRL_SOCKET="$RUN_DIR/pbx/ctrl.sock" VODIA_PBX_PORT_BASE=15060 \
    bash "$TOP/scripts/pbx/pbx-stack.sh" start 2>>"$RUN_DIR/logs/pbx-stack.log") || return 1
  [ -s "$RUN_DIR/pbx/stack.json" ] || return 1
  PBX_WS_PORT=$(node -e 'console.log(new URL(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).ws).port)' "$RUN_DIR/pbx/stack.json")
  [ -n "$out" ]
}

# coturn: one process serves plain TCP and TLS on the same port. Tried (coturn 4.6.1, Debian 12): with
# listening-port=3478 and tls-listening-port=443, an Allocate works over UDP 3478, TCP 443, TLS 443 (and TCP
# and TLS on 3478, UDP on 443): coturn tells TLS from plain STUN by the first bytes on every TCP listener.
# So no second address (.21) or second process is needed.
start_coturn() {
  mkdir -p "$RUN_DIR/coturn"
  rm -f "$RUN_DIR/coturn/turndb"
  cat >"$RUN_DIR/coturn/turnserver.conf" <<CONF
# generated by scripts/lab/lab.sh
listening-ip=$TURN
relay-ip=$TURN
listening-port=3478
tls-listening-port=443
min-port=49152
max-port=65535
use-auth-secret
static-auth-secret=$TURN_SECRET
realm=$TURN_REALM
cert=$RUN_DIR/tls/turn.pem
pkey=$RUN_DIR/tls/turn.key
no-tlsv1
no-tlsv1_1
fingerprint
no-rfc5780
no-cli
# relay only inside the lab's internet (the PBX, 203.0.113.10, among it); nothing else
denied-peer-ip=0.0.0.0-255.255.255.255
allowed-peer-ip=203.0.113.0-203.0.113.255
userdb=$RUN_DIR/coturn/turndb
pidfile=$RUN_DIR/pids/coturn.daemon.pid
log-file=$RUN_DIR/logs/coturn.log
simple-log
no-stdout-log
verbose
CONF
  rm -f "$RUN_DIR/logs/coturn.log"
  launch coturn "$NS_INET" "$RUN_DIR/logs/coturn.stdout.log" turnserver -c "$RUN_DIR/coturn/turnserver.conf"
}

# nginx: the lab's own config only (-c, -p, -e: no file of /etc/nginx is read, no system log written).
#
# WebSocket idle timeout, measured (nginx 1.22.1, Kamailio 5.6, proxy_read_timeout = proxy_send_timeout = 6 s,
# 16 s per case; probe.mjs ws-idle, a raw WebSocket client):
#   no traffic either way                          closed by nginx after 6.0 s
#   client sends "\r\n\r\n" every 2 s to Kamailio   Kamailio answers each with "\r\n" (7 of 7); survives
#   client sends every 2 s, upstream never answers survives    (a test upstream that never sends)
#   upstream sends every 2 s, client never sends    survives    (a test upstream that talks)
# So the idle timer of an upgraded connection is reset by traffic in EITHER direction (nginx re-arms both
# read timers whenever either side moves data); client keep-alives alone keep the proxy path open, and with
# Kamailio they also bring a "\r\n" back, as RFC 5626 wants.
start_nginx() {
  local d="$RUN_DIR/nginx"
  mkdir -p "$d/tmp" "$RUN_DIR/www"
  cat >"$d/nginx.conf" <<CONF
# generated by scripts/lab/lab.sh
user root;
worker_processes 1;
pid $RUN_DIR/pids/nginx.daemon.pid;
error_log $RUN_DIR/logs/nginx-error.log info;
events { worker_connections 512; }
http {
  types {
    text/html html htm; text/css css; text/javascript js mjs; application/json json map;
    image/svg+xml svg; image/png png; image/x-icon ico; audio/wav wav; text/plain txt;
  }
  default_type application/octet-stream;
  access_log $RUN_DIR/logs/nginx-access.log;
  client_body_temp_path $d/tmp/body;
  proxy_temp_path $d/tmp/proxy;
  fastcgi_temp_path $d/tmp/fastcgi;
  uwsgi_temp_path $d/tmp/uwsgi;
  scgi_temp_path $d/tmp/scgi;
  sendfile off;
  server_tokens off;

  server {
    listen $WEB:443 ssl;
    server_name $WEB;
    ssl_certificate $RUN_DIR/tls/web.pem;
    ssl_certificate_key $RUN_DIR/tls/web.key;
    root $RUN_DIR/www;

    # SIP over WebSocket to the PBX's plain ws port; the idle timeout is the lab's (see lab.sh)
    location = /ws {
      proxy_pass http://$PBX:$PBX_WS_PORT;
      proxy_http_version 1.1;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection "upgrade";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_read_timeout ${IDLE_S}s;
      proxy_send_timeout ${IDLE_S}s;
      proxy_buffering off;
    }
    # pages and configs that tests rewrite: never from a cache
    location ~ \.(html?|json)\$ {
      add_header Cache-Control "no-store" always;
      etag off;
      if_modified_since off;
    }
    location = / {
      add_header Cache-Control "no-store" always;
    }
  }
}
CONF
  : >"$RUN_DIR/logs/nginx-error.log"
  in_ns "$NS_INET" nginx -t -q -p "$d/" -e "$RUN_DIR/logs/nginx-error.log" -c "$d/nginx.conf" \
    >"$RUN_DIR/logs/nginx-check.log" 2>&1 || { cat "$RUN_DIR/logs/nginx-check.log" >&2; return 1; }
  launch nginx "$NS_INET" "$RUN_DIR/logs/nginx.stdout.log" \
    nginx -p "$d/" -e "$RUN_DIR/logs/nginx-error.log" -c "$d/nginx.conf" -g 'daemon off;'
}

# No nginx or coturn of the system may run (installing the packages must not have started one): those are the
# ones whose pid files the packages' init scripts use. Stopped by that pid, never by name.
stop_system_daemons() {
  local f pid comm
  for f in /run/nginx.pid /run/turnserver.pid /run/turnserver/turnserver.pid /var/run/turnserver.pid; do
    [ -s "$f" ] || continue
    pid=$(<"$f")
    running "$pid" || continue
    comm=$(cat "/proc/$pid/comm" 2>/dev/null || true)
    case $comm in
      nginx|turnserver) say "a system-wide $comm runs (pid $pid, $f); stopping it"; kill -TERM "$pid" 2>/dev/null || true ;;
    esac
  done
}

# ---------- up / down ----------

write_lab_json() {
  local pbx_json; pbx_json=$(<"$RUN_DIR/pbx/stack.json")
  local ex_i ex_r ex_v
  ex_i="[\"ip\", \"netns\", \"exec\", \"$NS_INET\"]"
  ex_r="[\"ip\", \"netns\", \"exec\", \"$NS_ROUTER\"]"
  ex_v="[\"ip\", \"netns\", \"exec\", \"$NS_VISITOR\"]"
  local env_prefix="VODIA_LAB_RUN_DIR='$RUN_DIR' bash '$HERE/lab.sh'"
  cat >"$RUN_DIR/lab.json.tmp" <<JSON
{
  "id": "$LAB_ID",
  "runDir": "$RUN_DIR",
  "labSh": "$HERE/lab.sh",
  "namespaces": { "inet": "$NS_INET", "router": "$NS_ROUTER", "visitor": "$NS_VISITOR" },
  "exec": { "inet": $ex_i, "router": $ex_r, "visitor": $ex_v },
  "addresses": {
    "inetGateway": "$INET_GW", "routerWan": "$ROUTER_WAN", "routerLan": "$ROUTER_LAN", "visitor": "$VISITOR",
    "pbx": "$PBX", "turn": "$TURN", "web": "$WEB"
  },
  "pageBaseUrl": "https://$WEB/",
  "www": "$RUN_DIR/www",
  "ws": {
    "proxied": "wss://$WEB/ws",
    "direct": "ws://$PBX:$PBX_WS_PORT",
    "directTls": "$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).wss)' "$RUN_DIR/pbx/stack.json")",
    "proxyIdleTimeoutS": $IDLE_S
  },
  "turn": {
    "host": "$TURN",
    "realm": "$TURN_REALM",
    "secret": "$TURN_SECRET",
    "urls": {
      "stun": "stun:$TURN:3478",
      "udp": "turn:$TURN:3478?transport=udp",
      "tcp": "turn:$TURN:443?transport=tcp",
      "tls": "turns:$TURN:443?transport=tcp",
      "tlsByName": "turns:turn.$LAB_DOMAIN:443?transport=tcp"
    },
    "ports": { "udp": 3478, "tcp": 443, "tls": 443 },
    "allowedPeers": "203.0.113.0-203.0.113.255"
  },
  "firewall": {
    "modes": ["open", "udp-blocked", "tcp443-only", "offline"],
    "initial": "open",
    "modeFile": "$RUN_DIR/firewall.mode",
    "setCommand": "$env_prefix firewall MODE",
    "countersCommand": ["ip", "netns", "exec", "$NS_ROUTER", "iptables", "-L", "-v", "-n", "-x"],
    "countersShell": "$env_prefix counters"
  },
  "tls": {
    "ca": "$RUN_DIR/tls/ca.pem",
    "web": "$RUN_DIR/tls/web.pem",
    "turn": "$RUN_DIR/tls/turn.pem",
    "pbx": "$RUN_DIR/pbx/tls/cert.pem",
    "spki": { "web": "$(spki "$RUN_DIR/tls/web.pem")", "turn": "$(spki "$RUN_DIR/tls/turn.pem")", "pbx": "$(spki "$RUN_DIR/pbx/tls/cert.pem")" }
  },
  "logs": {
    "kamailio": "$RUN_DIR/pbx/logs/kamailio.log",
    "rtpengine": "$RUN_DIR/pbx/logs/rtpengine.log",
    "baresip": "$RUN_DIR/pbx/logs/baresip.log",
    "baresipEvents": "$RUN_DIR/pbx/logs/baresip-events.jsonl",
    "hub": "$RUN_DIR/pbx/logs/hub.log",
    "pbxStack": "$RUN_DIR/logs/pbx-stack.log",
    "coturn": "$RUN_DIR/logs/coturn.log",
    "nginxError": "$RUN_DIR/logs/nginx-error.log",
    "nginxAccess": "$RUN_DIR/logs/nginx-access.log",
    "firewall": "$RUN_DIR/logs/firewall.log",
    "dir": "$RUN_DIR/logs",
    "pbxDir": "$RUN_DIR/pbx/logs"
  },
  "pids": { "coturn": $(<"$RUN_DIR/pids/coturn.pid"), "nginx": $(<"$RUN_DIR/pids/nginx.pid") },
  "pbx": $pbx_json,
  "startMs": $1
}
JSON
  mv "$RUN_DIR/lab.json.tmp" "$RUN_DIR/lab.json"
}

fail_up() { say "lab failed to start: $*"; exit 1; }   # the EXIT trap shows the logs and takes the lab down

# EXIT trap of up: on any failure (a failed command under set -e, fail_up, a signal), say where, show the
# services' last log lines, and take down whatever was made. Logs stay.
on_up_exit() {
  local rc=$? f
  trap - EXIT
  trap '' INT TERM   # a second Ctrl-C must not cut the cleanup short
  if [ "$rc" != 0 ]; then
    say "lab up failed (step: ${STEP:-?}, exit $rc); taking it down"
    for f in "$RUN_DIR/logs/pbx-stack.log" "$RUN_DIR/logs/coturn.log" "$RUN_DIR/logs/coturn.stdout.log" \
      "$RUN_DIR/logs/nginx-error.log" "$RUN_DIR/logs/nginx.stdout.log"; do
      [ -s "$f" ] && { say "--- last lines of $f"; tail -n 15 "$f" >&2; }
    done
    do_down || true
  fi
  exit "$rc"
}

do_up() {
  STEP=packages
  trap on_up_exit EXIT
  trap 'exit 130' INT TERM
  # one dpkg-query for all (half a second less than one per package); ensure_debian_packages when any is missing
  local -A uniq=() ; local p installed
  for p in "${LAB_PACKAGES[@]}" "${PBX_PACKAGES[@]}"; do uniq[$p]=1; done
  installed=$(dpkg-query -W -f='${Status}\n' "${!uniq[@]}" 2>/dev/null | grep -c 'install ok installed' || true)
  if [ "$installed" != "${#uniq[@]}" ]; then
    ensure_debian_packages "${!uniq[@]}" || exit 1
  fi
  stop_system_daemons
  command -v node >/dev/null || { say "node is needed"; exit 1; }
  if [ -s "$RUN_DIR/lab.id" ]; then
    STEP="taking down a lab left over"
    say "a lab was left in $RUN_DIR; taking it down first"
    do_down
  fi

  local t0 t1
  t0=$(date +%s%N)
  STEP=start
  # the id first, before anything exists: a crash at any point after this leaves a lab that down can find
  echo "${VODIA_LAB_ID:-$(openssl rand -hex 3)}" >"$RUN_DIR/lab.id"
  ns_names || { rm -f "$RUN_DIR/lab.id"; exit 1; }
  local n
  for n in "$NS_INET" "$NS_ROUTER" "$NS_VISITOR"; do
    ns_exists "$n" && { say "namespace $n exists but this run folder did not make it (VODIA_LAB_ID reused?)"; rm -f "$RUN_DIR/lab.id"; exit 1; }
  done

  rm -rf "$RUN_DIR/logs" "$RUN_DIR/pids" "$RUN_DIR/www" "$RUN_DIR/lab.json" "$RUN_DIR/firewall.mode"
  mkdir -p "$RUN_DIR/logs" "$RUN_DIR/pids" "$RUN_DIR/www"
  TURN_SECRET=$(openssl rand -hex 24)

  # called plainly, not in an || list: set -e stays on inside them, and the EXIT trap cleans up
  STEP=namespaces; make_namespaces
  STEP=certificates; make_certs
  STEP=coturn; start_coturn
  STEP=pbx; start_pbx || fail_up "pbx stack (see $RUN_DIR/logs/pbx-stack.log)"
  STEP=nginx; start_nginx || fail_up "nginx config"
  STEP="waiting for the services"
  wait_listen "$NS_INET" udp "$TURN:3478" "$(<"$RUN_DIR/pids/coturn.pid")" 10 \
    && wait_listen "$NS_INET" tcp "$TURN:443" "$(<"$RUN_DIR/pids/coturn.pid")" 10 \
    || fail_up "coturn did not listen on $TURN:3478/443"
  wait_listen "$NS_INET" tcp "$WEB:443" "$(<"$RUN_DIR/pids/nginx.pid")" 10 || fail_up "nginx did not listen on $WEB:443"
  alive coturn turnserver || fail_up "coturn is not running"
  alive nginx nginx || fail_up "nginx is not running"

  t1=$(date +%s%N)
  STEP=lab.json; write_lab_json $(( (t1 - t0) / 1000000 ))
  trap - EXIT INT TERM
  say "lab $LAB_ID up in $(( (t1 - t0) / 1000000 )) ms: visitor $NS_VISITOR, pages https://$WEB/, lab.json in $RUN_DIR"
  cat "$RUN_DIR/lab.json"
}

do_down() {
  if ! ns_names; then say "no lab in $RUN_DIR"; return 0; fi
  local t0 ns pids p
  t0=$(date +%s%N)
  if ns_exists "$NS_INET"; then
    in_ns "$NS_INET" env VODIA_PBX_RUN_DIR="$RUN_DIR/pbx" VODIA_PBX_ADDR=$PBX \
      VODIA_PBX_CTRL_SOCKET="$RUN_DIR/pbx/ctrl.sock" bash "$TOP/scripts/pbx/pbx-stack.sh" stop \
      2>>"$RUN_DIR/logs/pbx-stack.log" >/dev/null || true
  fi
  stop_pid_file nginx nginx
  stop_pid_file coturn turnserver
  # Anything else still inside the lab's own namespaces (a browser a test started there, Kamailio children):
  # those namespaces carry this lab's id, so whatever runs in them is the lab's.
  for ns in "$NS_VISITOR" "$NS_ROUTER" "$NS_INET"; do
    ns_exists "$ns" || continue
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    if [ -n "$pids" ]; then
      for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
      sleep 0.2
      for p in $(ip netns pids "$ns" 2>/dev/null || true); do kill -KILL "$p" 2>/dev/null || true; done
      say "ended processes left in $ns: $(echo $pids)"
    fi
    ip netns del "$ns" 2>/dev/null || say "could not delete namespace $ns"
  done
  rm -rf "/etc/netns/$NS_VISITOR"
  rm -f "$RUN_DIR/lab.id" "$RUN_DIR/lab.json" "$RUN_DIR/firewall.mode" "$RUN_DIR/pbx/ctrl.sock"
  say "lab $LAB_ID down in $(( ($(date +%s%N) - t0) / 1000000 )) ms (logs stay in $RUN_DIR/logs and $RUN_DIR/pbx/logs)"
}

do_status() {
  if ! ns_names; then echo "no lab in $RUN_DIR"; return 3; fi
  local up=0 down=0 ns
  for ns in "$NS_INET" "$NS_ROUTER" "$NS_VISITOR"; do
    if ns_exists "$ns"; then up=$((up + 1)); echo "namespace $ns: present"; else down=$((down + 1)); echo "namespace $ns: missing"; fi
  done
  if alive coturn turnserver; then up=$((up + 1)); echo "coturn: running (pid $(<"$RUN_DIR/pids/coturn.pid"))"; else down=$((down + 1)); echo "coturn: stopped"; fi
  if alive nginx nginx; then up=$((up + 1)); echo "nginx: running (pid $(<"$RUN_DIR/pids/nginx.pid"))"; else down=$((down + 1)); echo "nginx: stopped"; fi
  local out rc=1
  if ns_exists "$NS_INET"; then
    out=$(in_ns "$NS_INET" env VODIA_PBX_RUN_DIR="$RUN_DIR/pbx" bash "$TOP/scripts/pbx/pbx-stack.sh" status) && rc=0 || rc=$?
    sed 's/^/pbx /' <<<"$out"
  fi
  if [ "$rc" = 0 ]; then up=$((up + 1)); else down=$((down + 1)); fi
  [ -s "$RUN_DIR/firewall.mode" ] && echo "firewall: $(<"$RUN_DIR/firewall.mode")"
  [ "$down" = 0 ] && { echo "lab.json: $RUN_DIR/lab.json"; return 0; }
  [ "$up" = 0 ] && return 3
  return 1
}

need_lab() {
  ns_names || { say "no lab in $RUN_DIR (start one: $0 up)"; exit 1; }
  ns_exists "$NS_ROUTER" || { say "the lab in $RUN_DIR is not up"; exit 1; }
}

case "${1:-}" in
  up) do_up ;;
  down) do_down ;;
  status) do_status ;;
  exec)
    need_lab
    [ $# -ge 3 ] || { echo "usage: $0 exec visitor|router|inet CMD..." >&2; exit 2; }
    case $2 in
      visitor) ns=$NS_VISITOR ;; router) ns=$NS_ROUTER ;; inet) ns=$NS_INET ;;
      *) echo "usage: $0 exec visitor|router|inet CMD..." >&2; exit 2 ;;
    esac
    shift 2
    exec ip netns exec "$ns" "$@" ;;
  firewall)
    need_lab
    [ $# -eq 2 ] || { echo "usage: $0 firewall open|udp-blocked|tcp443-only|offline" >&2; exit 2; }
    set_firewall "$2"
    say "firewall: $2" ;;
  counters)
    need_lab
    in_ns "$NS_ROUTER" iptables -L FORWARD -v -n -x
    in_ns "$NS_ROUTER" iptables -L LAB_OUT -v -n -x
    in_ns "$NS_ROUTER" iptables -L LAB_IN -v -n -x
    in_ns "$NS_ROUTER" iptables -t nat -L POSTROUTING -v -n -x ;;
  *) echo "usage: $0 up|down|status|exec NS CMD...|firewall MODE|counters" >&2; exit 2 ;;
esac
