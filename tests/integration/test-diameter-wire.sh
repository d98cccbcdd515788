#!/bin/sh
# A Diameter exchange on the wire between two dtlsgw, on the standard
# ports: SCTP in UDP on 9899 (RFC 6951), DTLS on SCTP port 5868 (RFC
# 6083).  tshark decodes it with nothing but the key log: every packet
# SCTP with a good CRC32c, AUTH with every DATA chunk, the DTLS handshake,
# and the Diameter messages inside the records (CER/CEA, the requests and
# their answers, DPR/DPA); nothing malformed.  AES-GCM, which tshark 4.0
# decrypts.  Needs root (capture on lo).
. "$(dirname "$0")/lib.sh"

B=$(free_tcp_port)
L=$(free_tcp_port)
diam_server back "$B"
capture_start "udp port 9899"
gw server -l "dtls+sctp://127.0.0.1:5868" -p diameter -f "tcp://127.0.0.1:$B" \
	--keylog "$T/keys.log" --ciphers ECDHE-ECDSA-AES128-GCM-SHA256
gw client -l "tcp://127.0.0.1:$L" -p diameter -f "dtls+sctp://127.0.0.1:5868" \
	--ciphers ECDHE-ECDSA-AES128-GCM-SHA256
"$DIAMTOOL" client 127.0.0.1 "$L" 50 4000 4 20 >"$T/c.out" 2>&1 ||
	fail "$(cat "$T/c.out")"
capture_stop
set -- -r "$T/cap.pcapng" -o "tls.keylog_file:$T/keys.log" \
	-o "sctp.checksum:CRC 32c"
tshark "$@" >"$T/summary.txt" 2>/dev/null
tshark "$@" -T fields -e sctp.chunk_type -e sctp.checksum.status \
	>"$T/fields.txt" 2>/dev/null
tshark "$@" -Y diameter -T fields -e diameter.cmd.code \
	-e diameter.flags.request >"$T/diameter.txt" 2>/dev/null
[ -s "$T/fields.txt" ] || fail "no SCTP in the capture"
awk -F'\t' '$2 != 1' "$T/fields.txt" | grep -q . &&
	fail "packets without a good CRC32c"
grep -qi malformed "$T/summary.txt" && fail "tshark finds malformed packets"
noauth=$(data_without_auth "$T/fields.txt")
[ "$noauth" = 0 ] || fail "$noauth packets carry DATA without AUTH"
grep -q "Client Hello" "$T/summary.txt" || fail "no DTLS handshake seen"
# requests (flag 1) and answers (0) of CER (257), the 50 requests (272)
# and DPR (282), one or two to a packet
count() {	# code request
	awk -F'\t' -v c="$1" -v r="$2" '{
		n = split($1, cs, ","); split($2, rs, ",")
		for (i = 1; i <= n; i++) if (cs[i] == c && rs[i] == r) k++
	} END { print k + 0 }' "$T/diameter.txt"
}
for c in 257 282; do
	[ "$(count $c 1)" = 1 ] && [ "$(count $c 0)" = 1 ] ||
		fail "command $c: not one request and one answer decoded"
done
[ "$(count 272 1)" = 50 ] && [ "$(count 272 0)" = 50 ] ||
	fail "272: $(count 272 1) requests and $(count 272 0) answers decoded, not 50"
ok "Diameter in DTLS in SCTP in UDP/9899: CER/CEA, 50 requests and answers, DPR/DPA decoded; AUTH on every DATA; CRC32c good"
