#!/bin/sh
# Fingerprint pinning, both directions: the right pin passes, a wrong one
# does not.
. "$(dirname "$0")/lib.sh"
certs

P=$(free_port)
E=$(free_port)
echo_server "$E"
# the server pins the client's certificate (no CA at all)
gw server -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$E" \
	--cert "$C/server.pem" --key "$C/server.key" \
	--peer-fingerprint "$(cat "$C/client.fp")"

# the client pins the server's certificate (written with colons here)
L1=$(free_port)
pin=$(openssl x509 -in "$C/server.pem" -noout -fingerprint -sha256 |
	sed 's/.*=/sha256:/')
gw good -l "udp://127.0.0.1:$L1" -f "dtls://127.0.0.1:$P" \
	--cert "$C/client.pem" --key "$C/client.key" --peer-fingerprint "$pin"
"$UDPTOOL" send 127.0.0.1 "$L1" 50 8 500 8 10 >"$T/good.out" 2>&1 ||
	fail "right pins: $(cat "$T/good.out")"
ok "pinned both ways: accepted"

# the client pins something else: it refuses the server
L2=$(free_port)
gw wrongpin -l "udp://127.0.0.1:$L2" -f "dtls://127.0.0.1:$P" \
	--cert "$C/client.pem" --key "$C/client.key" \
	--peer-fingerprint "$(cat "$C/rogue.fp")"
if "$UDPTOOL" send 127.0.0.1 "$L2" 5 8 100 5 4 >"$T/wrong.out" 2>&1; then
	fail "a server that is not pinned was accepted"
fi
wait_log "$T/wrongpin.log" "not pinned" 5 || fail "no 'not pinned' in the log"
ok "wrong pin on the client side: refused"

# a client whose certificate the server has not pinned
L3=$(free_port)
gw rogue -l "udp://127.0.0.1:$L3" -f "dtls://127.0.0.1:$P" \
	--cert "$C/rogue.pem" --key "$C/rogue.key" --peer-fingerprint "$pin"
if "$UDPTOOL" send 127.0.0.1 "$L3" 5 8 100 5 4 >"$T/rogue.out" 2>&1; then
	fail "a client that is not pinned was accepted"
fi
wait_log "$T/server.log" "not pinned" 5 || fail "the server did not say why"
ok "client not pinned: refused"
