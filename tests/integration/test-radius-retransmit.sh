#!/bin/sh
# A retransmitted request keeps the Identifier the client side gave its
# first copy: FreeRADIUS, answering a wrong password 2 s late, receives
# radclient's retransmissions as duplicates of one request and judges it
# once; with a fresh Identifier per copy it would judge each copy.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/freeradius.sh"

FR_REJECT_DELAY=2
FA=$(free_port) FB=$(free_port) FC=$(free_port)
start_freeradius fr "$FA" "$FB" "$FC" backendsecret
P=$(free_port)
gw server -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$FA" -p radius \
	--secret backendsecret --acct-port "$FB" --coa-port "$FC"
A=$(free_port)
gw client -l "udp://127.0.0.1:$A" -f "dtls://127.0.0.1:$P" -p radius \
	--secret localsecret --acct-port 0 --coa-port 0

# a first exchange, so the DTLS session is up before the timing matters
out=$(radius_auth 127.0.0.1 "$A" localsecret bob hello)
echo "$out" | grep -q "Received Access-Accept" || fail "setup: $out"

# radclient resends after 1 s, twice; the Access-Reject comes after 2 s
out=$(RADIUS_RETRIES=3 RADIUS_TIMEOUT=1 \
	radius_auth 127.0.0.1 "$A" localsecret bob wrong-password)
echo "$out" | grep -q "Received Access-Reject" || fail "no reject: $out"
sent=$(echo "$out" | grep -c "^Sent Access-Request")
[ "$sent" -ge 2 ] || fail "radclient did not retransmit ($sent sends): $out"
stats server
up=$(stat_value server route-1 up_dgrams)
[ "$up" -ge 3 ] || fail "the copies did not all reach the server side ($up)"
sleep 1
n=$(grep -c "Login incorrect" "$T/fr.log" || true)
[ "$n" = 1 ] ||
	fail "FreeRADIUS judged $n requests for one retransmitted request"
ok "$sent copies of one request, one Identifier: judged once"
