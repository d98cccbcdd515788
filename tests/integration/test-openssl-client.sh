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

# $SSLKEYLOGFILE works as --keylog does, and the secrets go nowhere else
P2=$(free_port)
start envkeys env SSLKEYLOGFILE="$T/env-keys.log" "$DTLSGW" \
	-l "dtls://127.0.0.1:$P2" -f "udp://127.0.0.1:$E"
wait_log "$T/envkeys.log" 'ready' 10 || fail "gateway with SSLKEYLOGFILE"
(echo "logged"; sleep 1) | timeout 10 openssl s_client -dtls1_2 \
	-connect "127.0.0.1:$P2" -quiet -no_ign_eof >/dev/null 2>&1
wait_log "$T/env-keys.log" '^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$' 5 ||
	fail "no key-log line from \$SSLKEYLOGFILE"
secret=$(cut -d' ' -f3 "$T/env-keys.log" | head -n 1)
grep -q "$secret" "$T/envkeys.log" && fail "the master secret is in the log"
ok "\$SSLKEYLOGFILE gets the key-log lines, the log does not"
