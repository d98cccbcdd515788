#!/bin/sh
# SCTP in raw IP (?encap=raw, IP protocol 132: what a Linux kernel SCTP
# peer speaks) between two dtlsgw, cleartext and with DTLS (RFC 6083):
# UDP -> client side -> server side -> UDP echo, messages up to 16 KiB.
# On the wire (tshark): SCTP straight on IP, no UDP, CRC32c good, nothing
# malformed, AUTH with every DATA chunk under DTLS.  Needs root (raw
# sockets, capture on lo).
. "$(dirname "$0")/lib.sh"

E=$(free_port)
echo_server "$E"
capture_start "ip proto 132"
for scheme in sctp dtls+sctp; do
	S=$(free_port)	# an SCTP port; no UDP port is involved
	L=$(free_port)
	gw "server-$scheme" -l "$scheme://127.0.0.1:$S?encap=raw" \
		-f "udp://127.0.0.1:$E"
	gw "client-$scheme" -l "udp://127.0.0.1:$L" \
		-f "$scheme://127.0.0.1:$S?encap=raw"
	"$UDPTOOL" send 127.0.0.1 "$L" 2000 8 3000 8 20 >"$T/send.out" 2>&1 ||
		fail "$scheme: $(cat "$T/send.out")"
	"$UDPTOOL" send 127.0.0.1 "$L" 200 8000 16384 4 20 >"$T/big.out" \
		2>&1 || fail "$scheme, up to 16 KiB: $(cat "$T/big.out")"
	ok "$scheme in raw IP: $(cat "$T/send.out"); up to 16 KiB: $(cat "$T/big.out")"
done
capture_stop
set -- -r "$T/cap.pcapng" -o "sctp.checksum:CRC 32c"
tshark "$@" -T fields -e sctp.chunk_type -e sctp.checksum.status -e udp.port \
	>"$T/fields.txt" 2>/dev/null
tshark "$@" >"$T/summary.txt" 2>/dev/null
[ "$(wc -l <"$T/fields.txt")" -gt 1000 ] || fail "too little SCTP captured"
awk -F'\t' '$2 != 1' "$T/fields.txt" | grep -q . &&
	fail "packets without a good CRC32c"
awk -F'\t' '$3 != ""' "$T/fields.txt" | grep -q . && fail "UDP in raw mode"
grep -qi malformed "$T/summary.txt" && fail "tshark finds malformed packets"
cut -f1 "$T/fields.txt" | tr ',' '\n' | grep -qx 15 ||
	fail "no AUTH chunk: the DTLS association is not authenticated"
ok "on the wire: $(wc -l <"$T/fields.txt") SCTP packets on IP, CRC32c good, AUTH present, none malformed"
