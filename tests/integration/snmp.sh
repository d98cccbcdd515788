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
#   start_snmpd_tsm NAME PORT DPORT
#                                  snmpd with SNMPv2c (community public) on
#                                  127.0.0.1:PORT and TSM over DTLS on
#                                  dtlsudp:127.0.0.1:DPORT: the server
#                                  certificate, the test CA's CN rule, read
#                                  access for the security name "client"
#   start_snmptrapd NAME PORT DPORT
#                                  snmptrapd taking SNMPv2c (community
#                                  public) on 127.0.0.1:PORT and TSM over
#                                  DTLS (security name client) on
#                                  dtlsudp:127.0.0.1:DPORT; what it
#                                  receives in $T/NAME-snmptrapd.log
#   snmp_gw_client NAME AGENTPORT [ARGS...]
#                                  dtlsgw's snmp client side on a fresh
#                                  port ($GWPORT): v2c community public (for
#                                  security name client) to DTLS/TSM at
#                                  AGENTPORT, with the client certificate
#                                  and its CA as the chain
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
	run_snmpd "$1"
}

# run_snmpd NAME: snmpd with $T/NAME/snmpd.conf, its log $T/NAME-snmpd.log.
# -C: no other config file; -I -smux: no SMUX port; -Lf: a file, written
# as it goes (stdout to a file is buffered).
run_snmpd() {
	_d=$T/$1
	start "$1" env HOME="$_d" MIBS="" SNMPCONFPATH="$_d" \
		SNMP_PERSISTENT_DIR="$_d/persist" \
		snmpd -f -Lf "$T/$1-snmpd.log" -C -I -smux \
		-c "$_d/snmpd.conf" --persistentDir="$_d/persist"
	wait_log "$T/$1-snmpd.log" 'NET-SNMP version' 10 ||
		fail "snmpd $1: $(cat "$T/$1-snmpd.log")"
}

# same_walk A B WHAT: walks A and B list the same objects and values
# (sysUpTime.0 aside: it moves), else fail naming WHAT.
same_walk() {
	grep -v '^\.1\.3\.6\.1\.2\.1\.1\.3\.0 ' "$1" >"$1.cmp"
	grep -v '^\.1\.3\.6\.1\.2\.1\.1\.3\.0 ' "$2" >"$2.cmp"
	[ "$(wc -l <"$1.cmp")" -ge 10 ] || fail "$3: short walk: $(cat "$1")"
	cmp -s "$1.cmp" "$2.cmp" ||
		fail "$3 differs: $(diff "$1.cmp" "$2.cmp" | head -20)"
}

snmp_gw() {
	GWPORT=$(free_port)
	gw "$1" -l "dtls://127.0.0.1:$GWPORT" -f "udp://127.0.0.1:$2" -p snmp \
		--cert "$C/server.pem" --key "$C/server.key" --ca "$C/ca.pem" \
		--cert-sec-name "$3" --snmp-community "$4 public"
}

# The agent's certificate setup, as a manager's, in $T/NAME; certSecName
# maps the CN of a certificate the test CA issued.  net-snmp sees the CA
# only if the peer sends it: dtlsgw's --cert holds the chain.
start_snmpd_tsm() {
	_d=$T/$1
	snmp_manager "$_d" server
	rm "$_d/snmp.conf"
	cat >"$_d/snmpd.conf" <<EOC
agentAddress udp:127.0.0.1:$2,dtlsudp:127.0.0.1:$3
$(snmp_tsm_conf)
rouser -s tsm client
rocommunity public 127.0.0.1
sysLocation dtlsgw integration test
sysContact snmp-test@example.net
EOC
	run_snmpd "$1"
}

# The (D)TLS lines of an agent's or receiver's config: the server
# certificate, the test CA, and certSecName mapping the CN of what it
# issued.
snmp_tsm_conf() {
	printf '[snmp] localCert server\n[snmp] trustCert ca\n'
	printf 'certSecName 10 %s --cn\n' \
		"$(sed 's/sha256://; s/../&:/g; s/:$//' "$C/ca.fp")"
}

start_snmptrapd() {
	_d=$T/$1
	snmp_manager "$_d" server
	rm "$_d/snmp.conf"
	cat >"$_d/snmptrapd.conf" <<EOC
$(snmp_tsm_conf)
authUser log -s tsm client
authCommunity log public
EOC
	# -On: numeric OIDs; -Lf: what it receives, as it comes
	start "$1" env HOME="$_d" MIBS="" SNMPCONFPATH="$_d" \
		SNMP_PERSISTENT_DIR="$_d/persist" \
		snmptrapd -f -On -Lf "$T/$1-snmptrapd.log" -C \
		-c "$_d/snmptrapd.conf" --persistentDir="$_d/persist" \
		"udp:127.0.0.1:$2" "dtlsudp:127.0.0.1:$3"
	wait_log "$T/$1-snmptrapd.log" 'NET-SNMP version' 10 ||
		fail "snmptrapd $1: $(cat "$T/$1-snmptrapd.log")"
}

snmp_gw_client() {
	_name=$1 _port=$2
	shift 2
	GWPORT=$(free_port)
	cat "$C/client.pem" "$C/ca.pem" >"$C/client-chain.pem"
	gw "$_name" -l "udp://127.0.0.1:$GWPORT" \
		-f "dtls://127.0.0.1:$_port" -p snmp \
		--cert "$C/client-chain.pem" --key "$C/client.key" \
		--ca "$C/ca.pem" --snmp-community "client public" "$@"
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
