#!/bin/sh
# A ClientHello flood from 100,000 spoofed sources in 127.0.0.0/8 (raw
# socket, root): the gateway answers with HelloVerifyRequests only, each
# no larger than the ClientHello it answers, keeps no state for any of
# them (sessions stay at the one established session; resident memory
# grows by less than 2 MB, that is under 21 bytes a source), and the
# established session's round trip stays within twice its idle median.
. "$(dirname "$0")/lib.sh"

P=$(free_port)
E=$(free_port)
L=$(free_port)
echo_server "$E"
gw server -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$E"
gw client -l "udp://127.0.0.1:$L" -f "dtls://127.0.0.1:$P"

rss() {	# PID: resident set, kB
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}
# ping LABEL: 400 round trips through both gateways, 5 ms apart, on the
# session that was established first (the same source port)
ping() {
	"$UDPTOOL" ping 127.0.0.1 "$L" 400 100 5 "$SRC" >"$T/ping-$1.out" 2>&1 ||
		fail "ping $1: $(cat "$T/ping-$1.out")"
	grep -Eo 'median_us [0-9]+' "$T/ping-$1.out" | cut -d' ' -f2
}

SRC=$(free_port)
"$UDPTOOL" send 127.0.0.1 "$L" 200 8 1200 8 10 "$SRC" >"$T/first.out" 2>&1 ||
	fail "no session: $(cat "$T/first.out")"

# what the answers look like, on a capture of a small flood (its sources
# only: the established session's own records are not answers to it)
capture_start "udp port $P and net 127.2.0.0/16"
"$UDPTOOL" inject 127.2.0.1 30000 127.0.0.1 "$P" hello 1000 500 2000 \
	>/dev/null || fail "inject"
capture_stop
# answers are what comes from the gateway's address (the forged source
# ports, 30000-30999, may include the gateway's own port), and an answer
# is a HelloVerifyRequest when its record is a handshake (22) whose
# message is of type 3
tshark -r "$T/cap.pcapng" -n -T fields -e ip.src -e udp.length \
	-e udp.payload >"$T/cap.txt" 2>/dev/null ||
	fail "tshark cannot read the capture"
hello_min=$(awk '$1 != "127.0.0.1" { if (m == "" || $2 < m) m = $2 }
	END { print m }' "$T/cap.txt")
answers=$(awk '$1 == "127.0.0.1"' "$T/cap.txt" | wc -l)
not_hvr() {
	awk '$1 == "127.0.0.1" && (substr($3, 1, 2) != "16" ||
		substr($3, 27, 2) != "03")' "$T/cap.txt"
}
larger=$(awk -v m="$hello_min" '$1 == "127.0.0.1" && $2 > m' "$T/cap.txt" |
	wc -l)
[ "$answers" -ge 900 ] || fail "only $answers answers to 1000 ClientHellos"
[ "$(not_hvr | wc -l)" = 0 ] ||
	fail "$(not_hvr | wc -l) answers are not HelloVerifyRequests: $(not_hvr | head -3)"
[ "$larger" = 0 ] || fail "$larger answers are larger than the ClientHello"
hvr_max=$(awk '$1 == "127.0.0.1" { if ($2 > m) m = $2 } END { print m }' \
	"$T/cap.txt")
ok "$answers answers, all HelloVerifyRequests of at most $hvr_max bytes (UDP) to ClientHellos of $hello_min"

# warm up (buffer pools, socket queues), then measure
"$UDPTOOL" inject 127.3.0.1 30000 127.0.0.1 "$P" hello 20000 1000 20000 \
	>/dev/null || fail "inject"
sleep 1
idle=$(ping idle)
rss0=$(rss "$PID_server")
stats server
hvr0=$(stat_value server route-1 hello_verify_sent)

"$UDPTOOL" inject 127.4.0.1 30000 127.0.0.1 "$P" hello 200000 100000 20000 \
	>"$T/flood.out" 2>&1 &
FLOOD=$!
PIDS="$PIDS $FLOOD"
sleep 1
busy=$(ping flood)
kill -0 "$FLOOD" 2>/dev/null || fail "the flood ended before the pings did"
wait "$FLOOD" || fail "inject: $(cat "$T/flood.out")"
sleep 1
rss1=$(rss "$PID_server")
stats server
hvr1=$(stat_value server route-1 hello_verify_sent)

[ "$(stat_value server route-1 sessions)" = 1 ] ||
	fail "the flood got sessions"
[ "$(stat_value server route-1 sessions_total)" = 1 ] ||
	fail "the flood created sessions"
answered=$((hvr1 - hvr0))
[ "$answered" -ge 100000 ] ||
	fail "only $answered of 200000 ClientHellos answered"
grow=$((rss1 - rss0))
echo "flood: RSS ${rss0} kB before, ${rss1} kB after (${grow} kB), $answered HelloVerifyRequests for 200000 ClientHellos from 100000 sources, sessions 1"
[ "$grow" -lt 2048 ] || fail "resident memory grew by $grow kB"
ok "no state for 100000 spoofed sources: RSS change $grow kB, sessions 1"

echo "round trip: idle median ${idle} us, during the flood ${busy} us"
[ "$busy" -le $((2 * idle)) ] ||
	fail "round trip ${busy} us during the flood, idle ${idle} us"
ok "round trip within 2x of idle (${idle} -> ${busy} us)"
"$UDPTOOL" send 127.0.0.1 "$L" 200 8 1200 8 10 "$SRC" >"$T/last.out" 2>&1 ||
	fail "the session did not carry on: $(cat "$T/last.out")"
