#!/bin/sh
# --engine openssl: the OpenSSL backend against the wolfSSL one and against
# itself, back to back; real clients against an OpenSSL server side; mutual
# authentication with the test CA; PSK across the engines.
. "$(dirname "$0")/lib.sh"

"$DTLSGW" --engine openssl -l dtls://127.0.0.1:1 -f udp://127.0.0.1:2 \
	--check >/dev/null 2>&1 || {
	echo "skip $NAME: this dtlsgw has no OpenSSL engine"
	exit 77
}
certs

fp_of() {	# the ephemeral certificate's fingerprint in gateway NAME's log
	grep -Eo 'fingerprint sha256:[0-9A-F:]+' "$T/$1.log" | head -n 1 |
		sed 's/fingerprint //'
}

E=$(free_port)
echo_server "$E"

# --- 1. one side on OpenSSL, the other on wolfSSL, both ways -------------
P1=$(free_port)
gw oserver --engine openssl -l "dtls://127.0.0.1:$P1" \
	-f "udp://127.0.0.1:$E"
L1=$(free_port)
gw wclient --engine wolfssl -l "udp://127.0.0.1:$L1" -f "dtls://127.0.0.1:$P1" \
	--peer-fingerprint "$(fp_of oserver)"
"$UDPTOOL" send 127.0.0.1 "$L1" 10000 8 1200 32 60 >"$T/send1.out" 2>&1 ||
	fail "wolfSSL client, OpenSSL server: $(cat "$T/send1.out")"
wait_log "$T/oserver.log" "DTLS handshake done \(DTLSv1.2 .*(x|X)25519\)" 1 ||
	fail "the handshake line does not name X25519"
ok "wolfSSL client, OpenSSL server: $(cat "$T/send1.out")"

P2=$(free_port)
gw wserver --engine wolfssl -l "dtls://127.0.0.1:$P2" -f "udp://127.0.0.1:$E"
L2=$(free_port)
gw oclient --engine openssl -l "udp://127.0.0.1:$L2" \
	-f "dtls://127.0.0.1:$P2" --peer-fingerprint "$(fp_of wserver)"
"$UDPTOOL" send 127.0.0.1 "$L2" 10000 8 1200 32 60 >"$T/send2.out" 2>&1 ||
	fail "OpenSSL client, wolfSSL server: $(cat "$T/send2.out")"
ok "OpenSSL client, wolfSSL server: $(cat "$T/send2.out")"

# --- 2. OpenSSL at both ends: large datagrams, resumption -----------------
P3=$(free_port)
gw oserver2 --engine openssl -l "dtls://127.0.0.1:$P3" \
	-f "udp://127.0.0.1:$E"
L3=$(free_port)
gw oclient2 --engine openssl -l "udp://127.0.0.1:$L3" \
	-f "dtls://127.0.0.1:$P3" --peer-fingerprint "$(fp_of oserver2)"
"$UDPTOOL" send 127.0.0.1 "$L3" 10000 8 1200 32 60 >"$T/send3.out" 2>&1 ||
	fail "OpenSSL pair: $(cat "$T/send3.out")"
wait_log "$T/oclient2.log" \
	"forward DTLS handshake done \(DTLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256 x25519\)" 1 ||
	fail "the OpenSSL pair did not choose AES-128-GCM with X25519"
ok "OpenSSL pair: $(cat "$T/send3.out")"
# what this wolfSSL cannot carry: a few at a time, so that loopback's
# socket buffers hold them (the window is in datagrams, not bytes)
"$UDPTOOL" send 127.0.0.1 "$L3" 2000 1400 8000 4 60 >"$T/send4.out" 2>&1 ||
	fail "OpenSSL pair, 1400 to 8000 bytes: $(cat "$T/send4.out")"
ok "OpenSSL pair, 1400 to 8000 bytes: $(cat "$T/send4.out")"
# a second source gets its own session, resumed
"$UDPTOOL" send 127.0.0.1 "$L3" 100 8000 8000 4 20 >"$T/send5.out" 2>&1 ||
	fail "second source: $(cat "$T/send5.out")"
stats oclient2
[ "$(stat_value oclient2 route-1 handshakes_resumed)" -ge 1 ] ||
	fail "the second OpenSSL session was not resumed"
[ "$(stat_value oclient2 route-1 up_dgrams)" = 12100 ] ||
	fail "up_dgrams is not 12100"
[ "$(stat_value oclient2 route-1 down_dgrams)" = 12100 ] ||
	fail "down_dgrams is not 12100"
