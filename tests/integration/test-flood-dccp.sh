#!/bin/sh
# A flood of DCCP Requests from 20,000 forged sources in 127.0.0.0/8 (raw
# socket, root) at a dtls+dccp listener on the UDP carrier: the listener
# holds at most 1,024 connections waiting for their Ack (the oldest goes
# for each new Request, counted), so its resident memory stays within
# 4 MB of where it was; meanwhile the established session carries every
# datagram, and a client that connects during the flood gets through.
. "$(dirname "$0")/lib.sh"

E=$(free_port)
S=$(free_port)
U=$(free_port)
L=$(free_port)
L2=$(free_port)
M=$(free_tcp_port)
FWD="dtls+dccp://127.0.0.1:$S?encap-port=$U&service=42"
echo_server "$E"
# under AddressSanitizer, what the evictions free is reused, not held in
# quarantine (no effect on a build without it)
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
gw server -l "$FWD" -f "udp://127.0.0.1:$E" --metrics "127.0.0.1:$M"
gw client -l "udp://127.0.0.1:$L" -f "$FWD"

rss() {	# PID: resident set, kB
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}
metric() {	# NAME: its value on the server's /metrics
	curl -sS --max-time 5 "http://127.0.0.1:$M/metrics" |
		awk -v n="$1" '$1 == n { print $2 }'
}
flood() {	# COUNT SOURCES BASE: Requests at 10,000 a second
	"$UDPTOOL" inject "$3" 30000 127.0.0.1 "$U" "dccp-request/$S/42" \
		"$1" "$2" 10000 >"$T/inject.out" 2>&1 ||
		fail "inject: $(cat "$T/inject.out")"
}

SRC=$(free_port)
"$UDPTOOL" send 127.0.0.1 "$L" 200 8 1200 8 10 "$SRC" >"$T/first.out" 2>&1 ||
	fail "no session: $(cat "$T/first.out")"
# warm up: the table, the pools and the allocator at their working size
flood 4000 4000 127.4.0.1
sleep 0.5
rss0=$(rss "$PID_server")
evicted0=$(metric dtlsgw_dccp_half_open_evicted_total)

flood 60000 20000 127.5.0.1 &
fpid=$!
sleep 0.5
# the established session, during the flood
"$UDPTOOL" send 127.0.0.1 "$L" 2000 8 1200 8 20 "$SRC" >"$T/during.out" \
	2>&1 || fail "the established session lost datagrams: $(cat "$T/during.out")"
# a new client, during the flood
gw client2 -l "udp://127.0.0.1:$L2" -f "$FWD"
"$UDPTOOL" send 127.0.0.1 "$L2" 200 8 1200 8 20 >"$T/new.out" 2>&1 ||
	fail "a client connecting during the flood: $(cat "$T/new.out")"
half=$(metric dtlsgw_dccp_half_open)
wait "$fpid" || fail "the flood failed"
sleep 0.5
rss1=$(rss "$PID_server")
half_end=$(metric dtlsgw_dccp_half_open)
evicted=$(($(metric dtlsgw_dccp_half_open_evicted_total) - evicted0))
conns=$(metric dtlsgw_dccp_connections)

[ "$half" -le 1024 ] && [ "$half_end" -le 1024 ] ||
	fail "$half, then $half_end connections waiting for an Ack, over 1024"
[ "$evicted" -ge 55000 ] || fail "only $evicted waiting connections evicted"
[ "$conns" -le 1026 ] || fail "$conns connections after the flood"
grew=$((rss1 - rss0))
[ "$grew" -lt 4096 ] ||
	fail "resident memory grew by $grew kB (from $rss0 kB) over the flood"
ok "60,000 Requests from 20,000 forged sources: at most $half_end waiting, $evicted evicted, $conns connections, RSS $rss0 -> $rss1 kB"
ok "during the flood: the established session carried $(cat "$T/during.out"); a new client got through: $(cat "$T/new.out")"
