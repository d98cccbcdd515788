#!/bin/sh
# socat's OPENSSL-DTLS-CLIENT through a server-side route to a UDP echo.
. "$(dirname "$0")/lib.sh"

P=$(free_port)
E=$(free_port)
echo_server "$E"
gw gw -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$E"

out=$( (echo "socat over dtls"; sleep 2) |
	timeout 10 socat -t 3 - "OPENSSL-DTLS-CLIENT:127.0.0.1:$P,verify=0" \
		2>"$T/socat.err")
echo "$out" | grep -q "socat over dtls" ||
	fail "no echo for socat: '$out' $(tail -5 "$T/socat.err")"
ok "socat openssl-dtls-client got its echo"