ok "second source resumed; counters add up"
# the wolfSSL client of part 1 cannot: dropped and counted, nothing sent
if "$UDPTOOL" send 127.0.0.1 "$L1" 3 4000 4000 3 2 >"$T/send6.out" 2>&1; then
	fail "wolfSSL carried a 4000-byte datagram"
fi
stats wclient
[ "$(stat_value wclient route-1 down_dgrams)" = 10000 ] ||
	fail "a 4000-byte datagram came back through wolfSSL"
grep "stats route=route-1 " "$T/wclient.log" | tail -n 1 |
	grep -q "too_big=3" || fail "the wolfSSL client did not count too_big"
ok "wolfSSL here drops what it cannot carry, and counts it"

# --- 3. real clients against the OpenSSL server side ----------------------
out=$( (echo "hello openssl engine"; sleep 2) |
	timeout 10 openssl s_client -dtls1_2 -connect "127.0.0.1:$P1" \
		-quiet -no_ign_eof 2>"$T/s_client.err")
echo "$out" | grep -q "hello openssl engine" ||
	fail "no echo for s_client: '$out' $(tail -3 "$T/s_client.err")"
ok "openssl s_client -dtls1_2 got its echo"
seen=$(echo | timeout 10 openssl s_client -dtls1_2 -connect "127.0.0.1:$P1" \
	2>/dev/null | openssl x509 -noout -fingerprint -sha256 |
	sed 's/.*=/sha256:/')
[ "$seen" = "$(fp_of oserver)" ] ||
	fail "logged fingerprint $(fp_of oserver), served $seen"
ok "the OpenSSL engine serves the logged ephemeral certificate"

out=$( (echo "gnutls says hello"; sleep 2) |
	timeout 10 gnutls-cli --udp --insecure --port "$P1" 127.0.0.1 \
		2>"$T/gnutls.err")
echo "$out" | grep -q "gnutls says hello" ||
	fail "no echo for gnutls-cli: '$out' $(tail -5 "$T/gnutls.err")"
ok "gnutls-cli --udp got its echo"

# --- 4. mutual authentication with the test CA ----------------------------
P4=$(free_port)
gw mserver --engine openssl -l "dtls://127.0.0.1:$P4" \
	-f "udp://127.0.0.1:$E" \
	--cert "$C/server.pem" --key "$C/server.key" --ca "$C/ca.pem"
for engine in openssl wolfssl; do
	L=$(free_port)
	gw "mgood-$engine" --engine "$engine" -l "udp://127.0.0.1:$L" \
		-f "dtls://127.0.0.1:$P4" \
		--cert "$C/client.pem" --key "$C/client.key" --ca "$C/ca.pem"
	"$UDPTOOL" send 127.0.0.1 "$L" 50 8 500 8 10 >"$T/mgood.out" 2>&1 ||
		fail "$engine client from the CA: $(cat "$T/mgood.out")"
	ok "$engine client certificate from the CA accepted"
done
L=$(free_port)
gw mrogue --engine openssl -l "udp://127.0.0.1:$L" -f "dtls://127.0.0.1:$P4" \
	--cert "$C/rogue.pem" --key "$C/rogue.key" --ca "$C/ca.pem"
if "$UDPTOOL" send 127.0.0.1 "$L" 5 8 100 5 4 >"$T/mrogue.out" 2>&1; then
	fail "a certificate from another CA got through"
fi
wait_log "$T/mserver.log" "127.0.0.1:[0-9]+: DTLS handshake failed: certificate at depth" 5 ||
	fail "the OpenSSL server did not say why it refused the client"
ok "client certificate from another CA refused"
out=$( (echo "no cert"; sleep 1) | timeout 10 openssl s_client -dtls1_2 \
	-connect "127.0.0.1:$P4" -quiet -no_ign_eof 2>&1)
echo "$out" | grep -q "^no cert" &&
	fail "a client without certificate got an echo"
ok "client without a certificate refused"
L=$(free_port)
gw mdistrust --engine openssl -l "udp://127.0.0.1:$L" \
	-f "dtls://127.0.0.1:$P4" \
	--cert "$C/client.pem" --key "$C/client.key" --ca "$C/other-ca.pem"
if "$UDPTOOL" send 127.0.0.1 "$L" 5 8 100 5 4 >"$T/mdistrust.out" 2>&1; then
	fail "a server from an untrusted CA was accepted"
