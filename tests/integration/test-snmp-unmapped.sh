#!/bin/sh
# The snmp profile's server side with a certificate that maps to no
# security name: a handshake that succeeds (the CA issued it) and then no
# answer, a counter, and a warning naming the peer's address.  The same
# gateway answers the mapped certificate, so the silence is the mapping's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/snmp.sh"
certs

A=$(free_port)
start_snmpd agent "$A"
# only the client's own certificate maps (to "ops")
snmp_gw gw "$A" "10 $(cat "$C/client.fp") --sn ops" ops
P=$GWPORT
snmp_manager "$T/good" client
# the server's certificate (CN=localhost, from the same CA) as a client's
snmp_manager "$T/other" server

out=$(snmp_v3 "$T/good" snmpget "dtlsudp:127.0.0.1:$P" 1.3.6.1.2.1.1.6.0 \
	2>&1) || fail "the mapped certificate: $out"
echo "$out" | grep -q 'dtlsgw integration test' || fail "mapped: $out"
grep -q "security name 'ops'" "$T/gw.log" || fail "no security name 'ops'"
ok "a certificate pinned by its fingerprint maps to --sn ops"

out=$(snmp_v3 "$T/other" snmpget "dtlsudp:127.0.0.1:$P" \
	1.3.6.1.2.1.1.6.0 2>&1) && fail "the unmapped certificate got: $out"
echo "$out" | grep -q 'dtlsgw integration test' &&
	fail "the unmapped certificate got an answer"
wait_log "$T/gw.log" \
	'127\.0\.0\.1:[0-9]+: the peer.s certificate \(sha256:[0-9A-F:]+\) maps to no security name' 5 ||
	fail "no warning naming the peer"
grep -q "DTLS handshake done" "$T/gw.log" || fail "no handshake"
stats gw
n=$(stat_value gw route-1 snmp_unmapped_certificate)
[ "${n:-0}" -ge 1 ] || fail "unmapped certificate not counted"
grep -q public "$T/gw.log" && fail "the community reached the log"
ok "an unmapped certificate: no answer, counted ($n), logged with its address"
