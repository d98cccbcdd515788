#!/bin/sh
# Two dtlsgw back to back: cleartext -> client side -> DTLS -> server side
# -> UDP echo, 10,000 datagrams of mixed sizes up to 1,200 bytes, none lost
# or corrupted; a second source resumes the DTLS session.
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

# the first datagrams arrived during the handshake and were held, not lost:
# send proved it.  A second cleartext source gets its own session, resumed.
"$UDPTOOL" send 127.0.0.1 "$L" 100 8 1200 8 20 >"$T/send2.out" 2>&1 ||
	fail "second source: $(cat "$T/send2.out")"
stats client
[ "$(stat_value client route-1 sessions)" = 2 ] ||
	fail "expected 2 client-side sessions"
[ "$(stat_value client route-1 handshakes_resumed)" -ge 1 ] ||
	fail "the second session was not resumed"
[ "$(stat_value client route-1 up_dgrams)" = 10100 ] ||
	fail "up_dgrams is not 10100"
[ "$(stat_value client route-1 down_dgrams)" = 10100 ] ||
	fail "down_dgrams is not 10100"
stats server
[ "$(stat_value server route-1 handshakes_ok)" = 2 ] ||
	fail "server side: expected 2 handshakes"
ok "second source resumed; counters add up"
