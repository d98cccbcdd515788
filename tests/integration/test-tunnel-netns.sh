#!/bin/sh
# Tunnel endpoints over tun://: GRE-in-UDP (RFC 8086) and MPLS-in-UDP
# (RFC 7510) with DTLS, between two network namespaces joined by a veth
# pair, a dtlsgw in each as the endpoint of both tunnels.
#  1. ping both ways, IPv4 and IPv6, inside each tunnel.
#  2. An iperf3 TCP transfer (3 s) completes through each tunnel; the MPLS
#     tunnel's device in A has mtu=1500, more than the path carries: the
#     transfer completes only if the "too big" ICMP the gateway writes
#     back into the device teaches the sender's TCP the path MTU, and ping
#     with DF set says so.
#  3. With 2% of UDP dropped at random on the veth (nftables numgen, in
#     both namespaces), the TCP transfer still completes.
#  4. tshark on the veth sees only DTLS on 4755 and 6636, no GRE, no MPLS.
# Bridge mode, between routers, is test-tunnel-bridge.sh.
# Needs root: namespaces, veth, TUN, nftables, capture.
. "$(dirname "$0")/lib.sh"

for tool in nft ping iperf3 tshark; do
	command -v "$tool" >/dev/null || fail "$tool is not installed"
done
netns_pair tun 10.201.0.1 10.201.0.2
certs
SRV="--cert $C/server.pem --key $C/server.key"
PIN="--peer-fingerprint $(cat "$C/server.fp")"

# tshark on the veth, from the start
start tshark ip netns exec "$B" tshark -i "$VB" -n -w "$T/veth.pcapng" -f udp
TSHARK_PID=$LAST_PID
wait_log "$T/tshark.log" "Capturing on" 10 || fail "tshark did not start"

G="gre$$"
M="mpl$$"
NETNS=$B
# shellcheck disable=SC2086
gw ep-b $SRV \
	-l "dtls://10.201.0.2:4755" -p gre-udp \
	-f "tun://$G?addr=10.9.0.2/30&addr6=fd00:90::2/64&gre-key=7&gre-seq=1" \
	-l "dtls://10.201.0.2:6636" -p mpls-udp \
	-f "tun://$M?addr=10.9.1.2/30&addr6=fd00:91::2/64&labels=300"
NETNS=$A
# shellcheck disable=SC2086
gw ep-a $PIN \
	-l "tun://$G?addr=10.9.0.1/30&addr6=fd00:90::1/64&gre-key=7&gre-seq=1" \
	-f "dtls://10.201.0.2:4755" -p gre-udp \
	-l "tun://$M?addr=10.9.1.1/30&addr6=fd00:91::1/64&labels=100,200&mtu=1500" \
	-f "dtls://10.201.0.2:6636" -p mpls-udp
NETNS=

# both_ways N M: ping across tunnels 10.9.N.0/30, fd00:9N:: (and M)
both_ways() {
	for _net in "$@"; do
		first_ping "$A" "10.9.$_net.2"
		pings "$A" "10.9.$_net.2"
		pings "$A" "fd00:9$_net::2"
		pings "$B" "10.9.$_net.1"
		pings "$B" "fd00:9$_net::1"
	done
}

both_ways 0 1
ok "ping both ways over IPv4 and IPv6 in the GRE and the MPLS tunnel"

# The MPLS device in A says 1500; the path carries 1351 (1500 - 20 IPv4
# - 8 UDP = 1472, cut to the 1452 the DTLS engine writes, - 93 DTLS at most - 8 for two labels).
in_ns "$A" ping -c 1 -W 2 -M do -s 1400 10.9.1.2 >"$T/df.out" 2>&1
grep -Eq "mtu ?= ?1351" "$T/df.out" ||
	fail "no fragmentation needed (mtu 1351) for DF: $(cat "$T/df.out")"
in_ns "$A" ping -c 1 -W 2 -M do -s 1400 fd00:91::2 >"$T/ptb.out" 2>&1
grep -Eq "mtu ?= ?1351" "$T/ptb.out" ||
	fail "no packet too big (mtu 1351) for IPv6: $(cat "$T/ptb.out")"
in_ns "$A" ping -c 1 -W 2 -M do -s 1300 10.9.1.2 >/dev/null 2>&1 ||
	fail "a packet that fits the path did not cross"
ok "too big for the path: ICMP fragmentation needed / ICMPv6 packet too big with mtu 1351 back into the device"

