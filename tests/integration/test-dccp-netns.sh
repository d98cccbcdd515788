#!/bin/sh
# DCCP in raw IP (protocol 33, the wire format of kernel DCCP peers)
# between two network namespaces joined by a veth pair, with DTLS on top
# (RFC 5238): in namespace A, cleartext UDP -> client side; in B, the
# server side -> UDP echo.
#  1. 10,000 datagrams cross and come back, none corrupted; tshark on the
#     veth decodes every packet as DCCP, checksums good, nothing
#     malformed, DTLS records on top.
#  2. With an nftables rule dropping 2% of DCCP packets at random in each
#     namespace: the connection stays up (one, the same), every datagram
#     that arrives is intact, about 98% arrive each way, and CCID 2
#     halves its window (the SIGUSR1 counters say so).
# Needs root: namespaces, veth, raw sockets, nftables, capture.
. "$(dirname "$0")/lib.sh"

command -v nft >/dev/null || fail "nft is not installed (nftables)"
netns_pair dccp 10.201.0.1 10.201.0.2

S=5238		# the DCCP port: any, the namespace is ours
E=7		# the echo service, in B
L=7000		# the client side's cleartext port, in A
NETNS=$B
echo_server "$E"
gw server -l "dtls+dccp://10.201.0.2:$S?encap=raw&service=DTGW" \
	-f "udp://127.0.0.1:$E"
NETNS=$A
gw client -l "udp://127.0.0.1:$L" \
	-f "dtls+dccp://10.201.0.2:$S?encap=raw&service=DTGW"
NETNS=

start tshark ip netns exec "$B" tshark -i "$VB" -n -w "$T/cap.pcapng" \
	-f "ip proto 33"
TSHARK_PID=$LAST_PID
wait_log "$T/tshark.log" "Capturing on" 10 || fail "tshark did not start"
sleep 1		# "Capturing on" comes a little before the capture does

# one source port for both runs: one session, one DCCP connection
ip netns exec "$A" "$UDPTOOL" send 127.0.0.1 "$L" 10000 8 1200 32 60 40000 \
	>"$T/send.out" 2>&1 || fail "no loss: $(cat "$T/send.out")"
ok "raw IP between namespaces: $(cat "$T/send.out")"
capture_stop

# DTLS on the DCCP port: dccp-udp.lua (Wireshark 4.0 has no decode-as there)
export DTLS_DCCP_PORT="$S"
set -- -X "lua_script:$(dirname "$0")/dccp-udp.lua" -r "$T/cap.pcapng" \
	-o dccp.check_checksum:TRUE
tshark "$@" -T fields -e dccp.type -e dccp.checksum.status -e dtls.record.content_type \
	>"$T/fields.txt" 2>/dev/null
tshark "$@" >"$T/summary.txt" 2>/dev/null
[ "$(wc -l <"$T/fields.txt")" -ge 10000 ] || fail "too little DCCP captured"
awk -F'\t' '$2 != 1' "$T/fields.txt" | grep -q . &&
	fail "packets whose DCCP checksum tshark does not verify: $(awk -F'\t' '$2 != 1' "$T/fields.txt" | head -3)"
grep -qi malformed "$T/summary.txt" && fail "tshark finds malformed packets"
awk -F'\t' '$3 ~ /23/' "$T/fields.txt" | wc -l >"$T/appdata"
[ "$(cat "$T/appdata")" -ge 10000 ] ||
	fail "fewer than 10000 DTLS application records on DCCP"
awk -F'\t' '$3 ~ /22/' "$T/fields.txt" | grep -q . ||
	fail "no DTLS handshake on DCCP"
for t in 0 1 2 3 4; do
	awk -F'\t' -v t="$t" '$1 == t' "$T/fields.txt" | grep -q . ||
		fail "no DCCP packet of type $t (Request, Response, Data, Ack, DataAck)"
done
ok "on the veth: $(wc -l <"$T/fields.txt") DCCP packets in IP, checksums good, none malformed, $(cat "$T/appdata") DTLS application records"

# 2% of DCCP packets dropped at random, in both directions
for ns in "$A" "$B"; do
	ip netns exec "$ns" nft -f - <<'NFT' || fail "nftables rule"
table inet dtlsgw_loss {
	chain input {
		type filter hook input priority 0; policy accept;
		ip protocol 33 numgen random mod 100 < 2 counter drop
	}
}
NFT
done
stats server
up0=$(stat_value server route-1 up_dgrams)
ip netns exec "$A" "$UDPTOOL" send 127.0.0.1 "$L" 10000 8 1200 32 90 40000 90 \
	>"$T/lossy.out" 2>&1 || fail "2% loss: $(cat "$T/lossy.out")"
dropped=$(ip netns exec "$B" nft list ruleset | grep -Eo 'packets [0-9]+' |
	cut -d' ' -f2)
[ "${dropped:-0}" -gt 50 ] || fail "nftables dropped only ${dropped:-0} packets"
stats server
stats client
up=$(( $(stat_value server route-1 up_dgrams) - up0 ))
[ "$up" -ge 9500 ] && [ "$up" -le 9950 ] ||
	fail "one way, $up of 10000 arrived: not about 98%"
got=$(grep -Eo 'received [0-9]+' "$T/lossy.out" | cut -d' ' -f2)
for side in client server; do
	line=$(grep 'stats dccp ' "$T/$side.log" | tail -n 1)
	v() { echo "$line" | grep -Eo " $1=[0-9]+" | cut -d= -f2; }
	[ "$(v conns_opened)" = 1 ] && [ "$(v open)" = 1 ] ||
		fail "$side: the connection did not stay up: $line"
	[ "$(v lost)" -gt 0 ] || fail "$side: CCID 2 saw no loss: $line"
	[ "$(v halvings)" -gt 0 ] ||
		fail "$side: CCID 2 never halved its window: $line"
	eval "${side}_cc=\"lost=$(v lost) halvings=$(v halvings) cwnd=$(v cwnd_max) max_cwnd_seen=$(v max_cwnd_seen)\""
done
ok "2% loss each way: $up of 10000 arrived one way, $got came back, none corrupt; one connection throughout; CCID 2: client $client_cc, server $server_cc"
