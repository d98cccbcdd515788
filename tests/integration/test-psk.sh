#!/bin/sh
# Pre-shared keys: the same identity and key pass; another key does not.
# Also against openssl s_client -psk.
. "$(dirname "$0")/lib.sh"

P=$(free_port)
E=$(free_port)
KEY=00112233445566778899aabbccddeeff
echo_server "$E"
gw server -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$E" \
	--psk-identity gw-test --psk "$KEY"
grep -q "$KEY" "$T/server.log" && fail "the PSK appears in the log"

L1=$(free_port)
gw good -l "udp://127.0.0.1:$L1" -f "dtls://127.0.0.1:$P" \
	--psk-identity gw-test --psk "$KEY"
"$UDPTOOL" send 127.0.0.1 "$L1" 100 8 1000 8 10 >"$T/good.out" 2>&1 ||
	fail "same PSK: $(cat "$T/good.out")"
wait_log "$T/good.log" "handshake done \(DTLSv1.2 [A-Z0-9-]*PSK" 2 ||
	fail "not a PSK cipher suite"
ok "PSK accepted"

L2=$(free_port)
gw bad -l "udp://127.0.0.1:$L2" -f "dtls://127.0.0.1:$P" \
	--psk-identity gw-test --psk ffeeddccbbaa99887766554433221100
if "$UDPTOOL" send 127.0.0.1 "$L2" 5 8 100 5 4 >"$T/bad.out" 2>&1; then
	fail "a wrong PSK got through"
fi
ok "wrong PSK refused"

out=$( (echo "psk from openssl"; sleep 2) | timeout 10 openssl s_client \
	-dtls1_2 -connect "127.0.0.1:$P" -psk_identity gw-test -psk "$KEY" \
	-cipher ECDHE-PSK-CHACHA20-POLY1305 -quiet -no_ign_eof 2>"$T/s_client.err")
echo "$out" | grep -q "psk from openssl" ||
	fail "s_client with PSK: '$out' $(tail -3 "$T/s_client.err")"
ok "openssl s_client -psk got its echo"
grep -q "$KEY" "$T"/*.log && fail "the PSK appears in a log"
ok "the PSK never reaches a log"
