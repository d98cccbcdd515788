#!/bin/sh
# SIGHUP: an unchanged route keeps its sessions (no new handshake), a new
# route starts, a removed one stops; a broken file changes nothing.
. "$(dirname "$0")/lib.sh"

L=$(free_port)
P=$(free_port)
P2=$(free_port)
E=$(free_port)
echo_server "$E"
cat >"$T/server.conf" <<CONF
log-level = debug
[main]
listen = dtls://127.0.0.1:$P
forward = udp://127.0.0.1:$E
CONF
gw server -c "$T/server.conf"
gw client -l "udp://127.0.0.1:$L" -f "dtls://127.0.0.1:$P"
# one cleartext source throughout: one session on each side
SRC=$(free_port)
"$UDPTOOL" send 127.0.0.1 "$L" 100 8 1200 8 10 "$SRC" >"$T/1.out" 2>&1 ||
	fail "before: $(cat "$T/1.out")"

# add a route and reload
cat >>"$T/server.conf" <<CONF
[extra]
listen = dtls://127.0.0.1:$P2
forward = udp://127.0.0.1:$E
CONF
kill -HUP "$PID_server"
wait_log "$T/server.log" "reloaded: 1 routes kept, 1 started, 0 stopped" 5 ||
	fail "no reload line"
"$UDPTOOL" send 127.0.0.1 "$L" 100 8 1200 8 10 "$SRC" >"$T/2.out" 2>&1 ||
	fail "after reload: $(cat "$T/2.out")"
stats server
[ "$(stat_value server main handshakes_ok)" = 1 ] ||
	fail "the session did not survive the reload"
[ "$(stat_value server main up_dgrams)" = 200 ] ||
	fail "the route lost its counters"
out=$( (echo "new route"; sleep 1) | timeout 10 openssl s_client -dtls1_2 \
	-connect "127.0.0.1:$P2" -quiet -no_ign_eof 2>/dev/null)
echo "$out" | grep -q "new route" || fail "the added route does not work"
ok "SIGHUP kept the session and started the new route"

# a broken file: refused, the old configuration keeps running
echo "this is not ini" >>"$T/server.conf"
kill -HUP "$PID_server"
wait_log "$T/server.log" "reload refused" 5 || fail "a broken file was taken"
"$UDPTOOL" send 127.0.0.1 "$L" 50 8 1200 8 10 "$SRC" >"$T/3.out" 2>&1 ||
	fail "after a refused reload: $(cat "$T/3.out")"
ok "a broken file is refused and nothing changes"
