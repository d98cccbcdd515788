# Shared by the integration scenarios: start what a test needs, stop it by
# its PID at exit, wait for log lines, fail with the logs in view.
#
# The meson test harness sets DTLSGW (the binary), UDPTOOL, DIAMTOOL and
# MKCERTS; DIAMTOOL is needed only by the Diameter helpers.
set -u

: "${DTLSGW:?set DTLSGW to the dtlsgw binary}"
: "${UDPTOOL:?set UDPTOOL to the udptool binary}"
: "${MKCERTS:?set MKCERTS to tests/common/mkcerts.sh}"

T=$(mktemp -d "${TMPDIR:-/tmp}/dtlsgw-it.XXXXXX")
PIDS=""
NAME=$(basename "$0" .sh)

cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $PIDS; do
		# bounded wait: a process that ignores SIGTERM gets SIGKILL
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$p" 2>/dev/null
	done
	wait 2>/dev/null
	# under the sanitizers, a report in any log fails the test
	_bad=$(grep -lE 'ERROR: (Address|Leak)Sanitizer|runtime error:' \
		"$T"/*.log 2>/dev/null)
	if [ -n "$_bad" ]; then
		echo "FAIL $NAME: sanitizer report in $_bad"
		for _f in $_bad; do
			grep -A30 -E 'Sanitizer|runtime error' "$_f" | head -60
		done
		rm -rf "$T"
		exit 1
	fi
	rm -rf "$T"
}
trap cleanup EXIT

dump_logs() {
	for f in "$T"/*.log; do
		[ -f "$f" ] || continue
		echo "---- $(basename "$f") ----"
		tail -n 40 "$f"
	done
}

fail() {
	echo "FAIL $NAME: $*"
	dump_logs
	exit 1
}

ok() {
	echo "ok $NAME: $*"
}

# A free UDP port on loopback, asked of the kernel, and not one this test
# was given before (the kernel may hand out a port twice before anything
# binds it; $(...) runs in a subshell, so the list is a file).
fresh_port() {	# TOOL: its freeport, never one given before
	while :; do
		_p=$("$1" freeport)
		grep -qx "$_p" "$T/ports" 2>/dev/null && continue
		echo "$_p" >>"$T/ports"
		echo "$_p"
		return
	done
}

free_port() {
	fresh_port "$UDPTOOL"
}

# wait_log FILE PATTERN [SECONDS]: wait until grep -E finds PATTERN.
wait_log() {
	_f=$1 _p=$2 _s=${3:-10}
	_n=$((_s * 10))
	while [ "$_n" -gt 0 ]; do
		grep -Eq -- "$_p" "$_f" 2>/dev/null && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

# count_log FILE PATTERN: the number of matching lines.
count_log() {
	grep -Ec -- "$2" "$1" 2>/dev/null || true
}

# start NAME CMD...: run CMD in the background, its output in $T/NAME.log;
# the PID lands in $LAST_PID and is stopped at exit.
start() {
	_name=$1
	shift
	"$@" >"$T/$_name.log" 2>&1 &
	LAST_PID=$!
	PIDS="$PIDS $LAST_PID"
}

# start_in NAME INPUT CMD...: like start, with stdin from the file INPUT
# (an asynchronous command's stdin is /dev/null otherwise).
start_in() {
	_name=$1
	_in=$2
	shift 2
	"$@" <"$_in" >"$T/$_name.log" 2>&1 &
	LAST_PID=$!
	PIDS="$PIDS $LAST_PID"
}

# gw NAME ARGS...: start dtlsgw and wait for its "ready" line.  With
# DTLSGW_ENGINE set, on that DTLS engine (an --engine in ARGS comes later
# and wins); with NETNS set, in that network namespace (so echo_server).
gw() {
	_gname=$1
	shift
	start "$_gname" ${NETNS:+ip netns exec "$NETNS"} "$DTLSGW" \
		--log-level debug \
		${DTLSGW_ENGINE:+--engine "$DTLSGW_ENGINE"} "$@"
	wait_log "$T/$_gname.log" 'ready' 10 ||
		fail "dtlsgw $_gname did not become ready"
	eval "PID_$(echo "$_gname" | tr -c 'A-Za-z0-9_\n' _)=$LAST_PID"
}

# echo_server PORT [ADDR]: a UDP echo service.
echo_server() {
	start "echo-$1" ${NETNS:+ip netns exec "$NETNS"} "$UDPTOOL" echo \
		"${2:-127.0.0.1}" "$1"
	wait_log "$T/echo-$1.log" 'echo ready' 5 || fail "echo server on $1"
}

# sink_through PROFILE: a sink (udptool dump) behind a server side and a
# client side of PROFILE; the client side's port in $SINK_PORT, each
# datagram the sink got, in hex, a line of $T/dump.log.
sink_through() {
	_sink_d=$(free_port)
	start dump "$UDPTOOL" dump 127.0.0.1 "$_sink_d"
	wait_log "$T/dump.log" 'dump ready' 5 || fail "udptool dump"
	_sink_p=$(free_port)
	gw sink-server -l "dtls://127.0.0.1:$_sink_p" \
		-f "udp://127.0.0.1:$_sink_d" -p "$1"
	SINK_PORT=$(free_port)
	gw sink-client -l "udp://127.0.0.1:$SINK_PORT" \
		-f "dtls://127.0.0.1:$_sink_p" -p "$1"
}

# A free TCP port on loopback.
free_tcp_port() {
	fresh_port "${DIAMTOOL:?set DIAMTOOL to the diamtool binary}"
}

# diam_server NAME PORT [ADDR [ORIGIN_HOST]]: a Diameter peer on TCP
# (diamtool server), ready; its PID in $LAST_PID.
diam_server() {
	start "$1" "${DIAMTOOL:?set DIAMTOOL to the diamtool binary}" server \
		"${3:-127.0.0.1}" "$2" ${4:+"$4"}
	wait_log "$T/$1.log" 'diamtool server ready' 5 ||
		fail "diamtool server $1 on $2"
}

# s_server PORT: openssl s_server -dtls1_2 on 127.0.0.1:PORT with the test
# certificate (call certs first); what the test writes to fd 7 it sends,
# what it receives lands in $T/s_server.log.
s_server() {
	mkfifo "$T/s_server.in"
	start s_server sh -c "exec openssl s_server -dtls1_2 \
		-accept 127.0.0.1:$1 -cert $C/server.pem -key $C/server.key \
		-quiet <'$T/s_server.in'"
	exec 7>"$T/s_server.in"
	sleep 0.5
}

certs() {
	"$MKCERTS" "$T/certs" || fail "cannot make certificates"
	C=$T/certs
}

# stats NAME: SIGUSR1 to gateway NAME, wait for its stats lines.
stats() {
	_pid=$(eval "echo \$PID_$(echo "$1" | tr -c 'A-Za-z0-9_\n' _)")
	_before=$(count_log "$T/$1.log" 'stats route=')
	kill -USR1 "$_pid"
	_n=50
	while [ "$_n" -gt 0 ]; do
		[ "$(count_log "$T/$1.log" 'stats route=')" -gt "$_before" ] &&
			return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	fail "no stats from $1"
}

# stat_value NAME ROUTE KEY: the last value of KEY in ROUTE's stats line.
stat_value() {
	grep "stats route=$2 " "$T/$1.log" | tail -n 1 |
		grep -Eo " $3=[0-9]+" | cut -d= -f2
}

# netns_pair NAME ADDR_A ADDR_B: namespaces $A and $B (NAME and the PID in
# their names) joined by a veth pair ($VA in A with ADDR_A/24, $VB in B
# with ADDR_B/24), loopbacks up; deleted at exit (root).
netns_pair() {
	A=dtlsgw-$1-a-$$
	B=dtlsgw-$1-b-$$
	VA=$(printf '%.6sa%s' "$1" $$)
	VB=$(printf '%.6sb%s' "$1" $$)
	trap netns_cleanup EXIT
	ip netns add "$A" && ip netns add "$B" || fail "cannot create namespaces"
	ip link add "$VA" type veth peer name "$VB" || fail "cannot create veth"
	ip link set "$VA" netns "$A" && ip link set "$VB" netns "$B" ||
		fail "cannot move the veth ends"
	ip -n "$A" addr add "$2/24" dev "$VA"
	ip -n "$B" addr add "$3/24" dev "$VB"
	for _ns in "$A" "$B"; do
		ip -n "$_ns" link set lo up
	done
	ip -n "$A" link set "$VA" up
	ip -n "$B" link set "$VB" up
}

# in_ns NS CMD...: CMD in namespace NS, bounded in time
in_ns() {
	_ns=$1
	shift
	timeout 30 ip netns exec "$_ns" "$@"
}

# first_ping NS ADDR: a tunnel's far device may appear with the first
# packet that crosses: a few tries (bounded) until a reply comes
first_ping() {
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		in_ns "$1" ping -c 1 -W 1 "$2" >/dev/null 2>&1 && return 0
	done
	fail "no reply from $2 in namespace $1"
}

# pings NS ADDR: five echo requests, five replies
pings() {
	in_ns "$1" ping -c 5 -i 0.2 -W 2 "$2" >"$T/ping.out" 2>&1 ||
		fail "ping $2 from $1: $(cat "$T/ping.out")"
	grep -q " 0% packet loss" "$T/ping.out" ||
		fail "ping $2 from $1: $(tail -n 2 "$T/ping.out")"
}

netns_cleanup() {
	cleanup
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
}

# capture_start FILTER: tshark on lo writes $T/cap.pcapng (root).  The
# 64 MiB kernel buffer keeps a burst from a busy machine's test (thousands
# of datagrams in a tenth of a second) from being dropped by the capture.
capture_start() {
	command -v tshark >/dev/null || fail "tshark is not installed"
	# a test's second capture: the first one's "Capturing on" must not
	# pass for this one's (start's redirection runs in the background)
	rm -f "$T/tshark.log" "$T/cap.pcapng"
	start tshark tshark -i lo -n -B 64 -w "$T/cap.pcapng" -f "$1"
	TSHARK_PID=$LAST_PID
	wait_log "$T/tshark.log" "Capturing on" 10 ||
		fail "tshark did not start"
	sleep 0.5	# "Capturing on" comes a little before the capture does
}

# capture_stop: let tshark write out what it has and end.
capture_stop() {
	sleep 1
	kill -INT "$TSHARK_PID"
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$TSHARK_PID" 2>/dev/null || break
		sleep 0.3
	done
}

# capture_drops: what tshark said about packets the capture lost, if any.
capture_drops() {
	grep -i "dropped" "$T/tshark.log" 2>/dev/null | tail -1
}

# data_without_auth FILE: of the packets in FILE (tshark's sctp.chunk_type
# in the first column), how many carry a DATA chunk (0) and no AUTH (15).
data_without_auth() {
	cut -f1 "$1" | awk -F, '{
		d = 0; a = 0
		for (i = 1; i <= NF; i++) {
			if ($i == 0) d = 1
			if ($i == 15) a = 1
		}
		if (d && !a) n++
	} END { print n + 0 }'
}
