#!/bin/sh
# The snmp profile's client side against net-snmp on both ends:
#   snmpget/snmpwalk/snmpbulkwalk -v2c -c public
#     -> dtlsgw (community -> TSM over DTLS, the agent's snmpEngineID
#        learned with the RFC 5343 probe)
#     -> snmpd on dtlsudp:, mapping dtlsgw's certificate with certSecName
#        to "client", which rouser -s tsm lets read
# The answers must equal those of a direct v2c walk of the same agent on
# its second, cleartext, port (sysUpTime.0 aside: it moves).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/snmp.sh"
certs

V=$(free_port)
D=$(free_port)
start_snmpd_tsm agent "$V" "$D"
snmp_gw_client gw "$D"
P=$GWPORT

out=$(snmp_v2c snmpget "udp:127.0.0.1:$P" 1.3.6.1.2.1.1.6.0 \
	1.3.6.1.2.1.1.4.0 2>&1) || fail "snmpget through dtlsgw: $out"
echo "$out" | grep -q 'STRING: "dtlsgw integration test"' ||
	fail "snmpget sysLocation.0: $out"
echo "$out" | grep -q 'STRING: "snmp-test@example.net"' ||
	fail "snmpget sysContact.0: $out"
grep -Eq "snmpEngineID is 80[0-9a-f]{8,}" "$T/gw.log" ||
	fail "no snmpEngineID learned"
ok "snmpget -v2c through dtlsgw to an agent speaking only TSM over DTLS"

snmp_v2c snmpwalk "udp:127.0.0.1:$P" 1.3.6.1.2.1.1 >"$T/walk-gw.txt" \
	2>"$T/walk-gw.err" || fail "snmpwalk through dtlsgw"
snmp_v2c snmpwalk "udp:127.0.0.1:$V" 1.3.6.1.2.1.1 >"$T/walk-v2c.txt" \
	2>"$T/walk-v2c.err" || fail "direct snmpwalk"
same_walk "$T/walk-gw.txt" "$T/walk-v2c.txt" "the walk through dtlsgw"
ok "snmpwalk -v2c through dtlsgw equals a direct v2c walk ($(wc -l <"$T/walk-v2c.txt") objects)"

snmp_v2c snmpbulkwalk -Cr7 "udp:127.0.0.1:$P" 1.3.6.1.2.1.1 \
	>"$T/bulk-gw.txt" 2>"$T/bulk-gw.err" || fail "snmpbulkwalk"
same_walk "$T/bulk-gw.txt" "$T/walk-v2c.txt" "the bulk walk"
ok "snmpbulkwalk -v2c (GetBulk) through dtlsgw equals the direct walk"

# the agent's VACM sees the security name of dtlsgw's certificate: read
# only, so a Set is refused by the agent (not lost on the way)
out=$(snmp_v2c snmpset "udp:127.0.0.1:$P" 1.3.6.1.2.1.1.6.0 s x 2>&1) &&
	fail "a Set went through read-only access: $out"
echo "$out" | grep -Eq 'noAccess|notWritable|authorizationError' ||
	fail "the Set's answer: $out"
ok "a Set gets the agent's own refusal ($(echo "$out" | grep -Eo 'noAccess|notWritable|authorizationError'))"

# one DTLS session, one discovery, for every manager
[ "$(count_log "$T/gw.log" 'forward DTLS handshake done')" = 1 ] ||
	fail "more than one handshake: $(grep 'handshake done' "$T/gw.log")"
[ "$(count_log "$T/gw.log" 'snmpEngineID is')" = 1 ] ||
	fail "more than one discovery"
ok "every manager shares one DTLS session and one discovery"

out=$(env HOME="$T" MIBS="" SNMPCONFPATH="$T" SNMP_PERSISTENT_DIR="$T" \
	timeout 30 snmpget -v2c -c wrongsecret -On -r 0 -t 1 \
	"udp:127.0.0.1:$P" 1.3.6.1.2.1.1.6.0 2>&1) &&
	fail "an unknown community got: $out"
echo "$out" | grep -q 'dtlsgw integration test' &&
	fail "an unknown community got an answer"
wait_log "$T/gw.log" \
	'manager 127\.0\.0\.1:[0-9]+: a community that is no snmp-community' 5 ||
	fail "no warning naming the manager"
stats gw
n=$(stat_value gw route-1 snmp_unknown_community)
[ "${n:-0}" -ge 1 ] || fail "unknown community not counted"
grep -Eq 'wrongsecret|public' "$T/gw.log" && fail "a community reached the log"
[ "$(stat_value gw route-1 snmp_invalid)" = "" ] ||
	fail "messages refused as invalid"
ok "an unknown community: no answer, counted ($n), logged with the manager's address"
