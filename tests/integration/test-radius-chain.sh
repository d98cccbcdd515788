#!/bin/sh
# RADIUS/DTLS end to end: radclient -> dtlsgw client side -> DTLS ->
# dtlsgw server side -> FreeRADIUS, three different secrets on the way
# (radclient's, radius/dtls, FreeRADIUS's): PAP accepted and rejected, CHAP,
# a challenge, hidden attributes (Tunnel-Password, MS-MPPE keys) decrypted
# intact by radclient, accounting Start/Interim/Stop, Status-Server, CoA and
# Disconnect answered.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/freeradius.sh"

FA=$(free_port) FB=$(free_port) FC=$(free_port)
start_freeradius fr "$FA" "$FB" "$FC" backendsecret

P=$(free_port)
gw server -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$FA" -p radius \
	--secret backendsecret --acct-port "$FB" --coa-port "$FC"
A=$(free_port) B=$(free_port) C=$(free_port)
gw client -l "udp://127.0.0.1:$A" -f "dtls://127.0.0.1:$P" -p radius \
	--secret localsecret --acct-port "$B" --coa-port "$C"

out=$(radius_auth 127.0.0.1 "$A" localsecret bob hello)
echo "$out" | grep -q "Received Access-Accept" || fail "PAP bob: $out"
echo "$out" | grep -q 'Reply-Message = "hello bob"' || fail "Reply-Message: $out"
ok "PAP: Access-Accept with its Reply-Message"

out=$(radius_auth 127.0.0.1 "$A" localsecret bob wrong)
echo "$out" | grep -q "Received Access-Reject" || fail "wrong password: $out"
ok "PAP, wrong password: Access-Reject"

out=$(radius_chap 127.0.0.1 "$A" localsecret alice chap-pass)
echo "$out" | grep -q "Received Access-Accept" || fail "CHAP alice: $out"
ok "CHAP: Access-Accept"

out=$(radius_auth 127.0.0.1 "$A" localsecret dave hello)
echo "$out" | grep -q "Received Access-Challenge" || fail "dave: $out"
ok "Access-Challenge"

# hidden attributes hidden with FreeRADIUS's secret, re-hidden twice on the
# way, come out of radclient (with its own secret) as FreeRADIUS put them
out=$(radius_auth 127.0.0.1 "$A" localsecret carol hello)
echo "$out" | grep -q "Received Access-Accept" || fail "carol: $out"
echo "$out" | grep -q 'Tunnel-Password:1 = "tunnel-secret-1"' ||
	fail "Tunnel-Password did not survive: $out"
echo "$out" | grep -qi "MS-MPPE-Send-Key = $FR_SEND_KEY" ||
	fail "MS-MPPE-Send-Key did not survive: $out"
echo "$out" | grep -qi "MS-MPPE-Recv-Key = $FR_RECV_KEY" ||
	fail "MS-MPPE-Recv-Key did not survive: $out"
ok "Tunnel-Password and MS-MPPE keys re-hidden correctly"

for st in Start Interim-Update Stop; do
	out=$(radius_acct 127.0.0.1 "$B" localsecret "$st" sess-42 bob)
	echo "$out" | grep -q "Received Accounting-Response" ||
		fail "Accounting $st: $out"
done
for st in Start Interim-Update Stop; do
	grep -q "Acct-Status-Type = $st" "$FR_DETAIL" ||
		fail "FreeRADIUS did not record $st"
done
grep -q 'Acct-Session-Id = "sess-42"' "$FR_DETAIL" ||
	fail "FreeRADIUS did not record the session id"
ok "accounting Start, Interim-Update, Stop recorded by FreeRADIUS"

out=$(radius_status 127.0.0.1 "$A" localsecret)
echo "$out" | grep -q "Received Access-Accept" || fail "Status-Server: $out"
ok "Status-Server answered"

out=$(radius_coa 127.0.0.1 "$C" localsecret bob)
echo "$out" | grep -q "Received CoA-ACK" || fail "CoA: $out"
echo "$out" | grep -q 'Reply-Message = "coa bob"' || fail "CoA reply: $out"
out=$(radius_disconnect 127.0.0.1 "$C" localsecret bob)
echo "$out" | grep -q "Received Disconnect-ACK" || fail "Disconnect: $out"
ok "CoA-Request and Disconnect-Request answered"

# one DTLS session carried all of it
stats client
[ "$(stat_value client route-1 sessions_total)" = 1 ] ||
	fail "the client side opened more than one DTLS session"
stats server
[ "$(stat_value server route-1 handshakes_ok)" = 1 ] ||
	fail "more than one handshake on the server side"
grep -E "stats route=route-1 .*drops: none" "$T/server.log" >/dev/null ||
	fail "the server side dropped something: $(grep 'stats route' "$T/server.log")"
ok "one DTLS session for auth, accounting and CoA; nothing dropped"
