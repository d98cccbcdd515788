#!/bin/sh
# Idle timeout, max-sessions, SIGTERM with close_notify, and a forward
# handshake that fails, is retried with backoff and delivers what waited.
. "$(dirname "$0")/lib.sh"

P=$(free_port)
E=$(free_port)
echo_server "$E"
gw server -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$E" \
	--idle-timeout 2

# idle timeout: the session closes with close_notify, the peer sees it
L1=$(free_port)
gw client -l "udp://127.0.0.1:$L1" -f "dtls://127.0.0.1:$P"
"$UDPTOOL" send 127.0.0.1 "$L1" 10 8 100 8 10 >/dev/null ||
	fail "first exchange"
wait_log "$T/server.log" "session closed \(idle timeout\)" 6 ||
	fail "no idle timeout on the server"
wait_log "$T/client.log" "close_notify from the forward side" 3 ||
	fail "the client side did not get close_notify"
ok "idle timeout closes with close_notify"

# max-sessions: a third concurrent session is refused
PM=$(free_port)
gw maxed -l "dtls://127.0.0.1:$PM" -f "udp://127.0.0.1:$E" --max-sessions 2 \
	--workers 1
cpids=""
# the first two hold their sessions for 8 s; the third tries within 5 s
for i in 1 2 3; do
	hold=8
	[ "$i" = 3 ] && hold=4
	(echo "client $i"; sleep $hold) | timeout $((hold + 1)) openssl \
		s_client -dtls1_2 -connect "127.0.0.1:$PM" -quiet -no_ign_eof \
		>"$T/c$i.out" 2>&1 &
	cpids="$cpids $!"
	sleep 0.5
done
for p in $cpids; do
	wait "$p"
done
n=$(grep -l "^client" "$T"/c?.out | wc -l)
[ "$n" = 2 ] || fail "$n clients of 3 got through with max-sessions 2"
wait_log "$T/maxed.log" "max-sessions \(2\) reached" 1 ||
	fail "no log line for the refused session"
ok "max-sessions refuses the third session"

# the forward side is down: datagrams wait, the handshake is retried with
# backoff, and once the server is up they are delivered
P2=$(free_port)
E2=$(free_port)
L2=$(free_port)
echo_server "$E2"
gw late-client -l "udp://127.0.0.1:$L2" -f "dtls://127.0.0.1:$P2"
echo "sent before the server existed" >"$T/early.in"
start_in early "$T/early.in" socat -t 20 - "UDP:127.0.0.1:$L2"
wait_log "$T/late-client.log" "retrying the forward handshake in 1 s" 20 ||
	fail "no retry"
gw late-server -l "dtls://127.0.0.1:$P2" -f "udp://127.0.0.1:$E2"
wait_log "$T/early.log" "sent before the server existed" 30 ||
	fail "the queued datagram never arrived"
ok "queued through a failed handshake and a retry"

# SIGTERM: close_notify to every peer, exit 0
kill -TERM "$PID_late_server"
wait "$PID_late_server"
rc=$?
[ "$rc" = 0 ] || fail "exit status $rc on SIGTERM"
wait_log "$T/late-client.log" "close_notify from the forward side" 3 ||
	fail "no close_notify on SIGTERM"
ok "SIGTERM: close_notify and exit 0"
