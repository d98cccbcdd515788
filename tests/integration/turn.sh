# coturn for the stun scenarios (source after lib.sh):
#   start_turn NAME PORT        turnserver on 127.0.0.1:PORT and nothing
#                               else: UDP only (no TLS, DTLS, TCP, CLI),
#                               long-term credentials u:p in realm "test",
#                               relays on 127.0.0.1 in a range from a free
#                               port; private config, database and pid
#                               file; verbose log in $T/NAME-file.log
#                               ($TURN_LOG)
#   start_turn_peer NAME PORT   turnutils_peer on 127.0.0.1:PORT: echoes
#                               what the relay sends it
#   turn_server_side            turnserver on $TP, turnutils_peer on $PP,
#                               and dtlsgw "server" (-p stun) on $P in
#                               front of turnserver
#   uclient OUT ARGS...         turnutils_uclient ARGS, its output in OUT,
#                               bounded in time
#   uclient_ok OUT N            OUT says N messages sent and N received,
#                               none lost
command -v turnserver >/dev/null ||
	fail "turnserver is not installed (scripts/deps: coturn)"

start_turn() {
	_min=$(free_port)
	_max=$((_min + 40))
	[ "$_max" -le 65535 ] || _max=65535
	TURN_LOG=$T/$1-file.log
	# -n: no configuration file; loopback peers: turnutils_peer is one
	start "$1" turnserver -n -v --no-dtls --no-tls --no-tcp --no-cli \
		-L 127.0.0.1 --listening-port "$2" --relay-ip 127.0.0.1 \
		--min-port "$_min" --max-port "$_max" \
		--lt-cred-mech --user u:p --realm test \
		--allow-loopback-peers --simple-log --log-file "$TURN_LOG" \
		--pidfile "$T/$1.pid" --db "$T/$1.db"
	TURN_PID=$LAST_PID
	wait_log "$TURN_LOG" "UDP listener opened on: 127.0.0.1:$2" 10 ||
		fail "turnserver $1 on $2"
}

start_turn_peer() {
	start "$1" turnutils_peer -L 127.0.0.1 -p "$2"
	_n=50
	until ss -Hlun "sport = :$2" | grep -q .; do
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || fail "turnutils_peer on $2"
		sleep 0.1
	done
}

uclient() {
	_out=$1
	shift
	timeout 60 turnutils_uclient "$@" >"$_out" 2>&1
}

uclient_ok() {
	grep -q "start_mclient: tot_send_msgs=$2, tot_recv_msgs=$2\$" "$1" ||
		return 1
	grep -q "Total lost packets 0 " "$1"
}

turn_server_side() {
	TP=$(free_port)
	start_turn turn "$TP"
	PP=$(free_port)
	start_turn_peer peer "$PP"
	P=$(free_port)
	gw server -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$TP" -p stun
}
