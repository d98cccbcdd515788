#!/bin/sh
# A retransmitted request keeps the Identifier the client side gave its
# first copy on the shared DTLS session; a new request gets another.  The
# DTLS server is socat's, handing the requests to a sink that prints them
# and answers nothing, so radclient sends every copy it may.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/freeradius.sh"
certs

D=$(free_port)
start dump "$UDPTOOL" dump 127.0.0.1 "$D"
wait_log "$T/dump.log" "dump ready" 5 || fail "no sink"
S=$(free_port)
start socat socat \
	"OPENSSL-DTLS-SERVER:$S,bind=127.0.0.1,cert=$C/server.pem,key=$C/server.key,verify=0,fork" \
	"UDP:127.0.0.1:$D"
sleep 0.5
A=$(free_port)
gw client -l "udp://127.0.0.1:$A" -f "dtls://127.0.0.1:$S" -p radius \
	--secret localsecret --acct-port 0 --coa-port 0 --watchdog 0

# three copies of one request, nobody answering
RADIUS_RETRIES=3 RADIUS_TIMEOUT=1 \
	radius_auth 127.0.0.1 "$A" localsecret bob hello >"$T/first.out"
[ "$(grep -c "^Sent Access-Request" "$T/first.out")" = 3 ] ||
	fail "radclient did not send 3 copies: $(cat "$T/first.out")"
wait_log "$T/dump.log" '^01' 3 || fail "nothing reached the server"
sleep 0.5
n=$(grep -c '^01' "$T/dump.log")
[ "$n" = 3 ] || fail "$n copies reached the server, not 3"
ids=$(grep '^01' "$T/dump.log" | cut -c3-4 | sort -u)
[ "$(echo "$ids" | wc -l)" = 1 ] ||
	fail "the copies went out with different Identifiers: $ids"
auths=$(grep '^01' "$T/dump.log" | cut -c9-40 | sort -u | wc -l)
[ "$auths" = 1 ] || fail "the copies differ in their authenticators"
ok "3 copies of one request, one Identifier ($ids) on the DTLS session"

# another request: another Identifier
RADIUS_RETRIES=1 RADIUS_TIMEOUT=1 \
	radius_auth 127.0.0.1 "$A" localsecret alice x >/dev/null
wait_log "$T/dump.log" "^01$(printf '%s' "$ids")" 1 >/dev/null
sleep 1
id2=$(grep '^01' "$T/dump.log" | tail -n 1 | cut -c3-4)
[ "$id2" != "$ids" ] || fail "a new request reused Identifier $ids"
ok "a new request gets Identifier $id2"
