#!/bin/sh
# The snmp profile's server side against net-snmp on both ends:
#   snmpget/snmpwalk/snmpbulkwalk -v3 dtlsudp: (TSM, net-snmp's DTLS)
#     -> dtlsgw (certificate -> security name -> community)
#     -> snmpd speaking SNMPv2c only
# The answers must equal those of a direct v2c walk of the same agent
# (sysUpTime.0 aside: it moves).  The security name comes from the CN of a
# certificate issued by the CA whose fingerprint the rule names.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/snmp.sh"
certs

A=$(free_port)
start_snmpd agent "$A"
snmp_gw gw "$A" "10 $(cat "$C/ca.fp") --cn" client
P=$GWPORT
M=$T/mgr
snmp_manager "$M" client

out=$(snmp_v3 "$M" snmpget "dtlsudp:127.0.0.1:$P" 1.3.6.1.2.1.1.6.0 2>&1) ||
	fail "snmpget through dtlsgw: $out"
echo "$out" | grep -q 'STRING: "dtlsgw integration test"' ||
	fail "snmpget sysLocation.0: $out"
grep -q "security name 'client'" "$T/gw.log" ||
	fail "no security name logged"
ok "snmpget -v3 over DTLS/TSM through dtlsgw to a v2c agent"

snmp_v3 "$M" snmpwalk "dtlsudp:127.0.0.1:$P" 1.3.6.1.2.1.1 \
	>"$T/walk-gw.txt" 2>"$T/walk-gw.err" || fail "snmpwalk through dtlsgw"
snmp_v2c snmpwalk "udp:127.0.0.1:$A" 1.3.6.1.2.1.1 >"$T/walk-v2c.txt" \
	2>"$T/walk-v2c.err" || fail "direct snmpwalk"
same_walk "$T/walk-gw.txt" "$T/walk-v2c.txt" "the walk through dtlsgw"
ok "snmpwalk through dtlsgw equals a direct v2c walk ($(wc -l <"$T/walk-v2c.txt") objects)"

snmp_v3 "$M" snmpbulkwalk -Cr5 "dtlsudp:127.0.0.1:$P" 1.3.6.1.2.1.1 \
	>"$T/bulk-gw.txt" 2>"$T/bulk-gw.err" ||
	fail "snmpbulkwalk through dtlsgw"
same_walk "$T/bulk-gw.txt" "$T/walk-v2c.txt" "the bulk walk"
ok "snmpbulkwalk (GetBulk) through dtlsgw equals the direct walk"

# 60 repetitions from system.0 do not fit one DTLS record (the wolfSSL
# engine's is 1400 bytes): the gateway answers with the bindings that fit
snmp_v3 "$M" snmpbulkwalk -Cr60 "dtlsudp:127.0.0.1:$P" 1.3.6.1.2.1.1 \
	>"$T/bulk60-gw.txt" 2>"$T/bulk60-gw.err" ||
	fail "snmpbulkwalk -Cr60 through dtlsgw: $(cat "$T/bulk60-gw.err")"
same_walk "$T/bulk60-gw.txt" "$T/walk-v2c.txt" "the bulk walk -Cr60"
ok "GetBulk answers larger than a record are cut to the bindings that fit"

# 128 x sysDescr.0 (net-snmp's most in one request, about 9.6 kB):
# through the wolfSSL engine (1400-byte records) that cannot fit, and the
# answer is tooBig (RFC 3416 4.2.1); the OpenSSL engine's records take
# 16 kB, and the answer is whole.
oids=""
for _ in $(seq 128); do oids="$oids 1.3.6.1.2.1.1.1.0"; done
out=$(snmp_v3 "$M" snmpget "dtlsudp:127.0.0.1:$P" $oids 2>&1)
if [ "${DTLSGW_ENGINE:-wolfssl}" = openssl ]; then
	[ "$(echo "$out" | grep -c '^\.1\.3\.6\.1\.2\.1\.1\.1\.0 = ')" = 128 ] ||
		fail "128 x sysDescr.0: $(echo "$out" | tail -2)"
	ok "a Get of 128 objects answered whole in one 16 kB record"
else
	echo "$out" | grep -q tooBig ||
		fail "no tooBig: $(echo "$out" | tail -2)"
	ok "a Get whose answer does not fit a record gets tooBig"
fi

stats gw
[ "$(stat_value gw route-1 snmp_invalid)" = "" ] ||
	fail "messages refused as invalid"
