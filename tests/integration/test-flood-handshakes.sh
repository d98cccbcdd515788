#!/bin/sh
# A handshake flood from real clients (OpenSSL's, hsflood): 40 from one
# address stop after their cookie exchange, so each handshake the gateway
# admits stays in progress; max-handshakes-per-source 8 admits 8 and
# refuses the other 32 (counted as source_limit).  While they hold the
# cap, more clients from that address are refused, clients from another
# address complete, and the established session's round trip stays within
# twice its idle median, also while clients from other addresses run full
# handshakes over and over.  Root: the clients use 127.0.0.2-5.
. "$(dirname "$0")/lib.sh"

: "${HSFLOOD:?set HSFLOOD to the hsflood binary}"

P=$(free_port)
E=$(free_port)
L=$(free_port)
SRC=$(free_port)
echo_server "$E"
# one worker: the cap is shared out among workers, and exact counts
# need the source on one
gw server -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$E" \
	--max-handshakes-per-source 8 --workers 1
gw client -l "udp://127.0.0.1:$L" -f "dtls://127.0.0.1:$P"
# The flood's clients stand for other machines: on two cores or more they
# run on their own core, and the gateways, the echo and the ping on
# another, so the round trip measures what the gateway's own handshake
# work costs an established session, not the clients' crypto.
flood_cpu="" gw_cpu=""
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
	gw_cpu="taskset -c 0"
	flood_cpu="taskset -c 1"
	for p in $PIDS; do
		taskset -apc 0 "$p" >/dev/null 2>&1
	done
fi

ping() {	# LABEL: the median round trip on the first session, us
	$gw_cpu "$UDPTOOL" ping 127.0.0.1 "$L" 400 100 5 "$SRC" \
		>"$T/ping-$1.out" 2>&1 ||
		fail "ping $1: $(cat "$T/ping-$1.out")"
	grep -Eo 'median_us [0-9]+' "$T/ping-$1.out" | cut -d' ' -f2
}

"$UDPTOOL" send 127.0.0.1 "$L" 200 8 1200 8 10 "$SRC" >"$T/first.out" 2>&1 ||
	fail "no session: $(cat "$T/first.out")"
idle=$(ping idle)

# 40 stalled handshakes from 127.0.0.2, held for 15 s
start stall "$HSFLOOD" 127.0.0.1 "$P" 40 stall 127.0.0.2 15
STALL=$LAST_PID
wait_log "$T/stall.log" "stalled 40 of 40" 10 || fail "the stalled clients"
sleep 0.5
stats server
[ "$(stat_value server route-1 source_limit)" = 32 ] ||
	fail "source_limit is $(stat_value server route-1 source_limit), not 32"
[ "$(stat_value server route-1 sessions)" = 9 ] ||
	fail "sessions: $(stat_value server route-1 sessions), not 1 + 8"
ok "8 of 40 stalled handshakes admitted, 32 refused and counted"

# while the cap is held: 127.0.0.2 refused, 127.0.0.3 served
"$HSFLOOD" 127.0.0.1 "$P" 4 full 127.0.0.2 >"$T/same.out" 2>&1 &
SAME=$!
"$HSFLOOD" 127.0.0.1 "$P" 20 full 127.0.0.3 >"$T/other.out" 2>&1 ||
	fail "clients from another address: $(cat "$T/other.out")"
wait "$SAME" && fail "clients from the capped address got in"
grep -q "completed 0 failed 4" "$T/same.out" ||
	fail "capped address: $(cat "$T/same.out")"
ok "capped address refused ($(cat "$T/same.out")), another served ($(cat "$T/other.out"))"

# full handshakes over and over from two more addresses, during a ping
rounds=0
(
	i=0
	while [ "$i" -lt 200 ] && kill -0 "$STALL" 2>/dev/null; do
		$flood_cpu "$HSFLOOD" 127.0.0.1 "$P" 8 full 127.0.0.4 \
			>/dev/null 2>&1
		$flood_cpu "$HSFLOOD" 127.0.0.1 "$P" 8 full 127.0.0.5 \
			>/dev/null 2>&1
		i=$((i + 1))
		echo "$i" >>"$T/rounds"
	done
) &
LOOP=$!
PIDS="$PIDS $LOOP"
sleep 0.5
busy=$(ping flood)
kill "$LOOP" 2>/dev/null
wait "$LOOP" 2>/dev/null
# a line per round, appended: never read half written
rounds=$(cat "$T/rounds" 2>/dev/null | wc -l)
stats server
ok_hs=$(stat_value server route-1 handshakes_ok)
echo "handshakes ok so far: $ok_hs, flood rounds (16 clients each): $rounds"
[ "$rounds" -ge 5 ] || fail "the handshake flood did not run ($rounds rounds)"
echo "round trip: idle median ${idle} us, during the handshake flood ${busy} us"
[ "$busy" -le $((2 * idle)) ] ||
	fail "round trip ${busy} us during the flood, idle ${idle} us"
ok "round trip within 2x of idle during the handshake flood (${idle} -> ${busy} us)"
kill -0 "$PID_server" || fail "the server died"
