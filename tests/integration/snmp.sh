# net-snmp for the snmp scenarios (source after lib.sh; needs certs):
#   start_snmpd NAME PORT          snmpd speaking SNMPv2c only, community
#                                  "public", on 127.0.0.1:PORT, its config
#                                  and state under $T/NAME
#   snmp_gw NAME AGENTPORT RULE SECNAME
#                                  dtlsgw's snmp server side on a fresh
#                                  port ($GWPORT) in front of the agent:
#                                  one --cert-sec-name RULE, SECNAME's
#                                  community "public"
#   snmp_manager DIR CERT          a manager's config in DIR: CERT.pem and
#                                  CERT.key of $C as its localCert, the
#                                  test CA as trustCert
#   snmp_v3 DIR TOOL ARGS...       run snmpget/snmpwalk/... over TSM with
#                                  DIR's config (add dtlsudp:HOST:PORT OIDs)
#   snmp_v2c TOOL ARGS...          the same tool, SNMPv2c, community public
# Every tool runs without MIBs (numeric OIDs), with a private HOME and
# persistent directory, and bounded in time.
command -v snmpd >/dev/null || fail "snmpd is not installed (scripts/deps)"
command -v snmpget >/dev/null || fail "snmpget is not installed (scripts/deps)"

start_snmpd() {
	_d=$T/$1
	mkdir -p "$_d/persist"
	cat >"$_d/snmpd.conf" <<EOC
agentAddress udp:127.0.0.1:$2
rocommunity public 127.0.0.1
sysLocation dtlsgw integration test
sysContact snmp-test@example.net
EOC
	# -C: no other config file; -I -smux: no SMUX port; -Lo: log to stdout
	start "$1" env HOME="$_d" MIBS="" SNMPCONFPATH="$_d" \
		SNMP_PERSISTENT_DIR="$_d/persist" \
		snmpd -f -Lo -C -I -smux -c "$_d/snmpd.conf" \
		--persistentDir="$_d/persist"
	wait_log "$T/$1.log" 'NET-SNMP version' 10 || fail "snmpd $1 on $2"
}

snmp_gw() {
	GWPORT=$(free_port)
	gw "$1" -l "dtls://127.0.0.1:$GWPORT" -f "udp://127.0.0.1:$2" -p snmp \
		--cert "$C/server.pem" --key "$C/server.key" --ca "$C/ca.pem" \
		--cert-sec-name "$3" --snmp-community "$4 public"
}

# net-snmp finds (D)TLS certificates by name under its config path:
# tls/certs (certificates), tls/private (keys), tls/ca-certs (anchors).
snmp_manager() {
	mkdir -p "$1/tls/certs" "$1/tls/private" "$1/tls/ca-certs" \
		"$1/persist"
	cp "$C/$2.pem" "$1/tls/certs/$2.crt"
	cp "$C/$2.key" "$1/tls/private/$2.key"
	cp "$C/ca.pem" "$1/tls/ca-certs/ca.crt"
	chmod 600 "$1/tls/private/$2.key"
	printf 'localCert %s\ntrustCert ca\n' "$2" >"$1/snmp.conf"
}

# -T their_hostname: net-snmp matches the agent's certificate against a
# DNS name, not the address in dtlsudp:127.0.0.1:PORT.
snmp_v3() {
	_dir=$1 _tool=$2
	shift 2
	env HOME="$_dir" MIBS="" SNMPCONFPATH="$_dir" \
		SNMP_PERSISTENT_DIR="$_dir/persist" \
		timeout 30 "$_tool" -v3 -On -r 1 -t 2 \
		-T their_hostname=localhost "$@"
}

snmp_v2c() {
	_tool=$1
	shift
	env HOME="$T" MIBS="" SNMPCONFPATH="$T" SNMP_PERSISTENT_DIR="$T" \
		timeout 30 "$_tool" -v2c -c public -On -r 1 -t 2 "$@"
}
