#!/bin/sh
# SIGHUP reloads certificates and keys: the server's certificate file gets
# new content under the same path; after SIGHUP an established session
# keeps working (no new handshake) and a new client sees the new
# certificate's fingerprint.  A file that no longer loads is refused and
# nothing changes.
. "$(dirname "$0")/lib.sh"
certs

P=$(free_port)
E=$(free_port)
L=$(free_port)
echo_server "$E"
cp "$C/server.pem" "$T/live.pem"
cp "$C/server.key" "$T/live.key"
cat >"$T/server.conf" <<CONF
cert = $T/live.pem
key = $T/live.key
[main]
listen = dtls://127.0.0.1:$P
forward = udp://127.0.0.1:$E
CONF
gw server -c "$T/server.conf"
gw client -l "udp://127.0.0.1:$L" -f "dtls://127.0.0.1:$P" --ca "$C/ca.pem"

# fingerprint_seen: the SHA-256 of the certificate a new client gets
fingerprint_seen() {
	echo | timeout 10 openssl s_client -dtls1_2 -connect "127.0.0.1:$P" \
		2>/dev/null | openssl x509 -noout -fingerprint -sha256 |
		sed 's/.*=//; s/://g; s/^/sha256:/'
}

SRC=$(free_port)
"$UDPTOOL" send 127.0.0.1 "$L" 100 8 1200 8 10 "$SRC" >"$T/1.out" 2>&1 ||
	fail "before: $(cat "$T/1.out")"
[ "$(fingerprint_seen)" = "$(cat "$C/server.fp")" ] ||
	fail "before the rotation a client sees $(fingerprint_seen)"
stats server
h1=$(stat_value server main handshakes_ok)

# rotate: new content, same paths
cp "$C/server2.pem" "$T/live.pem"
cp "$C/server2.key" "$T/live.key"
kill -HUP "$PID_server"
wait_log "$T/server.log" "reloaded: 1 routes kept, 0 started" 5 ||
	fail "no reload"
grep -q "route main: new certificate" "$T/server.log" ||
	fail "no line for the new certificate"
"$UDPTOOL" send 127.0.0.1 "$L" 100 8 1200 8 10 "$SRC" >"$T/2.out" 2>&1 ||
	fail "the session after the rotation: $(cat "$T/2.out")"
stats server
[ "$(stat_value server main handshakes_ok)" = "$h1" ] ||
	fail "the session did not survive the rotation (a new handshake)"
seen=$(fingerprint_seen)
[ "$seen" = "$(cat "$C/server2.fp")" ] ||
	fail "a new client sees $seen, not the new $(cat "$C/server2.fp")"
ok "rotated: the session kept going, a new client sees the new certificate"

# a certificate file that does not load: refused, nothing changes
echo "not a certificate" >"$T/live.pem"
kill -HUP "$PID_server"
wait_log "$T/server.log" "reload refused.*cert $T/live.pem" 5 ||
	fail "a broken certificate file was taken"
[ "$(fingerprint_seen)" = "$(cat "$C/server2.fp")" ] ||
	fail "the refused reload changed the certificate"
"$UDPTOOL" send 127.0.0.1 "$L" 50 8 1200 8 10 "$SRC" >"$T/3.out" 2>&1 ||
	fail "after the refused reload: $(cat "$T/3.out")"
ok "a broken certificate file is refused, the running one stays"
