#!/bin/sh
# openssl s_client -dtls1_2 through a server-side route to a UDP echo
# service: the gateway terminates DTLS, the echo comes back encrypted.
. "$(dirname "$0")/lib.sh"

P=$(free_port)
E=$(free_port)
echo_server "$E"
gw gw -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$E"

# s_client sends each stdin line as one record and prints what comes back
out=$( (echo "hello through dtlsgw"; sleep 2) |
	timeout 10 openssl s_client -dtls1_2 -connect "127.0.0.1:$P" \
		-quiet -no_ign_eof 2>"$T/s_client.err")
echo "$out" | grep -q "hello through dtlsgw" ||
	fail "no echo through the gateway: '$out' $(cat "$T/s_client.err")"
wait_log "$T/gw.log" "127.0.0.1:[0-9]+: DTLS handshake done \(DTLSv1.2" 5 ||
	fail "no handshake line naming the peer"
ok "openssl s_client got its echo"

# the ephemeral certificate's fingerprint was logged, and is what s_client saw
fp=$(grep -Eo 'fingerprint sha256:[0-9A-F:]+' "$T/gw.log" | head -n 1 |
	sed 's/fingerprint sha256://; s/://g')
[ -n "$fp" ] || fail "no ephemeral certificate fingerprint in the log"
seen=$(echo | timeout 10 openssl s_client -dtls1_2 -connect "127.0.0.1:$P" \
	2>/dev/null | openssl x509 -noout -fingerprint -sha256 |
	sed 's/.*=//; s/://g')
[ "$fp" = "$seen" ] || fail "logged fingerprint $fp, served $seen"
ok "the logged fingerprint is the served certificate's"
