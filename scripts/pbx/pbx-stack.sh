#!/usr/bin/env bash
# Reference telephony stack for tests and the demo (docs/design.md §6.4): rtpengine + Kamailio + baresip on 127.0.0.1
# (or on another address of this machine or network namespace: VODIA_PBX_ADDR; the network lab uses that).
#
#   scripts/pbx/pbx-stack.sh start    start in the background, print stack.json on stdout
#   scripts/pbx/pbx-stack.sh stop     stop by pid, in order; idempotent
#   scripts/pbx/pbx-stack.sh run      start, stay in the foreground until Ctrl-C, then stop cleanly
#   scripts/pbx/pbx-stack.sh status   say what runs; exit 0 all up, 3 nothing up, 1 partly up
#
# Environment:
#   VODIA_PBX_RUN_DIR    run folder (default .run/pbx in the repository): configs, pids, logs, recordings, stack.json
#   VODIA_PBX_PORT_BASE  first port to try (default 15060); every port is taken with free_port from there up
#   VODIA_PBX_DEBUG=1    verbose Kamailio and rtpengine logs
#   VODIA_PBX_ADDR       IPv4 address that Kamailio (udp, ws, wss), rtpengine's media, baresip and the control hub
#                        listen on (default 127.0.0.1). Internal control channels (rtpengine's ng, baresip's
#                        ctrl_tcp) stay on 127.0.0.1 of the same network namespace.
#   VODIA_PBX_DOMAIN     SIP domain and digest realm (default: the address)
#   VODIA_PBX_CTRL_SOCKET  also serve the control hub on this Unix socket path (stack.json baresipCtrl.path):
#                        reachable from other network namespaces, where the address may not be
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
# shellcheck source=../lib/common.sh
. "$TOP/scripts/lib/common.sh"

RUN_DIR=${VODIA_PBX_RUN_DIR:-$TOP/.run/pbx}
PORT_BASE=${VODIA_PBX_PORT_BASE:-15060}
DEBUG=${VODIA_PBX_DEBUG:-0}

ADDR=${VODIA_PBX_ADDR:-127.0.0.1}
DOMAIN=${VODIA_PBX_DOMAIN:-$ADDR}
CTRL_SOCKET=${VODIA_PBX_CTRL_SOCKET:-}
# Test accounts (user:password). Only for this test stack; published in stack.json.
ACCOUNTS=("40:vodia-test-40-Secret" "41:vodia-test-41-Secret")
# Numbers. baresip answers NUM_ECHO..NUM_PCMU_ECHO; Kamailio answers busy and unknown numbers itself.
NUM_ECHO=100 NUM_TONE=101 NUM_HANGUP=102 NUM_NO_ANSWER=103 NUM_PCMU_ECHO=104 NUM_BUSY=486 NUM_NOT_FOUND=404
HANGUP_AFTER_MS=3000
TONE_HZ=440

# rtpengine flags. Browser (WebSocket) offers carry ICE, DTLS-SRTP, rtcp-mux and RTP/SAVPF; baresip wants none of it.
RTPE_OFFER_FROM_WS="replace-origin replace-session-connection ICE=remove DTLS=off SDES-off rtcp-mux-demux RTP/AVP"
RTPE_ANSWER_TO_WS="replace-origin replace-session-connection ICE=force DTLS=passive SDES-off rtcp-mux-accept rtcp-mux-require UDP/TLS/RTP/SAVPF"
RTPE_OFFER_PLAIN="replace-origin replace-session-connection ICE=remove RTP/AVP"
RTPE_ANSWER_PLAIN="replace-origin replace-session-connection ICE=remove RTP/AVP"

# Media port ranges: wide and random-picked by the daemons, which skip ports in use, so parallel stacks coexist.
RTPE_PORT_MIN=30000 RTPE_PORT_MAX=39999
BARESIP_RTP_PORTS=40000-44999

SERVICES_START=(rtpengine kamailio baresip hub)
SERVICES_STOP=(hub baresip kamailio rtpengine)   # baresip before Kamailio (docs/design.md §6.4); the hub first, it talks to baresip
declare -A COMM=([rtpengine]=rtpengine [kamailio]=kamailio [baresip]=baresip [hub]=node)

