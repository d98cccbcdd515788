#!/bin/sh
# Bridge mode against RFC 8086 / RFC 7510 routers: four network
# namespaces in a row,
#
#   RA (router A) -- BA (bridge A) ==DTLS== BB (bridge B) -- RB (router B)
#
# The routers are dtlsgw tunnel endpoints with a cleartext outer side, as
# a router behaves: RA reads its TUN device and sends GRE-in-UDP (and
# MPLS-in-UDP) to BA's 4754 (6635) from source ports hashed from the inner
# flow, and takes what comes back on its own 4754 (MPLS: on 7635, which
# BA's reply-port= and RA's local-port= name); RB listens on 4754 and 6635
# and writes to its TUN device.  BA carries a router's traffic in DTLS to
# BB (4755, 6636), which sends it on as cleartext to RB's 4754 (6635).
#  1. ping both ways, IPv4 and IPv6, through the GRE and the MPLS bridge.
#  2. Several inner flows (pings, iperf3 -P 4 TCP streams) cross ONE DTLS
#     session per router: sessions=1 and sessions_total=1 on each bridge
#     route (SIGUSR1), and on each router.
#  3. tshark on the router links: every packet towards a router goes to
#     its 4754 (7635 for MPLS), from several source ports, none of them
#     4754; decoded as GRE-in-UDP / MPLS-in-UDP, nothing malformed.
#  4. Malformed GRE and MPLS from a router's address, into BA's listening
#     side and into BB's forward flow, are dropped and counted by reason;
#     the tunnels still carry pings.
# Needs root: namespaces, veth, TUN, capture.
. "$(dirname "$0")/lib.sh"

for tool in ping iperf3 tshark socat xxd; do
	command -v "$tool" >/dev/null || fail "$tool is not installed"
done
netns_pair tunbr 10.204.0.1 10.204.0.2
RA=dtlsgw-tunbr-ra-$$
RB=dtlsgw-tunbr-rb-$$
bridge_cleanup() {
	netns_cleanup
	ip netns del "$RA" 2>/dev/null
	ip netns del "$RB" 2>/dev/null
}
trap bridge_cleanup EXIT
# router_link NS_ROUTER ADDR_ROUTER NS_BRIDGE ADDR_BRIDGE NAME: a veth pair, up
router_link() {
	ip netns add "$1" || fail "cannot create namespace $1"
	ip link add "$5r$$" type veth peer name "$5b$$" ||
		fail "cannot create veth $5"
	ip link set "$5r$$" netns "$1" && ip link set "$5b$$" netns "$3" ||
		fail "cannot move veth $5"
	ip -n "$1" addr add "$2/24" dev "$5r$$"
	ip -n "$3" addr add "$4/24" dev "$5b$$"
	ip -n "$1" link set lo up
	ip -n "$1" link set "$5r$$" up
	ip -n "$3" link set "$5b$$" up
}
router_link "$RA" 10.204.1.1 "$A" 10.204.1.2 tra
router_link "$RB" 10.204.2.1 "$B" 10.204.2.2 trb
certs
SRV="--cert $C/server.pem --key $C/server.key"
PIN="--peer-fingerprint $(cat "$C/server.fp")"

# tshark on each router's link, on the bridge's side
for side in a b; do
	if [ $side = a ]; then ns=$A; else ns=$B; fi
	start "tshark-$side" ip netns exec "$ns" tshark -i "tr${side}b$$" -n \
		-w "$T/r$side.pcapng" -f "udp"
	eval "TSHARK_$side=\$LAST_PID"
	wait_log "$T/tshark-$side.log" "Capturing on" 10 ||
		fail "tshark on the link to router $side did not start"
done

G="grb$$"
M="mpb$$"
NETNS=$RA
gw ra -l "tun://$G?addr=10.9.4.1/30&addr6=fd00:94::1/64&path-mtu=1387" \
	-p gre-udp -f "udp://10.204.1.2:4754" \
	-l "tun://$M?addr=10.9.5.1/30&addr6=fd00:95::1/64&labels=600&path-mtu=1387" \
	-p mpls-udp -f "udp://10.204.1.2:6635?local-port=7635"
NETNS=$A
# shellcheck disable=SC2086
gw ba $PIN \
	-l "udp://0.0.0.0:4754" -p gre-udp -f "dtls://10.204.0.2:4755" \
	-l "udp://0.0.0.0:6635?reply-port=7635" -p mpls-udp \
	-f "dtls://10.204.0.2:6636"
