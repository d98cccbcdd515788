#!/bin/sh
# DCCP in UDP (RFC 6773) on the wire: tshark, told that the encapsulation
# port carries DCCP (decode-as) and the DCCP port DTLS, decodes every
# packet between two dtlsgw as DCCP with a good checksum (the DCCP
# pseudo-header with protocol 33, as RFC 6773 section 5 keeps it), finds
# nothing malformed, sees the handshake and the DTLS records on top, one
# record per packet.  Needs root (capture on lo).
. "$(dirname "$0")/lib.sh"

E=$(free_port)
S=$(free_port)
U=$(free_port)
L=$(free_port)
echo_server "$E"
capture_start "udp port $U"
gw server -l "dtls+dccp://127.0.0.1:$S?encap-port=$U" -f "udp://127.0.0.1:$E"
gw client -l "udp://127.0.0.1:$L" -f "dtls+dccp://127.0.0.1:$S?encap-port=$U"
"$UDPTOOL" send 127.0.0.1 "$L" 2000 8 1200 4 30 >"$T/send.out" 2>&1 ||
	fail "$(cat "$T/send.out")"
ok "dtls+dccp in UDP: $(cat "$T/send.out")"
kill "$PID_client"	# a Close on the wire too
capture_stop

# Wireshark 4.0 offers no DCCP on UDP by itself: dccp-udp.lua lets
# decode-as take it, and puts DTLS on the DCCP port
export DTLS_DCCP_PORT="$S"
set -- -X "lua_script:$(dirname "$0")/dccp-udp.lua" -r "$T/cap.pcapng" \
	-o dccp.check_checksum:TRUE -d "udp.port==$U,dccp"
tshark "$@" -T fields -e dccp.type -e dccp.checksum.status \
	-e dtls.record.content_type -e udp.port >"$T/fields.txt" 2>/dev/null
tshark "$@" >"$T/summary.txt" 2>/dev/null
[ "$(wc -l <"$T/fields.txt")" -ge 4000 ] || fail "too little DCCP captured"
awk -F'\t' '$1 == ""' "$T/fields.txt" | grep -q . &&
	fail "UDP packets on port $U that tshark does not read as DCCP"
awk -F'\t' '$2 != 1' "$T/fields.txt" | grep -q . &&
	fail "DCCP checksums tshark does not verify: $(awk -F'\t' '$2 != 1' "$T/fields.txt" | head -3)"
grep -qi malformed "$T/summary.txt" && fail "tshark finds malformed packets"
awk -F'\t' '$3 ~ /,/' "$T/fields.txt" | grep -q . &&
	fail "a DCCP packet with more than one DTLS record"
[ "$(awk -F'\t' '$3 == 23' "$T/fields.txt" | wc -l)" -ge 4000 ] ||
	fail "fewer DTLS application records than datagrams both ways ($(awk -F'\t' '$3 == 23' "$T/fields.txt" | wc -l) of 4000; capture: $(capture_drops))"
awk -F'\t' '$3 == 22' "$T/fields.txt" | grep -q . || fail "no DTLS handshake"
for t in 0 1 6 7; do
	awk -F'\t' -v t="$t" '$1 == t' "$T/fields.txt" | grep -q . ||
		fail "no DCCP packet of type $t (Request, Response, Close, Reset)"
done
ok "on the wire: $(wc -l <"$T/fields.txt") DCCP packets in UDP, checksums good, none malformed, one DTLS record each"
