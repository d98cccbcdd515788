#!/bin/sh
# crl = FILE: a client certificate the CRL revokes is refused, one it does
# not is accepted, and without crl the revoked one is accepted too; the
# CRL is read again on SIGHUP (existing sessions stay).
. "$(dirname "$0")/lib.sh"
certs

E=$(free_port)
echo_server "$E"

# client NAME SERVER_PORT: a client side with client.pem, its port in $CL
client() {
	CL=$(free_port)
	gw "$1" -l "udp://127.0.0.1:$CL" -f "dtls://127.0.0.1:$2" \
		--cert "$C/client.pem" --key "$C/client.key" --ca "$C/ca.pem"
}

# server NAME [CRL]
server() {
	SP=$(free_port)
	gw "$1" -l "dtls://127.0.0.1:$SP" -f "udp://127.0.0.1:$E" \
		--cert "$C/server.pem" --key "$C/server.key" --ca "$C/ca.pem" \
		${2:+--crl "$2"}
}

server nocrl
client c1 "$SP"
"$UDPTOOL" send 127.0.0.1 "$CL" 20 8 500 8 10 >"$T/1.out" 2>&1 ||
	fail "without crl: $(cat "$T/1.out")"
ok "without crl the (revoked) client certificate is accepted"

server emptycrl "$C/ca-empty.crl"
client c2 "$SP"
"$UDPTOOL" send 127.0.0.1 "$CL" 20 8 500 8 10 >"$T/2.out" 2>&1 ||
	fail "with a CRL revoking nothing: $(cat "$T/2.out")"
ok "with a CRL that does not revoke it, accepted"

server revoked "$C/ca-revoked.crl"
client c3 "$SP"
if "$UDPTOOL" send 127.0.0.1 "$CL" 5 8 100 5 4 >"$T/3.out" 2>&1; then
	fail "a revoked client certificate got through"
fi
wait_log "$T/revoked.log" "127.0.0.1:[0-9]+: DTLS handshake failed" 5 ||
	fail "the refusal does not name the peer"
ok "a revoked client certificate is refused: $(grep -m1 -o 'DTLS handshake failed.*' "$T/revoked.log")"

# on SIGHUP the CRL file is read again
cp "$C/ca-empty.crl" "$T/live.crl"
P=$(free_port)
cat >"$T/server.conf" <<CONF
cert = $C/server.pem
key = $C/server.key
ca = $C/ca.pem
crl = $T/live.crl
[main]
listen = dtls://127.0.0.1:$P
forward = udp://127.0.0.1:$E
CONF
gw reload -c "$T/server.conf"
client c4 "$P"
SRC=$(free_port)
"$UDPTOOL" send 127.0.0.1 "$CL" 20 8 500 8 10 "$SRC" >"$T/4.out" 2>&1 ||
	fail "before the new CRL: $(cat "$T/4.out")"
cp "$C/ca-revoked.crl" "$T/live.crl"
kill -HUP "$PID_reload"
wait_log "$T/reload.log" "reloaded: 1 routes kept" 5 || fail "no reload"
"$UDPTOOL" send 127.0.0.1 "$CL" 20 8 500 8 10 "$SRC" >"$T/5.out" 2>&1 ||
	fail "the established session after the new CRL: $(cat "$T/5.out")"
client c5 "$P"
if "$UDPTOOL" send 127.0.0.1 "$CL" 5 8 100 5 4 >"$T/6.out" 2>&1; then
	fail "the CRL read on SIGHUP did not refuse the revoked certificate"
fi
ok "SIGHUP read the new CRL: new handshakes refused, the old session stays"

# crl without ca, and a file that is not a CRL: configuration errors
"$DTLSGW" -l "dtls://127.0.0.1:$(free_port)" -f "udp://127.0.0.1:$E" \
	--crl "$C/ca-empty.crl" >"$T/noca.out" 2>&1
rc=$?
[ "$rc" = 2 ] && grep -q "crl: .*crl without ca" "$T/noca.out" ||
	fail "crl without ca: exit $rc, $(cat "$T/noca.out")"
"$DTLSGW" -l "dtls://127.0.0.1:$(free_port)" -f "udp://127.0.0.1:$E" \
	--ca "$C/ca.pem" --crl "$C/ca.pem" ${DTLSGW_ENGINE:+--engine "$DTLSGW_ENGINE"} \
	>"$T/badcrl.out" 2>&1
rc=$?
[ "$rc" = 2 ] && grep -q "crl $C/ca.pem" "$T/badcrl.out" ||
	fail "a file that is not a CRL: exit $rc, $(cat "$T/badcrl.out")"
ok "crl without ca, and a file that is not a CRL, are configuration errors"
