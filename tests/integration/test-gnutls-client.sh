#!/bin/sh
# gnutls-cli --udp (DTLS 1.2) through a server-side route to a UDP echo.
. "$(dirname "$0")/lib.sh"

P=$(free_port)
E=$(free_port)
echo_server "$E"
gw gw -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$E"

out=$( (echo "gnutls says hello"; sleep 2) |
	timeout 10 gnutls-cli --udp --insecure --port "$P" 127.0.0.1 \
		2>"$T/gnutls.err")
echo "$out" | grep -q "gnutls says hello" ||
	fail "no echo for gnutls-cli: '$out' $(tail -5 "$T/gnutls.err")"
ok "gnutls-cli --udp got its echo"