pid_file() { echo "$RUN_DIR/pids/$1.pid"; }

# running PID: the process exists and is not a zombie (our daemons are reparented to a pid 1 that may reap late).
running() {
  local st
  st=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# alive NAME: the pid file names a running process of the right program (a recycled pid does not count).
alive() {
  local f pid comm
  f=$(pid_file "$1")
  [ -s "$f" ] || return 1
  pid=$(<"$f")
  running "$pid" || return 1
  comm=$(cat "/proc/$pid/comm" 2>/dev/null || true)
  [ "$comm" = "${COMM[$1]}" ]
}

# wait_port tcp|udp PORT PID SECONDS: poll until something listens on 127.0.0.1:PORT; fail early when PID died.
wait_port() {
  local proto=$1 port=$2 pid=$3 tries=$(( $4 * 50 )) flag=-Hltn
  [ "$proto" = udp ] && flag=-Hlun
  while [ "$tries" -gt 0 ]; do
    ss $flag "( sport = :$port )" 2>/dev/null | grep -q . && return 0
    running "$pid" || return 1
    sleep 0.02
    tries=$((tries - 1))
  done
  return 1
}

# stop_service NAME: TERM; after 0.5 s a second TERM (baresip's first TERM waits for its SIP transactions to end,
# up to half a minute; the second one makes it exit at once); after 5 s KILL. By pid only, never by name:
# other stacks may run on this machine.
stop_service() {
  local name=$1 f pid i
  f=$(pid_file "$name")
  if alive "$name"; then
    pid=$(<"$f")
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 250); do
      running "$pid" || break
      [ "$i" = 25 ] && kill -TERM "$pid" 2>/dev/null
      sleep 0.02
    done
    if running "$pid"; then
      say "$name (pid $pid) did not stop in 5 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$f"
}

# stop_leftovers: processes still running from this run folder, e.g. Kamailio's children after their
# main process died (they hold its sockets, and no pid file names them). Matched by this run folder in
# their command line, so other stacks on this machine are left alone.
stop_leftovers() {
  local pids p
  pids=$(pgrep -f -- "$RUN_DIR/" 2>/dev/null | grep -vx "$$" || true)
  [ -n "$pids" ] || return 0
  for p in $pids; do running "$p" && kill -KILL "$p" 2>/dev/null; done
  say "killed leftover processes of $RUN_DIR: $(echo $pids)"
}

do_stop() {
  local any=0 s
  for s in "${SERVICES_STOP[@]}"; do alive "$s" && any=1; done
  for s in "${SERVICES_STOP[@]}"; do stop_service "$s"; done
  stop_leftovers
  [ -n "$CTRL_SOCKET" ] && rm -f "$CTRL_SOCKET"
  rm -f "$RUN_DIR/stack.json"
  if [ "$any" = 1 ]; then say "pbx stack stopped ($RUN_DIR)"; else say "pbx stack was not running ($RUN_DIR)"; fi
}

do_status() {
  local up=0 down=0 s
  for s in "${SERVICES_START[@]}"; do
    if alive "$s"; then up=$((up + 1)); echo "$s: running (pid $(<"$(pid_file "$s")"))"
    else down=$((down + 1)); echo "$s: stopped"; fi
  done
  [ -f "$RUN_DIR/stack.json" ] && [ "$down" = 0 ] && echo "stack.json: $RUN_DIR/stack.json"
  [ "$down" = 0 ] && return 0
  [ "$up" = 0 ] && return 3
  return 1
}

# pick_port START: like free_port, but also skips ports this start already handed out (not yet bound).
declare -A TAKEN=()
pick_port() {
  local p=$1
  while :; do
    p=$(free_port "$p")
    if [ -z "${TAKEN[$p]:-}" ]; then TAKEN[$p]=1; echo "$p"; return; fi
    p=$((p + 1))
  done
}