NETNS=$B
# shellcheck disable=SC2086
gw bb $SRV \
	-l "dtls://10.204.0.2:4755" -p gre-udp -f "udp://10.204.2.1:4754" \
	-l "dtls://10.204.0.2:6636" -p mpls-udp -f "udp://10.204.2.1:6635"
NETNS=$RB
gw rb -l "udp://0.0.0.0:4754" -p gre-udp \
	-f "tun://$G?addr=10.9.4.2/30&addr6=fd00:94::2/64&path-mtu=1387" \
	-l "udp://0.0.0.0:6635" -p mpls-udp \
	-f "tun://$M?addr=10.9.5.2/30&addr6=fd00:95::2/64&labels=500&path-mtu=1387"
NETNS=

both_ways() {
	for _net in 4 5; do
		first_ping "$RA" "10.9.$_net.2"
		pings "$RA" "10.9.$_net.2"
		pings "$RA" "fd00:9$_net::2"
		pings "$RB" "10.9.$_net.1"
		pings "$RB" "fd00:9$_net::1"
	done
}
both_ways
ok "ping both ways, IPv4 and IPv6, through the GRE and the MPLS bridge"

# several inner flows: four TCP streams (and iperf3's control connection)
start iperf-s ip netns exec "$RB" iperf3 -s -1 -B 10.9.4.2 -p 5201
for _ in $(seq 20); do
	grep -q "Server listening" "$T/iperf-s.log" && break
	sleep 0.1
done
in_ns "$RA" iperf3 -c 10.9.4.2 -p 5201 -t 2 -P 4 --connect-timeout 3000 \
	>"$T/iperf.out" 2>&1 || fail "iperf3: $(tail -n 5 "$T/iperf.out")"
rx=$(grep 'SUM.*receiver' "$T/iperf.out" | awk '{ print $6, $7 }')
[ -n "$rx" ] || fail "iperf3 did not complete: $(tail -n 5 "$T/iperf.out")"
pings "$RB" 10.9.5.1
ok "iperf3 -P 4 through the GRE bridge: $rx"

# one session per router on each bridge route, and on each router
for g in ra ba bb rb; do
	stats "$g"
	for route in route-1 route-2; do
		n=$(stat_value "$g" "$route" sessions)
		total=$(stat_value "$g" "$route" sessions_total)
		[ "$n" = 1 ] && [ "$total" = 1 ] ||
			fail "$g $route: sessions=$n sessions_total=$total, not 1"
	done
done
ok "one session per router: sessions=1, sessions_total=1 on both routes of both bridges and both routers"

sleep 1
kill -INT "$TSHARK_a" "$TSHARK_b"
for _ in $(seq 10); do
	kill -0 "$TSHARK_a" 2>/dev/null || kill -0 "$TSHARK_b" 2>/dev/null ||
		break
	sleep 0.3
done

# the router links, decoded: SRC DST SPORT DPORT PROTOCOLS a line (the
# outer header's: the first occurrence)
for side in a b; do
	tshark -r "$T/r$side.pcapng" -d udp.port==4754,gre \
		-d udp.port==6635,mpls -d udp.port==7635,mpls -T fields \
		-E occurrence=f -e ip.src -e ip.dst -e udp.srcport -e udp.dstport \
		-e frame.protocols >"$T/r$side.txt" 2>/dev/null
	tshark -r "$T/r$side.pcapng" -d udp.port==4754,gre \
		-d udp.port==6635,mpls -d udp.port==7635,mpls \
		-Y _ws.malformed >"$T/r$side-bad.txt" 2>/dev/null
	[ -s "$T/r$side-bad.txt" ] &&
		fail "malformed on router $side's link: $(head -3 "$T/r$side-bad.txt")"
	grep -Ev 'udp:(gre|mpls):(ip|ipv6)' "$T/r$side.txt" | grep -q . &&
		fail "on router $side's link, not GRE/MPLS over IP: $(grep -Ev 'udp:(gre|mpls):(ip|ipv6)' "$T/r$side.txt" | head -3)"
