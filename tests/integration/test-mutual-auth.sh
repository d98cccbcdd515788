#!/bin/sh
# Mutual authentication: a client certificate from the configured CA is
# accepted; one from another CA, or none, is refused.
. "$(dirname "$0")/lib.sh"
certs

P=$(free_port)
E=$(free_port)
echo_server "$E"
gw server -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$E" \
	--cert "$C/server.pem" --key "$C/server.key" --ca "$C/ca.pem"

# the right CA on both sides
L1=$(free_port)
gw good -l "udp://127.0.0.1:$L1" -f "dtls://127.0.0.1:$P" \
	--cert "$C/client.pem" --key "$C/client.key" --ca "$C/ca.pem"
"$UDPTOOL" send 127.0.0.1 "$L1" 50 8 500 8 10 >"$T/good.out" 2>&1 ||
	fail "with the right CA: $(cat "$T/good.out")"
ok "client certificate from the CA accepted"

# a client certificate from another CA
L2=$(free_port)
gw rogue -l "udp://127.0.0.1:$L2" -f "dtls://127.0.0.1:$P" \
	--cert "$C/rogue.pem" --key "$C/rogue.key" --ca "$C/ca.pem"
if "$UDPTOOL" send 127.0.0.1 "$L2" 5 8 100 5 4 >"$T/rogue.out" 2>&1; then
	fail "a certificate from another CA got through"
fi
wait_log "$T/server.log" "127.0.0.1:[0-9]+: DTLS handshake failed" 5 ||
	fail "the server did not log the refused handshake with the peer"
ok "client certificate from another CA refused"

# no client certificate at all (openssl s_client without -cert)
out=$( (echo "no cert"; sleep 1) | timeout 10 openssl s_client -dtls1_2 \
	-connect "127.0.0.1:$P" -quiet -no_ign_eof 2>&1)
echo "$out" | grep -q "^no cert" && fail "a client without certificate got an echo"
ok "client without a certificate refused"

# the client side refuses a server whose CA it does not trust
L3=$(free_port)
gw distrust -l "udp://127.0.0.1:$L3" -f "dtls://127.0.0.1:$P" \
	--cert "$C/client.pem" --key "$C/client.key" --ca "$C/other-ca.pem"
if "$UDPTOOL" send 127.0.0.1 "$L3" 5 8 100 5 4 >"$T/distrust.out" 2>&1; then
	fail "a server from an untrusted CA was accepted"
fi
wait_log "$T/distrust.log" "forward DTLS handshake with 127.0.0.1:$P failed" 5 ||
	fail "the client side did not log the refused server"
ok "server certificate from an untrusted CA refused"