# iperf NAME ADDR: a 3-second TCP transfer from A to the iperf3 server at
# ADDR in B; its receiver line in $T/NAME.out
iperf() {
	start "iperf-s-$1" ip netns exec "$B" iperf3 -s -1 -B "$2" -p 5201
	_spid=$LAST_PID
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		grep -q "Server listening" "$T/iperf-s-$1.log" && break
		sleep 0.1
	done
	in_ns "$A" iperf3 -c "$2" -p 5201 -t 3 --connect-timeout 3000 \
		>"$T/$1.out" 2>&1 ||
		fail "iperf3 to $2: $(tail -n 5 "$T/$1.out")"
	grep -q "receiver" "$T/$1.out" ||
		fail "iperf3 to $2 did not complete: $(tail -n 5 "$T/$1.out")"
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$_spid" 2>/dev/null || break
		sleep 0.2
	done
	_rx=$(grep receiver "$T/$1.out" | awk '{ print $5 }')
	awk -v n="${_rx:-0}" 'BEGIN { exit !(n > 0) }' ||
		fail "iperf3 to $2: nothing received: $(tail -n 4 "$T/$1.out")"
	grep receiver "$T/$1.out" | awk '{ print $7, $8 }'
}

r1=$(iperf gre4 10.9.0.2)
r2=$(iperf mpls6 fd00:91::2)
ok "iperf3 TCP completes: GRE/IPv4 $r1, MPLS/IPv6 (path MTU learnt from the gateway's ICMPv6) $r2"

for ns in "$A" "$B"; do
	ip netns exec "$ns" nft -f - <<'NFT' || fail "nftables rule"
table inet dtlsgw_loss {
	chain input {
		type filter hook input priority 0; policy accept;
		iifname != "lo" meta l4proto udp numgen random mod 100 < 2 counter drop
	}
}
NFT
done
r3=$(iperf gre4-lossy 10.9.0.2)
r4=$(iperf mpls4-lossy 10.9.1.2)
dropped=0
for ns in "$A" "$B"; do
	n=$(ip netns exec "$ns" nft list ruleset | grep -Eo 'packets [0-9]+' |
		cut -d' ' -f2)
	dropped=$((dropped + ${n:-0}))
done
[ "$dropped" -gt 20 ] || fail "nftables dropped only $dropped packets"
ip netns exec "$A" nft delete table inet dtlsgw_loss
ip netns exec "$B" nft delete table inet dtlsgw_loss
ok "2% UDP loss on the veth ($dropped dropped): iperf3 TCP still completes: GRE $r3, MPLS $r4"

capture_stop

# the veth: DTLS on 4755 and 6636, nothing else
tshark -r "$T/veth.pcapng" -d udp.port==4755,dtls -d udp.port==6636,dtls \
	-T fields -e udp.srcport -e udp.dstport -e frame.protocols \
	>"$T/veth.txt" 2>/dev/null
n=$(wc -l <"$T/veth.txt")
[ "$n" -ge 1000 ] || fail "only $n packets on the veth"
awk -F'\t' '!(($1 == 4755 || $2 == 4755 || $1 == 6636 || $2 == 6636) &&
	$3 ~ /udp:dtls/)' "$T/veth.txt" >"$T/veth-other.txt"
[ -s "$T/veth-other.txt" ] &&
	fail "on the veth, not DTLS on 4755/6636: $(head -3 "$T/veth-other.txt")"
grep -Eq 'gre|mpls' "$T/veth.txt" && fail "GRE or MPLS in clear on the veth"
n4755=$(awk -F'\t' '$1 == 4755 || $2 == 4755' "$T/veth.txt" | wc -l)
n6636=$(awk -F'\t' '$1 == 6636 || $2 == 6636' "$T/veth.txt" | wc -l)
ok "on the veth: $n packets, all DTLS ($n4755 on 4755, $n6636 on 6636), no GRE or MPLS"

# nothing malformed was dropped on the way, and counted drops say why
stats ep-a
stats ep-b
for gw in ep-a ep-b; do
	grep 'stats route=' "$T/$gw.log" | tail -n 2 | grep -Eq 'inner_|gre_|mpls_' &&
		fail "$gw dropped encapsulated packets: $(grep 'stats route=' "$T/$gw.log" | tail -n 2)"
done
grep 'stats route=route-2 ' "$T/ep-a.log" | tail -n 1 | grep -q 'mpls-udp_too_big=' ||
	fail "ep-a did not count the packets too big for the path"
ok "counters: no malformed drops; too-big packets counted"