fi
wait_log "$T/mdistrust.log" \
	"forward DTLS handshake with 127.0.0.1:$P4 failed: certificate at depth" 5 ||
	fail "the OpenSSL client side did not log the refused server"
ok "server certificate from an untrusted CA refused"

# the host name: the server's certificate names localhost, not "client"
P5=$(free_port)
gw nserver --engine openssl -l "dtls://localhost:$P5" -f "udp://127.0.0.1:$E" \
	--cert "$C/server.pem" --key "$C/server.key"
P6=$(free_port)
gw nwrong --engine openssl -l "dtls://localhost:$P6" -f "udp://127.0.0.1:$E" \
	--cert "$C/client.pem" --key "$C/client.key"
L=$(free_port)
gw nclient --engine openssl -l "udp://127.0.0.1:$L" \
	-f "dtls://localhost:$P5" --ca "$C/ca.pem"
"$UDPTOOL" send 127.0.0.1 "$L" 20 8 500 8 10 >"$T/nclient.out" 2>&1 ||
	fail "server named localhost: $(cat "$T/nclient.out")"
L=$(free_port)
gw nclient2 --engine openssl -l "udp://127.0.0.1:$L" \
	-f "dtls://localhost:$P6" --ca "$C/ca.pem"
if "$UDPTOOL" send 127.0.0.1 "$L" 5 8 100 5 4 >"$T/nclient2.out" 2>&1; then
	fail "a certificate for another name was accepted"
fi
wait_log "$T/nclient2.log" "hostname mismatch" 5 ||
	fail "no 'hostname mismatch' in the log"
ok "host name checked against the certificate"

# SNI: s_server presents the certificate for localhost only to a client that
# asks for that name, another one otherwise (which the host name check
# refuses), so the handshake succeeds only if SNI was sent.  s_server serves
# one peer at a time: one for each engine.
for engine in openssl wolfssl; do
	S=$(free_port)
	mkfifo "$T/s_server-$engine.in"
	start "s_server-$engine" sh -c "exec openssl s_server -dtls1_2 \
		-accept localhost:$S -quiet \
		-cert $C/client.pem -key $C/client.key -servername localhost \
		-cert2 $C/server.pem -key2 $C/server.key \
		<'$T/s_server-$engine.in'"
	exec 7>"$T/s_server-$engine.in"
	sleep 0.5
	L=$(free_port)
	gw "sni-$engine" --engine "$engine" -l "udp://127.0.0.1:$L" \
		-f "dtls://localhost:$S" --ca "$C/ca.pem"
	echo "sni from $engine" >"$T/sni-$engine.in"
	start_in "sni-client-$engine" "$T/sni-$engine.in" \
		socat -t 5 - "UDP:127.0.0.1:$L"
	wait_log "$T/s_server-$engine.log" "sni from $engine" 10 ||
		fail "$engine: s_server did not get the datagram (no SNI?)"
	exec 7>&-
	ok "$engine sends SNI: s_server chose the certificate for localhost"
done

# --- 5. PSK across the engines --------------------------------------------
KEY=00112233445566778899aabbccddeeff
P7=$(free_port)
gw pserver --engine openssl -l "dtls://127.0.0.1:$P7" -f "udp://127.0.0.1:$E" \
	--psk-identity gw-test --psk "$KEY"
for engine in openssl wolfssl; do
	L=$(free_port)
	gw "pclient-$engine" --engine "$engine" -l "udp://127.0.0.1:$L" \
		-f "dtls://127.0.0.1:$P7" --psk-identity gw-test --psk "$KEY"
	"$UDPTOOL" send 127.0.0.1 "$L" 100 8 1000 8 10 >"$T/psk.out" 2>&1 ||
		fail "$engine client with the PSK: $(cat "$T/psk.out")"
	wait_log "$T/pclient-$engine.log" \
		"handshake done \(DTLSv1.2 [A-Z0-9-]*PSK" 2 ||
		fail "$engine client: not a PSK cipher suite"
	ok "$engine client with the PSK accepted"
done
L=$(free_port)
gw pbad --engine wolfssl -l "udp://127.0.0.1:$L" -f "dtls://127.0.0.1:$P7" \
	--psk-identity gw-test --psk ffeeddccbbaa99887766554433221100
if "$UDPTOOL" send 127.0.0.1 "$L" 5 8 100 5 4 >"$T/pbad.out" 2>&1; then
	fail "a wrong PSK got through"
fi
ok "wrong PSK refused"
grep -q "$KEY" "$T"/*.log && fail "the PSK appears in a log"
ok "the PSK never reaches a log"
