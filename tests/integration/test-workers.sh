#!/bin/sh
# Workers: a server side with two event loops sharing its port
# (SO_REUSEPORT) spreads 40 DTLS peers over both, each peer staying on one;
# every datagram comes back; SIGHUP and SIGTERM reach every worker.
. "$(dirname "$0")/lib.sh"

P=$(free_port)
E=$(free_port)
echo_server "$E"
# 40 handshakes at once from one address (the client side): allow them
gw server -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$E" --workers 2 \
	--max-handshakes-per-source 64
wait_log "$T/server.log" "ready: 1 route, 2 workers" 1 ||
	fail "not two workers"
# the port is shared by the workers, not with another process
"$DTLSGW" --workers 2 -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$E" \
	>"$T/second.out" 2>&1
[ $? = 1 ] || fail "a second dtlsgw did not refuse the busy port"
grep -q "cannot listen on 127.0.0.1:$P: Address already in use" \
	"$T/second.out" || fail "no clear message: $(cat "$T/second.out")"
ok "a second dtlsgw on the same port is refused"
L=$(free_port)
gw client -l "udp://127.0.0.1:$L" -f "dtls://127.0.0.1:$P" --workers 2

pids=""
for i in $(seq 1 40); do
	"$UDPTOOL" send 127.0.0.1 "$L" 200 8 1200 8 20 >"$T/send-$i.out" 2>&1 &
	pids="$pids $!"
done
for p in $pids; do
	wait "$p" || fail "a sender lost datagrams: $(cat "$T"/send-*.out | grep -v ' lost 0 ')"
done
ok "40 peers, 8,000 datagrams there and back"

stats server
[ "$(stat_value server route-1 sessions)" = 40 ] ||
	fail "not 40 sessions on the server side"
per=$(grep 'stats route=route-1 ' "$T/server.log" | tail -n 1 |
	grep -Eo 'sessions_per_worker=[0-9,]+' | cut -d= -f2)
a=${per%,*} b=${per#*,}
[ "$a" -gt 0 ] && [ "$b" -gt 0 ] && [ $((a + b)) = 40 ] ||
	fail "sessions not spread over both workers: $per"
ok "sessions spread over both workers: $per"
[ "$(stat_value server route-1 handshakes_ok)" = 40 ] ||
	fail "a peer moved between workers (handshakes: $(stat_value server route-1 handshakes_ok))"

kill -HUP "$PID_server"
wait_log "$T/server.log" "reloaded: 1 routes kept" 5 || fail "reload"
"$UDPTOOL" send 127.0.0.1 "$L" 500 8 1200 16 20 >"$T/after.out" 2>&1 ||
	fail "after the reload: $(cat "$T/after.out")"
ok "SIGHUP with two workers"

kill -TERM "$PID_server"
wait "$PID_server"
[ $? = 0 ] || fail "exit status on SIGTERM"
# the client side reads the close_notifys after the server side is gone
n=50
while [ "$(count_log "$T/client.log" "close_notify from the forward side")" -lt 40 ] &&
	[ "$n" -gt 0 ]; do
	sleep 0.1
	n=$((n - 1))
done
[ "$(count_log "$T/client.log" "close_notify from the forward side")" -ge 40 ] ||
	fail "not every session got close_notify"
ok "SIGTERM: every worker's sessions closed with close_notify, exit 0"