# render TEMPLATE OUT KEY=VALUE...: replaces every @KEY@ (values may span lines).
render() {
  local tmpl=$1 out=$2 kv key val text
  shift 2
  shopt -u patsub_replacement 2>/dev/null || true   # bash 5.2 would read & in a value as "the match"
  text=$(<"$tmpl")
  for kv in "$@"; do
    key=${kv%%=*} val=${kv#*=}
    text=${text//@$key@/$val}
  done
  if grep -qo '@[A-Z_]*@' <<<"$text"; then
    say "unreplaced placeholders in $out: $(grep -o '@[A-Z_]*@' <<<"$text" | sort -u | tr '\n' ' ')"
    return 1
  fi
  printf '%s\n' "$text" >"$out"
}

launch() { # launch NAME LOG CMD...: detached in its own session, so a Ctrl-C in a terminal reaches only us
  local name=$1 log=$2
  shift 2
  setsid "$@" </dev/null >"$log" 2>&1 &
  echo $! >"$(pid_file "$name")"
}

fail_start() {
  say "pbx stack failed to start: $*"
  local s
  for s in kamailio rtpengine baresip hub; do
    [ -s "$RUN_DIR/logs/$s.log" ] && { say "--- last lines of $RUN_DIR/logs/$s.log"; tail -n 15 "$RUN_DIR/logs/$s.log" >&2; }
  done
  do_stop
  exit 1
}

do_start() {
  local s live=0 dead=0
  mkdir -p "$RUN_DIR"
  for s in "${SERVICES_START[@]}"; do if alive "$s"; then live=$((live + 1)); else dead=$((dead + 1)); fi; done
  if [ "$dead" = 0 ] && [ -f "$RUN_DIR/stack.json" ]; then
    say "pbx stack already running in $RUN_DIR; reusing it (stop it with: $0 stop)"
    cat "$RUN_DIR/stack.json"
    return 0
  fi
  if [ "$live" -gt 0 ]; then
    say "pbx stack in $RUN_DIR is only partly running; restarting it"
    do_stop
  fi

  ensure_debian_packages kamailio kamailio-websocket-modules kamailio-tls-modules kamailio-utils-modules \
    rtpengine-daemon baresip-core openssl sox iproute2
  command -v node >/dev/null || { say "node is needed (the baresip control hub is a Node script)"; exit 1; }

  [[ $ADDR =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || { say "VODIA_PBX_ADDR must be an IPv4 address, not '$ADDR'"; exit 1; }
  # (not "ip | grep -q": with pipefail, ip's SIGPIPE after grep's early exit would fail the check)
  local addrs; addrs=$(ip -o addr show 2>/dev/null || true)
  grep -qF " inet $ADDR/" <<<"$addrs" \
    || { say "no interface has $ADDR here (VODIA_PBX_ADDR); add it first (the network lab does)"; exit 1; }

  local t0 t1
  t0=$(date +%s%N)
  mkdir -p "$RUN_DIR"/{pids,logs,tls,baresip,recordings}
  rm -f "$RUN_DIR/stack.json"

  # Ports: each one free now, and not handed out twice. baresip also binds SIP TLS on its port + 1.
  local sip_port ws_port wss_port ng_port bs_port bs_ctrl ctrl_port p
  sip_port=$(pick_port "$PORT_BASE")
  ws_port=$(pick_port $((sip_port + 1)))
  wss_port=$(pick_port $((ws_port + 1)))
  ng_port=$(pick_port $((wss_port + 1)))
  p=$((ng_port + 1))
  while :; do
    bs_port=$(pick_port "$p")
    [ "$(free_port $((bs_port + 1)))" = $((bs_port + 1)) ] && [ -z "${TAKEN[$((bs_port + 1))]:-}" ] && break
    p=$((bs_port + 1))
  done
  TAKEN[$((bs_port + 1))]=1
  bs_ctrl=$(pick_port $((bs_port + 2)))
  ctrl_port=$(pick_port $((bs_ctrl + 1)))

  # Self-signed certificate for wss, made once per run folder (EC: fast to make): for the address, and for the
  # domain too when that is another name.
  local san="IP:$ADDR"
  if [ "$DOMAIN" != "$ADDR" ]; then
    if [[ $DOMAIN =~ ^[0-9.]+$ ]]; then san+=",IP:$DOMAIN"; else san+=",DNS:$DOMAIN"; fi
  fi
  if [ ! -s "$RUN_DIR/tls/cert.pem" ] || [ ! -s "$RUN_DIR/tls/key.pem" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365 \
      -subj "/CN=$DOMAIN" -addext "subjectAltName=$san" \
      -keyout "$RUN_DIR/tls/key.pem" -out "$RUN_DIR/tls/cert.pem" 2>"$RUN_DIR/logs/openssl.log" \
      || fail_start "openssl could not make a certificate"
  fi

  # Kamailio config from the template.
  local accounts_cfg="" a user pass baresip_re challenge=1 mpath
  for a in "${ACCOUNTS[@]}"; do
    user=${a%%:*} pass=${a#*:}
    accounts_cfg+=$'\t'"\$sht(acc=>$user) = \"$pass\";"$'\n'
  done
  baresip_re="^($NUM_ECHO|$NUM_TONE|$NUM_HANGUP|$NUM_NO_ANSWER|$NUM_PCMU_ECHO)\$"
  mpath=$(dirname "$(dpkg -L kamailio | grep -m1 '/modules/tm\.so$')")/
  # A domain that is not the listen address is made "myself" by an alias (OPTIONS to the domain get 200).
  # Not when it is the address itself: see the note at auto_aliases in the template.
  local domain_alias="# the domain is the listen address: no alias"
  [ "$DOMAIN" != "$ADDR" ] && domain_alias="alias=\"$DOMAIN\""
  render "$HERE/kamailio.cfg.tmpl" "$RUN_DIR/kamailio.cfg" \
    LOG_LEVEL=$([ "$DEBUG" = 1 ] && echo 3 || echo 2) \
    ADDR=$ADDR "DOMAIN_ALIAS=$domain_alias" \
    DOMAIN=$DOMAIN REALM=$DOMAIN SIP_PORT=$sip_port WS_PORT=$ws_port WSS_PORT=$wss_port NG_PORT=$ng_port \
    BARESIP_PORT=$bs_port MPATH="$mpath" RUN_DIR="$RUN_DIR" \
    NONCE_SECRET="$(openssl rand -hex 16)" \
    "ACCOUNTS=${accounts_cfg%$'\n'}" \
    CHALLENGE_FLAGS=$challenge CHALLENGE_FLAGS_STALE=$((challenge | 16)) \
    NUM_BUSY=$NUM_BUSY BARESIP_NUMBERS_RE="$baresip_re" \
    RTPE_OFFER_FROM_WS="$RTPE_OFFER_FROM_WS" RTPE_ANSWER_TO_WS="$RTPE_ANSWER_TO_WS" \
    RTPE_OFFER_PLAIN="$RTPE_OFFER_PLAIN" RTPE_ANSWER_PLAIN="$RTPE_ANSWER_PLAIN" \
    || fail_start "kamailio.cfg template"

  # baresip config: one UA per number, picked by the Request-URI user. aubridge with the same device name
  # as source and player loops the caller's audio back (echo); ausine plays a tone. Codecs as opus/48000/2 (docs/design.md §6.4).
  local bdir="$RUN_DIR/baresip"
  render "$HERE/baresip.config.tmpl" "$bdir/config" \
    ADDR=$ADDR BARESIP_PORT=$bs_port BARESIP_CTRL=$bs_ctrl RTP_PORTS=$BARESIP_RTP_PORTS \
    RECORDINGS="$RUN_DIR/recordings" TONE_HZ=$TONE_HZ \
    || fail_start "baresip config template"
  local opus="opus/48000/2,PCMU/8000/1" pcmu="PCMU/8000/1" common=";regint=0;ptime=20"
  {
    echo "# generated by pbx-stack.sh"
    echo "<sip:$NUM_ECHO@$DOMAIN>$common;answermode=auto;audio_codecs=$opus;audio_source=aubridge,echo$NUM_ECHO;audio_player=aubridge,echo$NUM_ECHO"
    echo "<sip:$NUM_TONE@$DOMAIN>$common;answermode=auto;audio_codecs=$opus;audio_source=ausine,$TONE_HZ;audio_player=aubridge,sink$NUM_TONE"
    echo "<sip:$NUM_HANGUP@$DOMAIN>$common;answermode=auto;audio_codecs=$opus;audio_source=ausine,$TONE_HZ;audio_player=aubridge,sink$NUM_HANGUP"
    echo "<sip:$NUM_NO_ANSWER@$DOMAIN>$common;answermode=manual;audio_codecs=$opus;audio_source=ausine,$TONE_HZ;audio_player=aubridge,sink$NUM_NO_ANSWER"
    echo "<sip:$NUM_PCMU_ECHO@$DOMAIN>$common;answermode=auto;audio_codecs=$pcmu;audio_source=aubridge,echo$NUM_PCMU_ECHO;audio_player=aubridge,echo$NUM_PCMU_ECHO"
  } >"$bdir/accounts"
  : >"$bdir/contacts"

  # 1. rtpengine first: Kamailio disables an rtpengine it cannot reach when it starts (docs/design.md §6.4).
  launch rtpengine "$RUN_DIR/logs/rtpengine.log" rtpengine --config-file=none --foreground --log-stderr \
    --log-level=$([ "$DEBUG" = 1 ] && echo 7 || echo 6) --table=-1 --interface="$ADDR" \
    --listen-ng=127.0.0.1:$ng_port --port-min=$RTPE_PORT_MIN --port-max=$RTPE_PORT_MAX \
    --timeout=60 --silent-timeout=3600 --delete-delay=0 --num-threads=2 --dtls-passive \
    --pidfile="$RUN_DIR/pids/rtpengine.daemon.pid"
  wait_port udp "$ng_port" "$(<"$(pid_file rtpengine)")" 10 || fail_start "rtpengine did not listen on $ng_port"

  # 2. Kamailio; -DD keeps the main process in the foreground of its own session, so its pid is ours.
  kamailio -c -f "$RUN_DIR/kamailio.cfg" >"$RUN_DIR/logs/kamailio-check.log" 2>&1 \
    || { cat "$RUN_DIR/logs/kamailio-check.log" >&2; fail_start "kamailio.cfg does not parse"; }
  launch kamailio "$RUN_DIR/logs/kamailio.log" kamailio -DD -E -f "$RUN_DIR/kamailio.cfg" \
    -P "$RUN_DIR/pids/kamailio.daemon.pid" -Y "$RUN_DIR"
  local kpid; kpid=$(<"$(pid_file kamailio)")
  wait_port udp "$sip_port" "$kpid" 10 && wait_port tcp "$ws_port" "$kpid" 10 && wait_port tcp "$wss_port" "$kpid" 10 \
    || fail_start "kamailio did not listen on $sip_port/$ws_port/$wss_port"

  # 3. baresip (no console module: stdin is /dev/null).
  launch baresip "$RUN_DIR/logs/baresip.log" baresip -f "$bdir"
  wait_port tcp "$bs_ctrl" "$(<"$(pid_file baresip)")" 10 && wait_port udp "$bs_port" "$(<"$(pid_file baresip)")" 10 \
    || fail_start "baresip did not listen on $bs_port/$bs_ctrl"

  # 4. The control hub: baresip's ctrl_tcp takes one client only; the hub holds it, fans events out to any
  #    number of clients on the published port, and hangs up calls to the hangup number after a while.
  #    With VODIA_PBX_CTRL_SOCKET it also serves a Unix socket (it replaces a stale one itself).
  local hub_sock=()
  [ -n "$CTRL_SOCKET" ] && hub_sock=(--listen-path "$CTRL_SOCKET")
  launch hub "$RUN_DIR/logs/hub.log" node "$HERE/baresip-hub.mjs" \
    --baresip "127.0.0.1:$bs_ctrl" --listen "$ADDR:$ctrl_port" "${hub_sock[@]}" \
    --hangup-aor "sip:$NUM_HANGUP@$DOMAIN" --hangup-after "$HANGUP_AFTER_MS" \
    --events-log "$RUN_DIR/logs/baresip-events.jsonl"
  wait_port tcp "$ctrl_port" "$(<"$(pid_file hub)")" 10 || fail_start "baresip control hub did not listen on $ctrl_port"
  if [ -n "$CTRL_SOCKET" ]; then
    local i
    for i in $(seq 1 250); do [ -S "$CTRL_SOCKET" ] && break; sleep 0.02; done
    [ -S "$CTRL_SOCKET" ] || fail_start "baresip control hub did not listen on $CTRL_SOCKET"
  fi

  t1=$(date +%s%N)
  local accounts_json="" sep="" ctrl_path_json=""
  [ -n "$CTRL_SOCKET" ] && ctrl_path_json=", \"path\": \"$CTRL_SOCKET\""
  for a in "${ACCOUNTS[@]}"; do
    accounts_json+="$sep{ \"user\": \"${a%%:*}\", \"password\": \"${a#*:}\" }"
    sep=", "
  done
  cat >"$RUN_DIR/stack.json.tmp" <<JSON
{
  "ws": "ws://$ADDR:$ws_port",
  "wss": "wss://$ADDR:$wss_port",
  "sipUdp": "sip:$ADDR:$sip_port;transport=udp",
  "baresipMedia": { "sipPort": $bs_port, "rtpMin": ${BARESIP_RTP_PORTS%-*}, "rtpMax": ${BARESIP_RTP_PORTS#*-} },
  "domain": "$DOMAIN",
  "realm": "$DOMAIN",
  "qop": "auth",
  "wrongPasswordResponse": 407,
  "digestUriMismatchResponse": 403,
  "accounts": [ $accounts_json ],
  "numbers": {
    "echo": "$NUM_ECHO",
    "tone": "$NUM_TONE",
    "hangup": "$NUM_HANGUP",
    "busy": "$NUM_BUSY",
    "notFound": "$NUM_NOT_FOUND",
    "noAnswer": "$NUM_NO_ANSWER",
    "pcmuEcho": "$NUM_PCMU_ECHO"
  },
  "hangupAfterMs": $HANGUP_AFTER_MS,
  "toneHz": $TONE_HZ,
  "baresipCtrl": { "host": "$ADDR", "port": $ctrl_port$ctrl_path_json },
  "recordings": "$RUN_DIR/recordings",
  "tlsCert": "$RUN_DIR/tls/cert.pem",
  "rtpengine": {
    "ng": "127.0.0.1:$ng_port",
    "offerFromWs": "$RTPE_OFFER_FROM_WS",
    "answerToWs": "$RTPE_ANSWER_TO_WS"
  },
  "logs": {
    "kamailio": "$RUN_DIR/logs/kamailio.log",
    "rtpengine": "$RUN_DIR/logs/rtpengine.log",
    "baresip": "$RUN_DIR/logs/baresip.log",
    "baresipEvents": "$RUN_DIR/logs/baresip-events.jsonl",
    "hub": "$RUN_DIR/logs/hub.log"
  },
  "pids": {
    "rtpengine": $(<"$(pid_file rtpengine)"),
    "kamailio": $(<"$(pid_file kamailio)"),
    "baresip": $(<"$(pid_file baresip)"),
    "hub": $(<"$(pid_file hub)")
  },
  "runDir": "$RUN_DIR",
  "startMs": $(( (t1 - t0) / 1000000 ))
}
JSON
  mv "$RUN_DIR/stack.json.tmp" "$RUN_DIR/stack.json"   # appears complete or not at all
  say "pbx stack up in $(( (t1 - t0) / 1000000 )) ms: ws://$ADDR:$ws_port, stack.json in $RUN_DIR"
  cat "$RUN_DIR/stack.json"
}

do_run() {
  local s
  for s in "${SERVICES_START[@]}"; do
    if alive "$s"; then say "a pbx stack already runs in $RUN_DIR; stop it first ($0 stop) or use it as it is"; exit 1; fi
  done
  do_start >/dev/null
  cat "$RUN_DIR/stack.json"
  trap 'say "stopping"; do_stop; exit 0' INT TERM
  say "running; Ctrl-C stops it"
  # Watch the daemons, not the clock: if one dies, say so and stop the rest.
  while :; do
    for s in "${SERVICES_START[@]}"; do
      if ! alive "$s"; then say "$s died (see $RUN_DIR/logs/$s.log)"; do_stop; exit 1; fi
    done
    sleep 1 &
    wait $! || true
  done
}

case "${1:-}" in
  start) do_start ;;
  stop) do_stop ;;
  run) do_run ;;
  status) do_status ;;
  *) echo "usage: $0 start|stop|run|status" >&2; exit 2 ;;
esac
