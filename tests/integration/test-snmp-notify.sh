#!/bin/sh
# Notifications through the snmp profile, both ways, to snmptrapd:
#   server side: snmptrap/snmpinform -v3 over DTLS (TSM) -> dtlsgw ->
#     SNMPv2c to snmptrapd's cleartext port; an inform's Response back
#     as TSM
#   client side: snmptrap/snmpinform -v2c -> dtlsgw -> TSM over DTLS to
#     snmptrapd's dtlsudp: port; an inform's Response back as v2c
# The client side reads its map from a file, as snmp-map.
# Each notification must arrive with its trap OID and bindings, and each
# snmpinform exit 0, which net-snmp does only on the receiver's Response:
# an inform through a route whose receiver is not there must fail.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/snmp.sh"
command -v snmptrapd >/dev/null ||
	fail "snmptrapd is not installed (scripts/deps)"
certs

U=$(free_port)
D=$(free_port)
start_snmptrapd rx "$U" "$D"
G=$(free_port)
GX=$(free_port)
NOBODY=$(free_port)
cat "$C/client.pem" "$C/ca.pem" >"$C/client-chain.pem"
gw gw -l "dtls://127.0.0.1:$G" -f "udp://127.0.0.1:$U" -p snmp \
	--cert "$C/server.pem" --key "$C/server.key" --ca "$C/ca.pem" \
	--cert-sec-name "10 $(cat "$C/ca.fp") --cn" \
	--snmp-community "client public" \
	-l "dtls://127.0.0.1:$GX" -f "udp://127.0.0.1:$NOBODY" -p snmp \
	--cert "$C/server.pem" --key "$C/server.key" --ca "$C/ca.pem" \
	--cert-sec-name "10 $(cat "$C/ca.fp") --cn" \
	--snmp-community "client public"
# the client side from a file, with the snmp-map spelling
P=$(free_port)
cat >"$T/gwc.ini" <<EOF
cert = $C/client-chain.pem
key = $C/client.key
ca = $C/ca.pem

[traps]
proto = snmp
listen = udp://127.0.0.1:$P
forward = dtls://127.0.0.1:$D
snmp-map = client community=public
EOF
gw gwc -c "$T/gwc.ini"
M=$T/mgr
snmp_manager "$M" client
LOG=$T/rx-snmptrapd.log
TRAP=1.3.6.1.4.1.8072.2.3.0.1
OBJ=1.3.6.1.4.1.8072.2.3.2.1

# received TAG VALUE SOURCE: the notification whose binding OBJ.2 is the
# string TAG arrived from SOURCE (UDP or DTLSUDP) with the trap OID and
# OBJ = INTEGER VALUE (snmptrapd: a header line, then the bindings on one
# line, tab-separated)
received() {
	wait_log "$LOG" "= STRING: \"$1\"" 5 || fail "$1: nothing arrived"
	_line=$(grep -B1 "= STRING: \"$1\"" "$LOG")
	echo "$_line" | head -1 | grep -q "\[$3: " ||
		fail "$1: not from $3: $_line"
	echo "$_line" | grep -q "\.1\.3\.6\.1\.6\.3\.1\.1\.4\.1\.0 = OID: \.$TRAP	" ||
		fail "$1: no snmpTrapOID.0 = $TRAP: $_line"
	echo "$_line" | grep -q "\.$OBJ = INTEGER: $2	" ||
		fail "$1: no $OBJ = $2: $_line"
}

snmp_v3 "$M" snmptrap "dtlsudp:127.0.0.1:$G" '' "$TRAP" "$OBJ" i 101 \
	"$OBJ.2" s tsm-trap || fail "snmptrap -v3 to dtlsgw"
received tsm-trap 101 UDP
ok "a TSM SNMPv2-Trap over DTLS reaches snmptrapd as v2c, whole"

out=$(snmp_v3 "$M" snmpinform "dtlsudp:127.0.0.1:$G" '' "$TRAP" "$OBJ" \
	i 102 "$OBJ.2" s tsm-inform 2>&1) || fail "snmpinform -v3: $out"
received tsm-inform 102 UDP
ok "a TSM InformRequest reaches snmptrapd and its Response comes back"

out=$(snmp_v3 "$M" snmpinform "dtlsudp:127.0.0.1:$GX" '' "$TRAP" "$OBJ" \
	i 199 "$OBJ.2" s lost 2>&1) &&
	fail "an inform nobody received was acknowledged: $out"
grep -q "INTEGER: 199	" "$LOG" && fail "the unreceived inform arrived"
ok "an inform with no receiver behind dtlsgw is not acknowledged"

snmp_v2c snmptrap "udp:127.0.0.1:$P" '' "$TRAP" "$OBJ" i 103 \
	"$OBJ.2" s v2c-trap || fail "snmptrap -v2c to dtlsgw"
received v2c-trap 103 DTLSUDP
ok "a v2c trap reaches snmptrapd as TSM over DTLS, whole"

out=$(snmp_v2c snmpinform "udp:127.0.0.1:$P" '' "$TRAP" "$OBJ" i 104 \
	"$OBJ.2" s v2c-inform 2>&1) || fail "snmpinform -v2c: $out"
received v2c-inform 104 DTLSUDP
ok "a v2c inform reaches snmptrapd over DTLS and is acknowledged"

out=$(env HOME="$T" MIBS="" SNMPCONFPATH="$T" SNMP_PERSISTENT_DIR="$T" \
	timeout 30 snmpinform -v2c -c nothere -r 0 -t 1 "udp:127.0.0.1:$P" \
	'' "$TRAP" "$OBJ" i 198 2>&1) &&
	fail "an inform with an unknown community was acknowledged: $out"
grep -Eq "INTEGER: 198($|	)" "$LOG" && fail "the unknown community's inform arrived"
ok "an inform with an unknown community goes nowhere"

stats gw
stats gwc
[ "$(stat_value gw route-1 snmp_invalid)" = "" ] ||
	fail "the server side refused messages as invalid"
[ "$(stat_value gwc traps snmp_invalid)" = "" ] ||
	fail "the client side refused messages as invalid"
[ "$(stat_value gwc traps snmp_unknown_community)" -ge 1 ] ||
	fail "the unknown community was not counted"
