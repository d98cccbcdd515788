#!/bin/sh
# The server side restarts under a client side that keeps its sessions'
# resumption state: the client side's session ends with the server's
# close_notify, and the next datagram from the same source gets a new
# session at once, with a full handshake (the old session's resumption
# is refused by the new process, and the retry goes without it).
. "$(dirname "$0")/lib.sh"

certs
L=$(free_port)
P=$(free_port)
E=$(free_port)
echo_server "$E"
fp=sha256:$(openssl x509 -in "$C/server.pem" -noout -fingerprint -sha256 |
	cut -d= -f2)
gw server -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$E" \
	--cert "$C/server.pem" --key "$C/server.key"
gw client -l "udp://127.0.0.1:$L" -f "dtls://127.0.0.1:$P" \
	--peer-fingerprint "$fp"
"$UDPTOOL" send 127.0.0.1 "$L" 200 8 1000 8 20 45002 >"$T/r1.out" 2>&1 ||
	fail "before the restart: $(cat "$T/r1.out")"
# a second source: its session is resumed, so the client side keeps one
"$UDPTOOL" send 127.0.0.1 "$L" 20 8 1000 8 20 >"$T/r1b.out" 2>&1 ||
	fail "second source: $(cat "$T/r1b.out")"
wait_log "$T/client.log" "resumed" 5 || fail "no resumption to start from"

kill "$PID_server"
wait_log "$T/client.log" "session closed \(close_notify from the forward side\)" 10 ||
	fail "the client side did not see the server side go"
gw server2 -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$E" \
	--cert "$C/server.pem" --key "$C/server.key"
"$UDPTOOL" send 127.0.0.1 "$L" 200 8 1000 8 20 45002 >"$T/r2.out" 2>&1 ||
	fail "after the restart: $(cat "$T/r2.out")"
ok "after the server side restarted: $(cat "$T/r2.out")"
