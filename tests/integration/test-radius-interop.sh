#!/bin/sh
# RADIUS/DTLS against implementations other than ours, both ways.
# Debian 12's radsecproxy is built without DTLS (radsecproxy -v: UDP, TCP,
# TLS), so the independent RADIUS/DTLS peers are made of radclient or
# FreeRADIUS speaking RADIUS with the secret radius/dtls, and socat's
# OpenSSL DTLS carrying it:
#  (a) radclient (radius/dtls) -> socat UDP -> OPENSSL-DTLS-CLIENT
#        -> dtlsgw server side -> FreeRADIUS (its own secret)
#  (b) radclient (local secret) -> dtlsgw client side -> DTLS
#        -> socat OPENSSL-DTLS-SERVER -> FreeRADIUS (secret radius/dtls)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/freeradius.sh"
certs

# (a)
FA=$(free_port) FB=$(free_port) FC=$(free_port)
start_freeradius fr "$FA" "$FB" "$FC" backendsecret
P=$(free_port)
gw server -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$FA" -p radius \
	--secret backendsecret --acct-port "$FB" --coa-port "$FC" \
	--cert "$C/server.pem" --key "$C/server.key"
U=$(free_port)
start socat-client socat "UDP4-LISTEN:$U,bind=127.0.0.1,fork" \
	"OPENSSL-DTLS-CLIENT:127.0.0.1:$P,cafile=$C/ca.pem,commonname=localhost"
sleep 0.5
out=$(radius_auth 127.0.0.1 "$U" radius/dtls carol hello)
echo "$out" | grep -q "Received Access-Accept" || fail "(a) carol: $out"
echo "$out" | grep -q 'Tunnel-Password:1 = "tunnel-secret-1"' ||
	fail "(a) Tunnel-Password: $out"
out=$(radius_auth 127.0.0.1 "$U" radius/dtls bob wrong)
echo "$out" | grep -q "Received Access-Reject" || fail "(a) reject: $out"
out=$(radius_acct 127.0.0.1 "$U" radius/dtls Start sess-a bob)
echo "$out" | grep -q "Received Accounting-Response" || fail "(a) acct: $out"
out=$(radius_status 127.0.0.1 "$U" radius/dtls)
echo "$out" | grep -q "Received Access-Accept" || fail "(a) status: $out"
ok "(a) radclient over socat's DTLS client -> dtlsgw server side"

# (b)
GA=$(free_port) GB=$(free_port) GC=$(free_port)
start_freeradius fr2 "$GA" "$GB" "$GC" radius/dtls
S=$(free_port)
start socat-server socat \
	"OPENSSL-DTLS-SERVER:$S,bind=127.0.0.1,cert=$C/server.pem,key=$C/server.key,verify=0,fork" \
	"UDP:127.0.0.1:$GA"
sleep 0.5
A=$(free_port)
gw client -l "udp://127.0.0.1:$A" -f "dtls://localhost:$S" -p radius \
	--secret localsecret --acct-port 0 --coa-port 0 --ca "$C/ca.pem"
out=$(radius_auth 127.0.0.1 "$A" localsecret carol hello)
echo "$out" | grep -q "Received Access-Accept" || fail "(b) carol: $out"
echo "$out" | grep -qi "MS-MPPE-Recv-Key = $FR_RECV_KEY" ||
	fail "(b) MS-MPPE-Recv-Key: $out"
out=$(radius_chap 127.0.0.1 "$A" localsecret alice chap-pass)
echo "$out" | grep -q "Received Access-Accept" || fail "(b) CHAP: $out"
out=$(radius_status 127.0.0.1 "$A" localsecret)
echo "$out" | grep -q "Received Access-Accept" || fail "(b) status: $out"
ok "(b) dtlsgw client side -> socat's DTLS server -> FreeRADIUS (radius/dtls)"
