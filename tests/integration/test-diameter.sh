#!/bin/sh
# The diameter profile at volume, with the test peers of diamtool: a
# client on TCP -> client side (tcp -> dtls+sctp) -> server side (dtls+sctp
# -> tcp) -> a Diameter server.  CER/CEA, DWR/DWA and 1,000 requests of up
# to 12 KiB: none lost, reordered, duplicated or corrupted.  The same over
# cleartext sctp://.  Then a backend killed mid-exchange: its clients'
# connections close cleanly and quickly, the others carry on.
. "$(dirname "$0")/lib.sh"
certs

B1=$(free_tcp_port)	# two Diameter servers (backends)
B2=$(free_tcp_port)
diam_server back1 "$B1"
diam_server back2 "$B2"
BACK2=$LAST_PID
S1=$(free_port) U1=$(free_port)		# DTLS/SCTP to back1
S2=$(free_port) U2=$(free_port)		# cleartext SCTP to back1
S3=$(free_port) U3=$(free_port)		# DTLS/SCTP to back2
S4=$(free_port) U4=$(free_port)		# DTLS/SCTP to an SCTP backend:
S5=$(free_port) U5=$(free_port)		# a third dtlsgw, sctp -> back1
L1=$(free_tcp_port) L2=$(free_tcp_port) L3=$(free_tcp_port)
L4=$(free_tcp_port)
gw sctpback -l "sctp://127.0.0.1:$S5?encap-port=$U5" -p diameter \
	-f "tcp://127.0.0.1:$B1"
tls="--cert $C/server.pem --key $C/server.key --ca $C/ca.pem"
gw server \
	-l "dtls+sctp://127.0.0.1:$S1?encap-port=$U1" -p diameter \
	-f "tcp://127.0.0.1:$B1" $tls \
	-l "sctp://127.0.0.1:$S2?encap-port=$U2" -p diameter \
	-f "tcp://127.0.0.1:$B1" \
	-l "dtls+sctp://127.0.0.1:$S3?encap-port=$U3" -p diameter \
	-f "tcp://127.0.0.1:$B2" $tls \
	-l "dtls+sctp://127.0.0.1:$S4?encap-port=$U4" -p diameter \
	-f "sctp://127.0.0.1:$S5?encap-port=$U5" $tls
tls="--cert $C/client.pem --key $C/client.key --ca $C/ca.pem"
gw client \
	-l "tcp://127.0.0.1:$L1" -p diameter \
	-f "dtls+sctp://127.0.0.1:$S1?encap-port=$U1" $tls \
	-l "tcp://127.0.0.1:$L2" -p diameter \
	-f "sctp://127.0.0.1:$S2?encap-port=$U2" \
	-l "tcp://127.0.0.1:$L3" -p diameter \
	-f "dtls+sctp://127.0.0.1:$S3?encap-port=$U3" $tls \
	-l "tcp://127.0.0.1:$L4" -p diameter \
	-f "dtls+sctp://127.0.0.1:$S4?encap-port=$U4" $tls

"$DIAMTOOL" client 127.0.0.1 "$L1" 1000 12288 16 60 >"$T/c1.out" 2>&1 ||
	fail "over DTLS/SCTP: $(cat "$T/c1.out")"
ok "over DTLS/SCTP: $(cat "$T/c1.out")"
"$DIAMTOOL" client 127.0.0.1 "$L2" 1000 12288 16 60 >"$T/c2.out" 2>&1 ||
	fail "over cleartext SCTP: $(cat "$T/c2.out")"
ok "over cleartext SCTP: $(cat "$T/c2.out")"
"$DIAMTOOL" client 127.0.0.1 "$L4" 1000 12288 16 60 >"$T/c5.out" 2>&1 ||
	fail "DTLS/SCTP to an SCTP backend: $(cat "$T/c5.out")"
ok "DTLS/SCTP to an SCTP backend (dtls+sctp -> sctp): $(cat "$T/c5.out")"
stats server
[ "$(stat_value server route-1 up_dgrams)" -ge 1012 ] ||
	fail "server side route-1: fewer messages than the exchange had"
[ "$(stat_value server route-1 handshakes_ok)" = 1 ] ||
	fail "server side route-1: expected one DTLS handshake"
ok "every message counted, one handshake for the DTLS association"

# a stream that does not frame (bad version, length under 20, length not a
# multiple of 4, longer than a message buffer): that connection is closed,
# named in the log; the others carry on
for kind in version length unaligned toolong; do
	"$DIAMTOOL" garbage 127.0.0.1 "$L1" "$kind" >"$T/g.out" 2>&1 ||
		fail "garbage $kind: the gateway kept the connection: $(cat "$T/g.out")"
done
[ "$(count_log "$T/client.log" "tcp: 127\.0\.0\.1:[0-9]+: a message that does not frame: closing the connection")" -ge 4 ] ||
	fail "no log line names the peers whose streams did not frame"
ok "streams that do not frame: each connection closed alone, named in the log"
# a message that frames but whose AVPs run past its end: dropped, counted,
# and the connection stays (the tool waits for a close that never comes)
"$DIAMTOOL" garbage 127.0.0.1 "$L1" avp >"$T/g.out" 2>&1 &&
	fail "an ill-formed message closed the connection"
stats client
[ "$(stat_value client route-1 diameter_avp_overrun)" = 1 ] ||
	fail "the ill-formed message was not counted: $(grep 'stats route=route-1' "$T/client.log" | tail -n 1)"
ok "a message whose AVPs overrun it: dropped and counted, connection kept"

# back2 dies while a client runs through it; one through back1 carries on
start c3 "$DIAMTOOL" client 127.0.0.1 "$L3" 10000000 4000 16 60
C3=$LAST_PID
start c4 "$DIAMTOOL" client 127.0.0.1 "$L1" 20000 4000 16 60
C4=$LAST_PID
sleep 0.5
kill "$BACK2"
for _ in $(seq 1 100); do
	kill -0 "$C3" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$C3" 2>/dev/null && fail "the client of the dead backend still runs"
wait "$C3" && fail "the client of the dead backend reported success"
wait "$C4" || fail "the other client failed: $(cat "$T/c4.log")"
wait_log "$T/server.log" "forward connection with 127.0.0.1:$B2 ended" 5 ||
	fail "the server side did not see the backend go"
# cleanly: a close_notify (then SCTP SHUTDOWN), not a lost association
wait_log "$T/client.log" \
	"route-3: .*session closed \(close_notify from the forward side\)" 5 ||
	fail "the client side did not see the session of the dead backend close cleanly"
ok "backend killed: its client cut off ($(tail -n 1 "$T/c3.log")); the other: $(tail -n 1 "$T/c4.log")"
