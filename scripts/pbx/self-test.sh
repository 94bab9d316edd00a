#!/usr/bin/env bash
# Self-test of the reference PBX without a browser: starts a private stack, proves with a small SIP client
# (sip-probe.mjs, over UDP, ws and wss) what stack.json promises, stops it, and checks nothing is left running.
# One line per check; the last line is exactly "N passed, M failed"; exit status non-zero on any failure.
#
#   scripts/pbx/self-test.sh [udp,ws,wss]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
TRANSPORTS=${1:-udp,ws,wss}

# A run folder of its own, so a stack someone runs in .run/pbx is neither reused nor stopped by this test.
export VODIA_PBX_RUN_DIR="$TOP/.run/pbx-selftest-$$"
STACK="$HERE/pbx-stack.sh"
passed=0 failed=0

pass() { passed=$((passed + 1)); echo "PASS $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

cleanup() {
  bash "$STACK" stop >/dev/null 2>&1 || true
  if [ "$failed" = 0 ]; then rm -rf "$VODIA_PBX_RUN_DIR"; else echo "logs kept in $VODIA_PBX_RUN_DIR/logs" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. start, and how long it takes
t0=$(date +%s%N)
if bash "$STACK" start >/dev/null 2>"$TOP/.run/pbx-selftest-$$.start.log"; then
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  if [ "$ms" -lt 3000 ]; then pass "stack starts ($ms ms)"; else fail "stack starts, but slowly ($ms ms)"; fi
else
  fail "stack starts: $(tail -n 20 "$TOP/.run/pbx-selftest-$$.start.log")"
  echo "$passed passed, $failed failed"
  rm -f "$TOP/.run/pbx-selftest-$$.start.log"
  exit 1
fi
rm -f "$TOP/.run/pbx-selftest-$$.start.log"
STACK_JSON="$VODIA_PBX_RUN_DIR/stack.json"

# 2. stack.json carries what tests and the demo read
if node -e '
  const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const need = ["ws", "wss", "domain", "realm", "accounts", "numbers", "baresipCtrl", "logs", "pids"];
  const miss = need.filter((k) => !(k in s));
  for (const k of ["echo", "tone", "hangup", "busy", "notFound", "noAnswer", "pcmuEcho"]) if (!s.numbers?.[k]) miss.push("numbers." + k);
  if (!/^ws:\/\/127\.0\.0\.1:\d+$/.test(s.ws) || !/^wss:\/\/127\.0\.0\.1:\d+$/.test(s.wss)) miss.push("ws/wss urls");
  if (!(s.accounts?.length >= 2 && s.accounts.every((a) => a.user && a.password))) miss.push("accounts");
  if (miss.length) { console.error(miss.join(", ")); process.exit(1); }
' "$STACK_JSON" 2>/tmp/pbx-selftest-$$.err; then
  pass "stack.json has ws, wss, domain, realm, accounts, numbers, baresipCtrl, logs, pids"
else
  fail "stack.json: missing $(cat /tmp/pbx-selftest-$$.err)"
fi
rm -f /tmp/pbx-selftest-$$.err

# 3. a second start finds the live stack and reuses it
pids_before=$(grep -A5 '"pids"' "$STACK_JSON" | tr -d ' \n')
if out=$(bash "$STACK" start 2>&1 >/dev/null) && grep -q 'already running' <<<"$out" \
  && [ "$(grep -A5 '"pids"' "$STACK_JSON" | tr -d ' \n')" = "$pids_before" ]; then
  pass "second start says the stack already runs and reuses it"
else
  fail "second start: $out"
fi

# 4. SIP checks (the probe prints PASS/FAIL lines itself)
while IFS= read -r line; do
  case "$line" in
    PASS*) passed=$((passed + 1)); echo "$line" ;;
    FAIL*) failed=$((failed + 1)); echo "$line" ;;
    *) echo "  $line" ;;
  esac
done < <(node "$HERE/sip-probe.mjs" --stack "$STACK_JSON" --transports "$TRANSPORTS" 2>&1 || true)

# 5. stop: every daemon gone, ports free, and a second stop is harmless
mapfile -t pids < <(node -e 'const s=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); for (const p of Object.values(s.pids)) console.log(p)' "$STACK_JSON")
ws_port=$(node -e 'console.log(new URL(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).ws).port)' "$STACK_JSON")
t0=$(date +%s%N)
bash "$STACK" stop 2>/dev/null
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
left=""
for p in "${pids[@]}"; do
  st=$(cut -d' ' -f3 "/proc/$p/stat" 2>/dev/null || true)
  [ -n "$st" ] && [ "$st" != Z ] && left+=" $p"
done
if [ -z "$left" ] && ! ss -Hltn "( sport = :$ws_port )" | grep -q .; then
  pass "stop ends every daemon ($ms ms)"
else
  fail "stop left running:$left"
fi
if bash "$STACK" stop 2>/dev/null && ! bash "$STACK" status >/dev/null; then
  pass "second stop is harmless, status says stopped"
else
  fail "second stop or status"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
