#!/bin/sh
# The radius profile's refusals and its own answers:
#  - a backend reply without Message-Authenticator (stock FreeRADIUS 3.2.1
#    adds none) is refused and logged (BlastRADIUS, CVE-2024-3596);
#  - malformed packets, on the cleartext side and over DTLS, are dropped
#    and counted by reason;
#  - status-server = local answers Status-Server with the backend down;
#  - the client side's watchdog sends Status-Server on an idle session and
#    closes the session when the server stops answering.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/freeradius.sh"

# a backend that signs its replies but adds no Message-Authenticator
FR_REPLY_MA=0
FA=$(free_port) FB=$(free_port) FC=$(free_port)
start_freeradius fr "$FA" "$FB" "$FC" backendsecret
P=$(free_port)
gw server -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$FA" -p radius \
	--secret backendsecret --acct-port "$FB" --coa-port "$FC"
A=$(free_port) B=$(free_port)
gw client -l "udp://127.0.0.1:$A" -f "dtls://127.0.0.1:$P" -p radius \
	--secret localsecret --acct-port "$B" --coa-port 0

out=$(RADIUS_RETRIES=1 radius_auth 127.0.0.1 "$A" localsecret bob hello)
echo "$out" | grep -q "Received Access-" && fail "an unsigned reply passed: $out"
wait_log "$T/server.log" "127.0.0.1:[0-9]+: a reply from the backend refused: no_message_authenticator" 3 ||
	fail "no log line naming the refused reply"
# accounting replies need no Message-Authenticator: they pass
out=$(radius_acct 127.0.0.1 "$B" localsecret Start s1 bob)
echo "$out" | grep -q "Received Accounting-Response" || fail "accounting: $out"
ok "Access-Accept without Message-Authenticator refused, accounting passes"

# malformed RADIUS from a local client: counted, nothing sent on
"$UDPTOOL" freeport >/dev/null
printf '\001\001\000\377AAAAAAAAAAAAAAAA' >"$T/short.bin"	# Length 255 > 20
printf '\001\001\000\012AAAAAAAAAAAAAAAA' >"$T/len.bin"	# Length 10 < 20
printf '\001\002\000\026AAAAAAAAAAAAAAAA\001\001' >"$T/badattr.bin"
printf '\077\003\000\024AAAAAAAAAAAAAAAA' >"$T/code.bin"	# code 63
for f in short len badattr code; do
	socat -u "OPEN:$T/$f.bin" "UDP:127.0.0.1:$A"
done
# and over DTLS to the server side, through socat's DTLS client
for f in short len badattr code; do
	timeout 5 socat -u "OPEN:$T/$f.bin" \
		"OPENSSL-DTLS-CLIENT:127.0.0.1:$P,verify=0" 2>/dev/null
done
sleep 1
stats client
stats server
for gwn in client server; do
	line=$(grep 'stats route=route-1 ' "$T/$gwn.log" | tail -n 1)
	for why in radius_short radius_bad_length radius_bad_attribute \
	    radius_unknown_code; do
		echo "$line" | grep -Eq " $why=[1-9]" ||
			fail "$gwn: $why not counted: $line"
	done
done
ok "malformed packets dropped and counted by reason on both sides"

# status-server = local: answered with no backend at all
P2=$(free_port) DEAD=$(free_port)
gw local -l "dtls://127.0.0.1:$P2" -f "udp://127.0.0.1:$DEAD" -p radius \
	--secret backendsecret --status-server local
A2=$(free_port)
gw client2 -l "udp://127.0.0.1:$A2" -f "dtls://127.0.0.1:$P2" -p radius \
	--secret localsecret --acct-port 0 --coa-port 0
out=$(radius_status 127.0.0.1 "$A2" localsecret)
echo "$out" | grep -q "Received Access-Accept" || fail "local Status-Server: $out"
ok "status-server = local: answered by the gateway"

# the watchdog: Status-Server every second on an idle session; the server
# side forwards it to a FreeRADIUS that then goes away
P3=$(free_port)
FR_REPLY_MA=1
HA=$(free_port) HB=$(free_port) HC=$(free_port)
start_freeradius fr3 "$HA" "$HB" "$HC" backendsecret
FR3_PID=$FR_PID
gw server3 -l "dtls://127.0.0.1:$P3" -f "udp://127.0.0.1:$HA" -p radius \
	--secret backendsecret --acct-port "$HB" --coa-port "$HC"
A3=$(free_port)
gw client3 -l "udp://127.0.0.1:$A3" -f "dtls://127.0.0.1:$P3" -p radius \
	--secret localsecret --acct-port 0 --coa-port 0 --watchdog 1
out=$(radius_auth 127.0.0.1 "$A3" localsecret bob hello)
echo "$out" | grep -q "Received Access-Accept" || fail "watchdog setup: $out"
sleep 3
before=$(grep -c "Status-Server" "$FR_DIR/detail-status" 2>/dev/null || true)
stats server3
[ "$(stat_value server3 route-1 up_dgrams)" -ge 2 ] ||
	fail "no Status-Server watchdog reached the server side"
kill "$FR3_PID"
wait_log "$T/client3.log" "no answer to 3 Status-Server watchdogs, closing the session" 10 ||
	fail "the watchdog did not give the silent server up"
ok "watchdog: Status-Server on an idle session, session closed when unanswered"
