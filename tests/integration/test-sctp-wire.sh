#!/bin/sh
# What the SCTP backend puts on the wire, cleartext and with DTLS (RFC
# 6083): tshark decodes the UDP encapsulation (RFC 6951) as SCTP, every
# packet's CRC32c is good, nothing is malformed, the association goes
# INIT, INIT ACK, COOKIE ECHO, COOKIE ACK, DATA and SACK; with DTLS, tshark
# sees the DTLS handshake and records on top, and every DATA chunk comes
# with an AUTH chunk in its packet.  Needs root (capture on lo).
. "$(dirname "$0")/lib.sh"

E=$(free_port)
echo_server "$E"

# capture_run SCHEME: a client side and a server side over SCHEME, 200
# datagrams through them, the capture's chunk types and CRC verdicts in
# $T/fields.txt and its summary in $T/summary.txt.
capture_run() {
	S=$(free_port)
	U=$(free_port)
	L=$(free_port)
	capture_start "udp port $U"
	gw "server-$1" -l "$1://127.0.0.1:$S?encap-port=$U&streams=7" \
		-f "udp://127.0.0.1:$E"
	gw "client-$1" -l "udp://127.0.0.1:$L" \
		-f "$1://127.0.0.1:$S?encap-port=$U&streams=9"
	"$UDPTOOL" send 127.0.0.1 "$L" 200 8 3000 4 20 >"$T/send.out" 2>&1 ||
		fail "$1: $(cat "$T/send.out")"
	capture_stop
	set -- -r "$T/cap.pcapng" -d "udp.port==$U,sctp" \
		-d "sctp.port==$S,dtls" -o "sctp.checksum:CRC 32c"
	tshark "$@" -T fields -e sctp.chunk_type -e sctp.checksum.status \
		>"$T/fields.txt" 2>/dev/null
	tshark "$@" >"$T/summary.txt" 2>/dev/null
	[ -s "$T/fields.txt" ] || fail "no SCTP in the capture"
	awk -F'\t' '$2 != 1' "$T/fields.txt" | grep -q . &&
		fail "packets without a good CRC32c"
	grep -qi malformed "$T/summary.txt" &&
		fail "tshark finds malformed packets"
	for c in 1 2 10 11 0 3; do
		cut -f1 "$T/fields.txt" | tr ',' '\n' | grep -qx "$c" ||
			fail "no chunk of type $c on the wire"
	done
	# ?streams=N both ways: the client offers 9, the server 7
	tshark "$@" -Y sctp.init_nr_out_streams -T fields \
		-e sctp.init_nr_out_streams -e sctp.init_nr_in_streams \
		2>/dev/null | sort -u >"$T/streams.txt"
	tshark "$@" -Y sctp.initack_nr_out_streams -T fields \
		-e sctp.initack_nr_out_streams -e sctp.initack_nr_in_streams \
		2>/dev/null | sort -u >>"$T/streams.txt"
	[ "$(cat "$T/streams.txt" | tr '\t\n' '  ')" = "9 9 7 7 " ] ||
		fail "streams in INIT, INIT ACK: $(cat "$T/streams.txt")"
}

capture_run sctp
cut -f1 "$T/fields.txt" | tr ',' '\n' | grep -qx 15 &&
	fail "AUTH chunks on a cleartext association"
ok "sctp: $(wc -l <"$T/fields.txt") SCTP packets in UDP, CRC32c good, none malformed"

capture_run dtls+sctp
# chunk types: 0 DATA, 15 AUTH
noauth=$(data_without_auth "$T/fields.txt")
[ "$noauth" = 0 ] || fail "$noauth packets carry DATA without AUTH"
grep -q "Client Hello" "$T/summary.txt" || fail "tshark sees no DTLS handshake"
grep -q "Application Data" "$T/summary.txt" ||
	fail "tshark sees no DTLS records of data"
ok "dtls+sctp: every DATA chunk with AUTH, DTLS on SCTP in UDP, CRC32c good"
