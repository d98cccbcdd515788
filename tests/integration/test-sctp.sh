#!/bin/sh
# Cleartext SCTP (usrsctp, UDP encapsulation per RFC 6951) between two
# dtlsgw: cleartext UDP -> client side (udp -> sctp) -> server side
# (sctp -> udp) -> UDP echo.  Mixed sizes, many in flight; messages of 8 to
# 16 KiB whole (SCTP fragments and reassembles them); a second source gets
# its own association; the server side killed and restarted: the client
# side notices the association ended and opens another.
. "$(dirname "$0")/lib.sh"

S=$(free_port)	# the server side's SCTP port (usrsctp's own numbering)
U=$(free_port)	# its UDP encapsulation port
L=$(free_port)
E=$(free_port)
echo_server "$E"
gw server -l "sctp://127.0.0.1:$S?encap-port=$U&streams=8" \
	-f "udp://127.0.0.1:$E"
gw client -l "udp://127.0.0.1:$L" \
	-f "sctp://127.0.0.1:$S?encap-port=$U&streams=8"

"$UDPTOOL" send 127.0.0.1 "$L" 5000 8 1200 32 30 >"$T/send.out" 2>&1 ||
	fail "mixed sizes: $(cat "$T/send.out")"
ok "mixed sizes: $(cat "$T/send.out")"

# a few large messages in flight: the UDP legs' socket buffers, not SCTP,
# bound how many the test may have outstanding
"$UDPTOOL" send 127.0.0.1 "$L" 300 8000 16384 4 30 >"$T/big.out" 2>&1 ||
	fail "up to 16 KiB: $(cat "$T/big.out")"
ok "messages up to 16 KiB, whole: $(cat "$T/big.out")"

"$UDPTOOL" send 127.0.0.1 "$L" 200 8 1000 8 20 >"$T/send2.out" 2>&1 ||
	fail "second source: $(cat "$T/send2.out")"
stats client
stats server
[ "$(stat_value client route-1 sessions)" = 3 ] ||
	fail "client side: expected 3 sessions (associations)"
[ "$(stat_value server route-1 sessions)" = 3 ] ||
	fail "server side: expected 3 sessions (one per association)"
[ "$(stat_value server route-1 up_dgrams)" = 5500 ] ||
	fail "server side: up_dgrams is not 5500"
[ "$(stat_value server route-1 down_dgrams)" = 5500 ] ||
	fail "server side: down_dgrams is not 5500"
[ "$(stat_value server route-1 rx_truncated)" = 0 ] ||
	fail "server side: messages cut"
ok "one association per source, counters add up"

# the server side goes (ABORT on the way out) and comes back: the client
# side's session ends with its association, the next datagram opens another
kill "$PID_server"
wait_log "$T/client.log" "forward connection with 127.0.0.1:$S ended" 10 ||
	fail "the client side did not notice the association end"
gw server2 -l "sctp://127.0.0.1:$S?encap-port=$U&streams=8" \
	-f "udp://127.0.0.1:$E"
"$UDPTOOL" send 127.0.0.1 "$L" 100 8 1000 4 20 >"$T/send3.out" 2>&1 ||
	fail "after the restart: $(cat "$T/send3.out")"
ok "a new association after the server side restarted: $(cat "$T/send3.out")"
