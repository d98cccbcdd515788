#!/bin/sh
# The same chain over IPv6 loopback, and openssl s_client over IPv6.
. "$(dirname "$0")/lib.sh"

L=$(free_port)
P=$(free_port)
E=$(free_port)
echo_server "$E" ::1
gw server -l "dtls://[::1]:$P" -f "udp://[::1]:$E"
gw client -l "udp://[::1]:$L" -f "dtls://[::1]:$P"
"$UDPTOOL" send ::1 "$L" 1000 8 1200 32 30 >"$T/send.out" 2>&1 ||
	fail "$(cat "$T/send.out")"
ok "IPv6 chain: $(cat "$T/send.out")"
wait_log "$T/server.log" '\[::1\]:[0-9]+: DTLS handshake done' 1 ||
	fail "the server's log does not name the IPv6 peer"

out=$( (echo "v6 hello"; sleep 2) |
	timeout 10 openssl s_client -dtls1_2 -connect "[::1]:$P" -quiet -no_ign_eof \
		2>/dev/null)
echo "$out" | grep -q "v6 hello" || fail "s_client over IPv6: '$out'"
ok "openssl s_client over IPv6"
