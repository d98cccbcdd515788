# The SIP peers of the sip profile's tests: kamailio (kamailio.cfg) and
# sipsak.  Source after lib.sh.

command -v kamailio >/dev/null || fail "kamailio is not installed"
command -v sipsak >/dev/null || fail "sipsak is not installed"

# start_kamailio PORT: kamailio on 127.0.0.1:PORT/udp, in the foreground
# with its own runtime directory and pid file, answering.
start_kamailio() {
	mkdir -p "$T/kamailio"
	start kamailio kamailio -DD -E -f "$(dirname "$0")/kamailio.cfg" \
		-l "udp:127.0.0.1:$1" -Y "$T/kamailio" \
		-P "$T/kamailio/kamailio.pid" -m 16 -M 4
	wait_log "$T/kamailio.log" 'SO_RCVBUF is finally' 10 ||
		fail "kamailio did not start"
	# its children may still be starting
	for _i in 1 2 3 4 5; do
		sipsak_run direct -s "sip:127.0.0.1:$1" && return 0
		sleep 0.5
	done
	fail "kamailio does not answer: $(cat "$T/direct.out")"
}

# sipsak_run NAME ARGS...: sipsak bounded in time, its output in
# $T/NAME.out; it names 192.0.2.1 in its Via, where nothing answers, and
# sends and receives on one port (-S).
sipsak_run() {
	_n=$1
	shift
	timeout 15 sipsak -vv -S -H 192.0.2.1 "$@" >"$T/$_n.out" 2>&1
}
