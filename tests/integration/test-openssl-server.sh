#!/bin/sh
# A client-side route in front of openssl s_server -dtls1_2: cleartext in,
# DTLS out to a real DTLS server, and its answer back in cleartext.
. "$(dirname "$0")/lib.sh"
certs

L=$(free_port)
S=$(free_port)
# s_server's stdin stays open on the fifo; what we write there, it sends
s_server "$S"
gw gw -l "udp://127.0.0.1:$L" -f "dtls://127.0.0.1:$S" --ca "$C/ca.pem"

echo "ping from a cleartext client" >"$T/client.in"
start_in client "$T/client.in" socat -t 8 - "UDP:127.0.0.1:$L"
wait_log "$T/s_server.log" "ping from a cleartext client" 10 ||
	fail "s_server did not get the datagram"
echo "pong from s_server" >&7
wait_log "$T/client.log" "pong from s_server" 10 ||
	fail "the answer did not come back to the cleartext client"
wait_log "$T/gw.log" "forward DTLS handshake done" 1 ||
	fail "no handshake line"
ok "cleartext -> dtlsgw -> s_server and back"
exec 7>&-
