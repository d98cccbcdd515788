#!/bin/sh
# max-sessions: with two sessions up, a third peer's handshake is refused
# (counted as max_sessions, warned about with its address) and the two
# are served as before; once one of them goes, a new peer gets in.
. "$(dirname "$0")/lib.sh"

P=$(free_port)
E=$(free_port)
L=$(free_port)
S1=$(free_port)
S2=$(free_port)
S3=$(free_port)
echo_server "$E"
gw server -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$E" \
	--max-sessions 2 --workers 1
gw client -l "udp://127.0.0.1:$L" -f "dtls://127.0.0.1:$P" --idle-timeout 6

for s in "$S1" "$S2"; do
	"$UDPTOOL" send 127.0.0.1 "$L" 100 8 1200 8 10 "$s" >"$T/s-$s.out" 2>&1 ||
		fail "session from $s: $(cat "$T/s-$s.out")"
done
# the third: nothing comes back within 2 s
"$UDPTOOL" send 127.0.0.1 "$L" 10 8 100 8 2 "$S3" >"$T/s3.out" 2>&1 &&
	fail "a third session was served: $(cat "$T/s3.out")"
wait_log "$T/server.log" "route route-1: 127\.0\.0\.1:[0-9]+: refused, max-sessions \(2\) reached" 5 ||
	fail "no refusal line naming the peer"
for s in "$S1" "$S2"; do
	"$UDPTOOL" send 127.0.0.1 "$L" 100 8 1200 8 10 "$s" >"$T/s-$s.out" 2>&1 ||
		fail "session $s not served while full: $(cat "$T/s-$s.out")"
done
stats server
[ "$(stat_value server route-1 sessions)" = 2 ] || fail "not 2 sessions"
v=$(stat_value server route-1 max_sessions)
[ "${v:-0}" -ge 1 ] || fail "the refusals were not counted"
ok "third peer refused ($v counted), the two served"

# the client side closes its idle sessions after 6 s (close_notify): the
# server has room again, and the third peer gets in
wait_log "$T/server.log" "session closed \(close_notify from the peer\)" 15 ||
	fail "no session closed"
# (the third's own client session, in its retry backoff, goes idle too)
wait_log "$T/client.log" "127\.0\.0\.1:$S3: session closed" 15 ||
	fail "the third client session did not close"
"$UDPTOOL" send 127.0.0.1 "$L" 50 8 100 8 20 "$S3" >"$T/s3b.out" 2>&1 ||
	fail "no room after the sessions went: $(cat "$T/s3b.out")"
ok "room again once sessions went"
