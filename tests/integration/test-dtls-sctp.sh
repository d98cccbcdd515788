#!/bin/sh
# DTLS over SCTP (RFC 6083) between two dtlsgw: cleartext UDP -> client
# side (udp -> dtls+sctp) -> server side (dtls+sctp -> udp) -> UDP echo.
# One record per SCTP message, no retransmission timers, records of up to
# 16 KiB (larger than any UDP datagram DTLS could carry here), SCTP-AUTH
# keyed from the DTLS exporter (the wire test looks at the AUTH chunks).
. "$(dirname "$0")/lib.sh"

S=$(free_port)
U=$(free_port)
L=$(free_port)
E=$(free_port)
echo_server "$E"
gw server -l "dtls+sctp://127.0.0.1:$S?encap-port=$U" -f "udp://127.0.0.1:$E"
fp=$(grep -Eo 'fingerprint sha256:[0-9A-F:]+' "$T/server.log" | head -n 1 |
	sed 's/fingerprint //')
gw client -l "udp://127.0.0.1:$L" -f "dtls+sctp://127.0.0.1:$S?encap-port=$U" \
	--peer-fingerprint "$fp"

"$UDPTOOL" send 127.0.0.1 "$L" 3000 8 1200 16 30 >"$T/send.out" 2>&1 ||
	fail "mixed sizes: $(cat "$T/send.out")"
ok "mixed sizes: $(cat "$T/send.out")"
"$UDPTOOL" send 127.0.0.1 "$L" 300 8000 16384 4 30 >"$T/big.out" 2>&1 ||
	fail "records up to 16 KiB: $(cat "$T/big.out")"
ok "records up to 16 KiB: $(cat "$T/big.out")"

grep -q "SCTP-AUTH key from the DTLS exporter installed" "$T/server.log" ||
	fail "server side: no SCTP-AUTH key installed"
grep -q "SCTP-AUTH key from the DTLS exporter installed" "$T/client.log" ||
	fail "client side: no SCTP-AUTH key installed"
stats client
stats server
for side in client server; do
	# two sources, two associations: a full handshake, then a resumed one
	[ "$(stat_value $side route-1 handshakes_ok)" = 2 ] ||
		fail "$side: expected two handshakes"
	[ "$(stat_value $side route-1 handshakes_resumed)" = 1 ] ||
		fail "$side: the second session was not resumed"
	[ "$(stat_value $side route-1 own_records)" = 2 ] ||
		fail "$side: the records are not the gateway's own"
	[ "$(stat_value $side route-1 up_dgrams)" = 3300 ] ||
		fail "$side: up_dgrams is not 3300"
done
# a reliable transport: the handshake set no retransmission timer
grep -q "retransmi" "$T/client.log" "$T/server.log" &&
	fail "a retransmission on a reliable association"
ok "a handshake per association (the second resumed), SCTP-AUTH keyed, counters add up"
