#!/bin/sh
# Two dtlsgw back to back: cleartext -> client side -> DTLS -> server side
# -> UDP echo, 10,000 datagrams of mixed sizes up to 1,200 bytes, none lost
# or corrupted; 20,000 of 1,000 bytes, 64 in flight, carried as GSO messages
# and GRO runs both ways; a second source resumes the DTLS session.
. "$(dirname "$0")/lib.sh"

L=$(free_port)
P=$(free_port)
E=$(free_port)
echo_server "$E"
gw server -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$E"
fp=$(grep -Eo 'fingerprint sha256:[0-9A-F:]+' "$T/server.log" | head -n 1 |
	sed 's/fingerprint //')
gw client -l "udp://127.0.0.1:$L" -f "dtls://127.0.0.1:$P" \
	--peer-fingerprint "$fp"

"$UDPTOOL" send 127.0.0.1 "$L" 10000 8 1200 32 60 >"$T/send.out" 2>&1 ||
	fail "$(cat "$T/send.out")"
ok "$(cat "$T/send.out")"

# equal sizes, many in flight: runs that leave as one GSO message and may
# arrive as one GRO run, to be cut back into datagrams (beyond a batch too);
# 64 in flight, as many as a new session holds while its handshake runs
"$UDPTOOL" send 127.0.0.1 "$L" 20000 1000 1000 64 60 >"$T/runs.out" 2>&1 ||
	fail "runs of equal datagrams: $(cat "$T/runs.out")"
ok "runs of equal datagrams: $(cat "$T/runs.out")"

# the first datagrams arrived during the handshake and were held, not lost:
# send proved it.  A second cleartext source gets its own session, resumed.
"$UDPTOOL" send 127.0.0.1 "$L" 100 8 1200 8 20 >"$T/send2.out" 2>&1 ||
	fail "second source: $(cat "$T/send2.out")"
stats client
[ "$(stat_value client route-1 sessions)" = 3 ] ||
	fail "expected 3 client-side sessions"
[ "$(stat_value client route-1 handshakes_resumed)" -ge 1 ] ||
	fail "the second session was not resumed"
[ "$(stat_value client route-1 up_dgrams)" = 30100 ] ||
	fail "up_dgrams is not 30100"
[ "$(stat_value client route-1 down_dgrams)" = 30100 ] ||
	fail "down_dgrams is not 30100"
stats server
[ "$(stat_value server route-1 handshakes_ok)" = 3 ] ||
	fail "server side: expected 3 handshakes"
ok "second source resumed; counters add up"

# every session carried data both ways: its records are the gateway's own
[ "$(stat_value client route-1 own_records)" = 3 ] ||
	fail "client: not every session on the own record layer"
[ "$(stat_value server route-1 own_records)" = 3 ] ||
	fail "server: not every session on the own record layer"

# the runs went as GSO messages and came in as GRO runs, both sides (Linux
# 4.18 and 5.0 have them; Debian 12's 6.1 does)
for side in client server; do
	for k in gso_runs gro_runs; do
		[ "$(stat_value $side route-1 $k)" -ge 1 ] ||
			fail "$side: no $k: $(grep 'stats route=' "$T/$side.log" | tail -n 1)"
	done
done
ok "GSO and GRO carried the runs: client $(stat_value client route-1 gso_runs)/$(stat_value client route-1 gro_runs), server $(stat_value server route-1 gso_runs)/$(stat_value server route-1 gro_runs) (sent/received runs)"
