#!/bin/sh
# 10,000 Access-Requests from 4 concurrent radclient processes through
# dtlsgw client side -> DTLS -> dtlsgw server side -> FreeRADIUS: every one
# answered with its own user's Reply-Message (radclient filters), none
# lost or mismatched, the Identifiers of one DTLS session shared by all.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/freeradius.sh"

N=10000
PROCS=4
radius_users_for_load "$N"
FA=$(free_port) FB=$(free_port) FC=$(free_port)
start_freeradius fr "$FA" "$FB" "$FC" backendsecret
P=$(free_port)
gw server -l "dtls://127.0.0.1:$P" \
	-f "udp://127.0.0.1:$FA" -p radius --secret backendsecret \
	--acct-port "$FB" --coa-port "$FC"
A=$(free_port)
gw client -l "udp://127.0.0.1:$A" \
	-f "dtls://127.0.0.1:$P" -p radius --secret localsecret \
	--acct-port 0 --coa-port 0

mkdir -p "$T/load"
radius_load_files "$T/load" "$N" "$PROCS"
start=$(date +%s.%N)
radius_load_run "$T/load" "$PROCS" 127.0.0.1 "$A" localsecret ||
	fail "not every request was answered and matched"
end=$(date +%s.%N)
ok "$N Access-Requests from $PROCS radclients, all matched, in $(echo "$end - $start" | bc 2>/dev/null || echo "?") s"

stats client
[ "$(stat_value client route-1 up_dgrams)" -ge "$N" ] ||
	fail "the client side forwarded fewer than $N requests"
grep -E "stats route=route-1 .*drops: none" "$T/client.log" >/dev/null ||
	fail "drops on the client side: $(grep 'stats route' "$T/client.log")"
[ "$(stat_value client route-1 sessions_total)" = 1 ] ||
	fail "more than one DTLS session"
ok "one DTLS session, no drops"
