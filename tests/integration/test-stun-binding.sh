#!/bin/sh
# Binding through both sides of the stun profile:
#   turnutils_stunclient -> dtlsgw client side (udp -> dtls, -p stun)
#     -> dtlsgw server side (dtls -> udp, -p stun) -> turnserver
# The server side answers the Binding request itself, with the address the
# request came from as it sees it: the client side's DTLS socket, which
# stands to stunclient as a NAT does, so this is stunclient's
# server-reflexive address.  Not stunclient's own socket (the client side
# passes the request on, it does not answer), and not the server side's
# socket towards turnserver, which turnserver would have named: for
# contrast, a raw server side in front of the same turnserver gets that
# answer.  Then datagrams that are neither STUN nor ChannelData, on either
# side, are dropped and counted, and Binding still works.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/turn.sh"

# "IPv4. UDP reflexive addr: ADDR:PORT" -> ADDR:PORT
reflexive() {
	timeout 10 turnutils_stunclient -p "$1" 127.0.0.1 2>&1 |
		sed -n 's/.*UDP reflexive addr: \([0-9.]*:[0-9]*\).*/\1/p' |
		head -n 1
}

# owner ADDR:PORT: the PID of the process with a UDP socket on it
owner() {
	ss -Huanp "sport = :${1##*:}" | grep -F " ${1} " |
		sed -n 's/.*pid=\([0-9]*\),.*/\1/p' | head -n 1
}

TP=$(free_port)
start_turn turn "$TP"
P=$(free_port)
gw server -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$TP" -p stun
A=$(free_port)
gw client -l "udp://127.0.0.1:$A" -f "dtls://127.0.0.1:$P" -p stun

X=$(reflexive "$A")
[ -n "$X" ] || fail "no Binding answer through both gateways"
grep -q "route route-1: $X: DTLS handshake done" "$T/server.log" ||
	fail "$X is not the DTLS peer the server side saw"
grep -q "answer_binding: route route-1: $X: Binding request answered: $X\$" \
	"$T/server.log" || fail "the server side did not answer for $X"
[ "$(owner "$X")" = "$PID_client" ] ||
	fail "$X is not the client side's socket: $(ss -Huanp | grep -F "$X")"
C=$(sed -n 's/.*route route-1: \(127\.0\.0\.1:[0-9]*\): new session.*/\1/p' \
	"$T/client.log" | head -n 1)
[ -n "$C" ] && [ "$C" != "$X" ] ||
	fail "stunclient's own address '$C' against the answer $X"
ok "Binding answered by the server side: $X, the client side's DTLS socket (stunclient is $C)"

# contrast: what turnserver itself answers behind a raw server side
R=$(free_port)
gw raw -l "dtls://127.0.0.1:$R" -f "udp://127.0.0.1:$TP"
B=$(free_port)
gw client2 -l "udp://127.0.0.1:$B" -f "dtls://127.0.0.1:$R" -p stun
Y=$(reflexive "$B")
[ -n "$Y" ] || fail "no Binding answer from turnserver behind a raw side"
[ "$(owner "$Y")" = "$PID_raw" ] ||
	fail "turnserver named $Y, not the raw side's socket towards it"
grep -q "route route-1: $Y:" "$T/raw.log" &&
	fail "turnserver named the client side's socket $Y"
ok "without the profile, turnserver names the gateway's own socket $Y"

# neither STUN nor ChannelData, from a local client: an RTP-looking byte
printf '\200\000junk, not STUN' | socat -u - "UDP:127.0.0.1:$A"
# ... and through DTLS: "hello" reads as ChannelData with a bad length
(echo hello; sleep 1) | timeout 10 openssl s_client -dtls1_2 \
	-connect "127.0.0.1:$P" -quiet -no_ign_eof >/dev/null 2>&1
n=50
while :; do
	stats client
	stats server
	cn=$(stat_value client route-1 stun_not_stun)
	sb=$(stat_value server route-1 stun_bad_length)
	[ "${cn:-0}" -ge 1 ] && [ "${sb:-0}" -ge 1 ] && break
	n=$((n - 1))
	[ "$n" -gt 0 ] || fail "not counted: client not_stun=$cn, server bad_length=$sb"
	sleep 0.1
done
# a new stunclient socket is a new session: a DTLS socket of its own
X2=$(reflexive "$A")
[ -n "$X2" ] && [ "$X2" != "$X" ] && [ "$(owner "$X2")" = "$PID_client" ] ||
	fail "Binding after hostile datagrams: '$X2' (first $X)"
ok "non-STUN datagrams dropped and counted on both sides; Binding still answered"
