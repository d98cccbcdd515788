#!/bin/sh
# A client-side route in front of socat's OPENSSL-DTLS-SERVER, which relays
# to a UDP echo: 500 datagrams there and back, the server's certificate
# checked against the CA.
. "$(dirname "$0")/lib.sh"
certs

L=$(free_port)
S=$(free_port)
E=$(free_port)
echo_server "$E"
start socat socat "OPENSSL-DTLS-SERVER:$S,bind=127.0.0.1,cert=$C/server.pem,key=$C/server.key,verify=0,fork" \
	"UDP:127.0.0.1:$E"
sleep 0.5
gw gw -l "udp://127.0.0.1:$L" -f "dtls://127.0.0.1:$S" --ca "$C/ca.pem"
"$UDPTOOL" send 127.0.0.1 "$L" 500 8 1200 16 20 >"$T/send.out" 2>&1 ||
	fail "through socat: $(cat "$T/send.out")"
wait_log "$T/gw.log" "forward DTLS handshake done" 1 || fail "no handshake line"
ok "cleartext -> dtlsgw -> socat DTLS server: $(cat "$T/send.out")"