done
# sports FILE SRC DPORT: the source ports SRC sent from to DPORT
sports() {
	awk -F'\t' -v s="$2" -v p="$3" '$1 == s && $4 == p { print $3 }' \
		"$1" | sort -u
}
# entropy FILE SRC DPORT MIN WHAT: at least MIN source ports, none DPORT
entropy() {
	_n=$(sports "$1" "$2" "$3" | wc -l)
	[ "$_n" -ge "$4" ] ||
		fail "$5: GRE/MPLS to port $3 from $_n source port(s): $(sports "$1" "$2" "$3" | tr '\n' ' ')"
	sports "$1" "$2" "$3" | grep -qx "$3" &&
		fail "$5: sent from port $3 itself"
	echo "$_n"
}
# what goes to the routers, and what they send
n1=$(entropy "$T/ra.txt" 10.204.1.2 4754 3 "bridge A to router A") || exit 1
n2=$(entropy "$T/ra.txt" 10.204.1.2 7635 1 "bridge A to router A (MPLS)") ||
	exit 1
n3=$(entropy "$T/rb.txt" 10.204.2.2 4754 3 "bridge B to router B") || exit 1
n4=$(entropy "$T/rb.txt" 10.204.2.2 6635 1 "bridge B to router B (MPLS)") ||
	exit 1
n5=$(entropy "$T/ra.txt" 10.204.1.1 4754 3 "router A to bridge A") || exit 1
n6=$(entropy "$T/rb.txt" 10.204.2.1 4754 3 "router B to bridge B") || exit 1
# nothing towards a router on any other port
awk -F'\t' '($1 == "10.204.1.2" && $4 != 4754 && $4 != 7635) ||
	($1 == "10.204.2.2" && $4 != 4754 && $4 != 6635)' "$T/ra.txt" \
	"$T/rb.txt" >"$T/stray.txt"
[ -s "$T/stray.txt" ] &&
	fail "to a router, not to its tunnel port: $(head -3 "$T/stray.txt")"
ngre=$(grep -Ec 'udp:gre:(ip|ipv6)' "$T/ra.txt" "$T/rb.txt" | awk -F: '{ s += $2 } END { print s }')
nmpls=$(grep -Ec 'udp:mpls:(ip|ipv6)' "$T/ra.txt" "$T/rb.txt" | awk -F: '{ s += $2 } END { print s }')
[ "$ngre" -ge 100 ] && [ "$nmpls" -ge 20 ] ||
	fail "only $ngre GRE-in-UDP and $nmpls MPLS-in-UDP packets decoded"
ok "router links: $ngre GRE-in-UDP, $nmpls MPLS-in-UDP, none malformed; GRE to the routers' 4754 from $n1 (A) and $n3 (B) source ports, MPLS to 7635 / 6635 from $n2 / $n4; the routers from $n5 / $n6"

# Malformed payloads from a router's address: into BA's listening side
# (from RA) and into BB's forward flow (from RB), three of each.
# send NS DST PORT HEX: one datagram
send() {
	printf '%s' "$4" | xxd -r -p |
		in_ns "$1" socat -u - "UDP-SENDTO:$2:$3" ||
		fail "socat to $2:$3"
}
ip4=4500001c00004000400100000a0904010a09040200000000
for _ in 1 2 3; do
	send "$RA" 10.204.1.2 4754 "00010800$ip4"	# GRE version 1
	send "$RA" 10.204.1.2 4754 "40000800$ip4"	# routing bit
	send "$RA" 10.204.1.2 4754 "00001234$ip4"	# unknown protocol
	send "$RA" 10.204.1.2 6635 "00064040"	# label 100, no S bit
	send "$RA" 10.204.1.2 6635 "00064100$ip4"	# TTL 0
	send "$RB" 10.204.2.2 4754 "00010800$ip4"
	send "$RB" 10.204.2.2 6635 "00064100$ip4"
done
pings "$RA" 10.9.4.2
pings "$RA" 10.9.5.2
stats ba
stats bb
# want GW ROUTE KEY VALUE
want() {
	_v=$(stat_value "$1" "$2" "$3")
	[ "$_v" = "$4" ] ||
		fail "$1 $2: $3=${_v:-none}, not $4: $(grep "stats route=$2 " "$T/$1.log" | tail -n 1)"
}
want ba route-1 gre-udp_gre_version 3
want ba route-1 gre-udp_gre_reserved 3
want ba route-1 gre-udp_gre_protocol 3
want ba route-2 mpls-udp_mpls_no_bottom 3
want ba route-2 mpls-udp_mpls_ttl 3
want ba route-1 adapter 9
want ba route-2 adapter 6
want bb route-1 gre-udp_gre_version 3
want bb route-2 mpls-udp_mpls_ttl 3
want ba route-1 sessions 1
want bb route-1 sessions 1
ok "malformed GRE and MPLS from the routers dropped and counted by reason on both bridges; the tunnels still carry pings"
