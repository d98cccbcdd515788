#!/bin/sh
# A wrong TURN password through the stun profile relays nothing: the
# gateway passes the Allocate and its 401 unchanged, the TURN server
# refuses the credentials, turnutils_uclient gets no allocation and the
# peer behind the relay receives nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/turn.sh"

turn_server_side

uclient "$T/wrong.out" -S -u u -w wrong -p "$P" -e 127.0.0.1 -r "$PP" \
	-n 5 127.0.0.1
grep -q "Cannot complete Allocation" "$T/wrong.out" ||
	fail "an allocation with a wrong password: $(tail -n 5 "$T/wrong.out")"
grep -Eq "tot_recv_msgs=[1-9]" "$T/wrong.out" &&
	fail "data came back: $(grep tot_recv "$T/wrong.out")"
grep -q "credentials are incorrect" "$TURN_LOG" ||
	fail "turnserver did not see the wrong credentials"
grep -q "error 401" "$TURN_LOG" || fail "no 401 from turnserver"
for m in ALLOCATE CHANNEL_BIND CREATE_PERMISSION; do
	grep -q "$m processed, success" "$TURN_LOG" &&
		fail "turnserver granted $m"
done
stats server
[ "$(stat_value server route-1 down_dgrams)" -ge 1 ] ||
	fail "the 401 answers did not come back through the gateway"
ok "wrong password: 401, no allocation, nothing relayed"

# the right one on the same gateway works
uclient "$T/right.out" -S -u u -w p -p "$P" -e 127.0.0.1 -r "$PP" \
	-n 5 127.0.0.1
uclient_ok "$T/right.out" 10 ||
	fail "the right password: $(tail -n 8 "$T/right.out")"
ok "the right password then relays 10 messages both ways"
