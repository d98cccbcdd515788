#!/bin/sh
# DCCP in UDP encapsulation (RFC 6773) between two dtlsgw on loopback,
# cleartext (dccp://) and with DTLS (dtls+dccp://, RFC 5238): cleartext
# UDP -> client side -> DCCP -> server side -> UDP echo, 10,000 datagrams
# of mixed sizes, none corrupted; the DCCP counters on SIGUSR1; a client
# asking for another Service Code is refused (Reset code 8).
. "$(dirname "$0")/lib.sh"

E=$(free_port)
echo_server "$E"
for scheme in dccp dtls+dccp; do
	name=$(echo "$scheme" | tr -c 'a-z\n' _)
	S=$(free_port)	# the DCCP port (DCCP's own numbering)
	U=$(free_port)	# the server side's UDP encapsulation port
	L=$(free_port)
	gw "server-$name" -l "$scheme://127.0.0.1:$S?encap-port=$U&service=DTGW" \
		-f "udp://127.0.0.1:$E"
	gw "client-$name" -l "udp://127.0.0.1:$L" \
		-f "$scheme://127.0.0.1:$S?encap-port=$U&service=DTGW"
	"$UDPTOOL" send 127.0.0.1 "$L" 10000 8 1200 32 60 >"$T/send.out" 2>&1 ||
		fail "$scheme: $(cat "$T/send.out")"
	ok "$scheme over UDP: $(cat "$T/send.out")"

	stats "client-$name"
	stats "server-$name"
	for side in client server; do
		line=$(grep 'stats dccp ' "$T/$side-$name.log" | tail -n 1)
		[ -n "$line" ] || fail "$side: no DCCP counters on SIGUSR1"
		v() { echo "$line" | grep -Eo " $1=[0-9]+" | cut -d= -f2; }
		[ "$(v open)" = 1 ] || fail "$side: not one open connection: $line"
		[ "$(v tx_data)" -ge 10000 ] ||
			fail "$side: fewer than 10000 data packets sent: $line"
		[ "$(v rx_data)" -ge 10000 ] ||
			fail "$side: fewer than 10000 data packets received: $line"
		[ "$(v cwnd_max)" -ge 2 ] || fail "$side: no window: $line"
		echo "$line" | grep -q 'malformed: none' ||
			fail "$side: malformed packets: $line"
	done
	[ "$(stat_value "server-$name" route-1 up_dgrams)" = 10000 ] ||
		fail "$scheme: server side up_dgrams is not 10000"
	ok "$scheme: counters: $(grep 'stats dccp ' "$T/client-$name.log" |
		tail -n 1 | grep -Eo '(cwnd_max|max_cwnd_seen|acked|tx_data|rx_data)=[0-9]+' |
		tr '\n' ' ')"
done

# the server side goes (close_notify, then a Reset to each peer) and comes
# back: the client side's session ends, and the next datagram from the
# same source opens another session and DCCP connection
L=$(free_port)
gw client-restart -l "udp://127.0.0.1:$L" \
	-f "dtls+dccp://127.0.0.1:$S?encap-port=$U&service=DTGW"
"$UDPTOOL" send 127.0.0.1 "$L" 100 8 1000 4 20 45000 >"$T/r1.out" 2>&1 ||
	fail "before the restart: $(cat "$T/r1.out")"
kill "$PID_server_dtls_dccp"
wait_log "$T/client-restart.log" "session closed" 10 ||
	fail "the client side did not notice the server side going"
gw server-again -l "dtls+dccp://127.0.0.1:$S?encap-port=$U&service=DTGW" \
	-f "udp://127.0.0.1:$E"
"$UDPTOOL" send 127.0.0.1 "$L" 100 8 1000 4 20 45000 >"$T/r2.out" 2>&1 ||
	fail "after the restart: $(cat "$T/r2.out")"
ok "a new connection after the server side restarted: $(cat "$T/r2.out")"

# a client asking for a Service Code the server does not offer: Reset,
# code 8 (RFC 4340 8.1.2), and nothing gets through
L=$(free_port)
gw client-bad -l "udp://127.0.0.1:$L" \
	-f "dccp://127.0.0.1:$S?encap-port=$U&service=NOPE"
"$UDPTOOL" send 127.0.0.1 "$L" 3 8 100 1 3 >"$T/bad.out" 2>&1 &&
	fail "wrong Service Code: datagrams got through"
wait_log "$T/client-bad.log" "closed \(reset code 8\)" 5 ||
	fail "wrong Service Code: no Reset with code 8"
ok "a wrong Service Code is refused with Reset code 8"

# the kernel's own DCCP, probed before anything is bound: this kernel has
# none (Linux removed it in 6.16), and the message says what to use
"$DTLSGW" -l "udp://127.0.0.1:$L" -f "dccp://127.0.0.1:$S?encap=kernel" \
	>"$T/kernel.out" 2>&1
rc=$?
if grep -q 'this kernel has DCCP sockets' "$T/kernel.out"; then
	[ "$rc" = 2 ] || fail "encap=kernel: exit $rc, not 2"
	ok "encap=kernel: this kernel has DCCP; refused, pointing to encap=raw"
else
	[ "$rc" = 2 ] && grep -q 'forward: .*no DCCP socket.*encap=raw' \
		"$T/kernel.out" || fail "encap=kernel: $(cat "$T/kernel.out")"
	ok "encap=kernel: exit 2, $(sed 's/.*encap=kernel: //' "$T/kernel.out")"
fi
