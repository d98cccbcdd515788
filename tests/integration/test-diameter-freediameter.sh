#!/bin/sh
# Two freeDiameter daemons (Debian's freeDiameterd, TCP only: No_SCTP)
# through the diameter profile: a.test connects to the client side
# (tcp -> dtls+sctp), the server side (dtls+sctp -> tcp) connects to b.test.
# They complete CER/CEA, stay open and keep DWR/DWA going (Tw = 6 s).
. "$(dirname "$0")/lib.sh"
command -v freeDiameterd >/dev/null || fail "freeDiameterd is not installed"
certs
for h in a.test b.test; do
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$C/$h.key" -subj "/CN=$h" -out "$C/$h.csr" \
		2>/dev/null &&
	openssl x509 -req -in "$C/$h.csr" -CA "$C/ca.pem" -CAkey "$C/ca.key" \
		-CAcreateserial -days 2 -out "$C/$h.pem" 2>/dev/null ||
		fail "cannot make a certificate for $h"
done

fdconf() {	# identity port secport peer peerport
	cat <<CONF
Identity = "$1";
Realm = "test";
Port = $2;
SecPort = $3;
No_SCTP;
No_IPv6;
ListenOn = "127.0.0.1";
TcTimer = 3;
TwTimer = 6;
TLS_Cred = "$C/$1.pem", "$C/$1.key";
TLS_CA = "$C/ca.pem";
ConnectPeer = "$4" { ConnectTo = "127.0.0.1"; Port = $5; No_TLS; };
CONF
}

BP=$(free_port)		# b.test's Diameter port (TCP)
LP=$(free_port)		# the client side's, for a.test
S=$(free_port)		# the server side's SCTP port, and its carrier
U=$(free_port)
# b.test also names a.test (at a port nobody uses) so that it knows it
fdconf b.test "$BP" "$(free_port)" a.test "$(free_port)" >"$T/b.conf"
fdconf a.test "$(free_port)" "$(free_port)" b.test "$LP" >"$T/a.conf"

gw server -l "dtls+sctp://127.0.0.1:$S?encap-port=$U" -p diameter \
	-f "tcp://127.0.0.1:$BP" --cert "$C/server.pem" --key "$C/server.key" \
	--ca "$C/ca.pem"
gw client -l "tcp://127.0.0.1:$LP" -p diameter \
	-f "dtls+sctp://127.0.0.1:$S?encap-port=$U" \
	--cert "$C/client.pem" --key "$C/client.key" --ca "$C/ca.pem"
start fd-b freeDiameterd -c "$T/b.conf"
wait_log "$T/fd-b.log" "freeDiameterd daemon initialized|Core state: 2 -> 3" 10 ||
	true
sleep 1
start fd-a freeDiameterd -c "$T/a.conf"
wait_log "$T/fd-a.log" "-> 'STATE_OPEN'.*'b.test'" 15 ||
	fail "a.test did not reach STATE_OPEN with b.test"
wait_log "$T/fd-b.log" "-> 'STATE_OPEN'.*'a.test'" 5 ||
	fail "b.test did not reach STATE_OPEN with a.test"
ok "CER/CEA through dtlsgw: both peers open"

# a watchdog round or more (Tw 6 s, jittered by up to 2 s): DWR/DWA went
# through and nobody closed
sleep 10
grep -q "STATE_OPEN'.*-> \\|STATE_CLOSING\\|STATE_SUSPECT" "$T/fd-a.log" "$T/fd-b.log" &&
	fail "a peer left STATE_OPEN"
stats client
stats server
up=$(stat_value client route-1 up_dgrams)
down=$(stat_value client route-1 down_dgrams)
[ "$up" -ge 2 ] && [ "$down" -ge 2 ] ||
	fail "no watchdog exchange through the client side (up $up, down $down)"
[ "$(stat_value server route-1 handshakes_ok)" = 1 ] ||
	fail "server side: expected one DTLS handshake"
grep -q "SCTP-AUTH key from the DTLS exporter installed" "$T/server.log" ||
	fail "no SCTP-AUTH key on the server side"
ok "DWR/DWA keep going: $up messages up, $down down, peers still open"
