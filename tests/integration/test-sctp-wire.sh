#!/bin/sh
# What the SCTP backend puts on the wire: tshark decodes the UDP
# encapsulation (RFC 6951) as SCTP, every packet's CRC32c is good, nothing
# is malformed, and the association goes INIT, INIT ACK, COOKIE ECHO,
# COOKIE ACK, DATA and SACK.  Needs root (capture on lo).
. "$(dirname "$0")/lib.sh"

S=$(free_port)
U=$(free_port)
L=$(free_port)
E=$(free_port)
echo_server "$E"
capture_start "udp port $U"
gw server -l "sctp://127.0.0.1:$S?encap-port=$U" -f "udp://127.0.0.1:$E"
gw client -l "udp://127.0.0.1:$L" -f "sctp://127.0.0.1:$S?encap-port=$U"
"$UDPTOOL" send 127.0.0.1 "$L" 200 8 3000 4 20 >"$T/send.out" 2>&1 ||
	fail "$(cat "$T/send.out")"
capture_stop
dec() {
	tshark -r "$T/cap.pcapng" -d "udp.port==$U,sctp" \
		-o "sctp.checksum:CRC 32c" "$@" 2>/dev/null
}
dec -T fields -e sctp.chunk_type -e sctp.checksum.status >"$T/fields.txt"
[ -s "$T/fields.txt" ] || fail "no SCTP in the capture"
bad=$(awk -F'\t' '$2 != 1' "$T/fields.txt" | wc -l)
[ "$bad" = 0 ] || fail "$bad packets without a good CRC32c: $(head "$T/fields.txt")"
dec | grep -qi malformed && fail "tshark finds malformed packets"
for c in 1 2 10 11 0 3; do
	cut -f1 "$T/fields.txt" | tr ',' '\n' | grep -qx "$c" ||
		fail "no chunk of type $c on the wire"
done
ok "$(wc -l <"$T/fields.txt") SCTP packets in UDP, CRC32c good, none malformed"
