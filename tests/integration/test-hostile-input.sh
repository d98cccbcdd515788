#!/bin/sh
# Garbage, truncated records, records that do not authenticate and stray
# ClientHellos on the DTLS port, from strangers and forged from the very
# address of an established session: each is dropped and counted, and the
# session carries on.  Needs root (raw sockets).
. "$(dirname "$0")/lib.sh"

L=$(free_port)
P=$(free_port)
E=$(free_port)
echo_server "$E"
gw server -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$E"
gw client -l "udp://127.0.0.1:$L" -f "dtls://127.0.0.1:$P"

SRC=$(free_port)
"$UDPTOOL" send 127.0.0.1 "$L" 200 8 1200 16 20 "$SRC" >"$T/before.out" 2>&1 ||
	fail "before: $(cat "$T/before.out")"

# the client side's DTLS flow: the server's peer for that session
peer=$(grep -Eo '127\.0\.0\.1:[0-9]+: DTLS handshake done' "$T/server.log" |
	head -n 1 | cut -d: -f2)
[ -n "$peer" ] || fail "cannot find the session's peer port"

for kind in garbage truncated badmac hello; do
	# from the established peer's own address ...
	"$UDPTOOL" inject 127.0.0.1 "$peer" 127.0.0.1 "$P" "$kind" 50 \
		>/dev/null || fail "inject $kind"
	# ... and from a stranger
	"$UDPTOOL" inject 127.0.0.1 40999 127.0.0.1 "$P" "$kind" 50 \
		>/dev/null || fail "inject $kind"
done

"$UDPTOOL" send 127.0.0.1 "$L" 2000 8 1200 32 30 "$SRC" >"$T/after.out" 2>&1 ||
	fail "after the attack: $(cat "$T/after.out")"
ok "the session carried on: $(cat "$T/after.out")"

stats server
[ "$(stat_value server route-1 handshakes_ok)" = 1 ] ||
	fail "the established session was replaced"
[ "$(stat_value server route-1 sessions)" = 1 ] ||
	fail "the strangers got sessions"
for c in not_dtls truncated_record; do
	v=$(stat_value server route-1 "$c")
	[ "${v:-0}" -ge 100 ] || fail "drop counter $c is ${v:-0}, not >= 100"
done
# every cookieless ClientHello, the stranger's and the forged ones, got a
# HelloVerifyRequest and nothing else
[ "$(stat_value server route-1 hello_verify_sent)" -ge 100 ] ||
	fail "the ClientHellos were not answered with a cookie"
v=$(stat_value server route-1 no_session)
[ "${v:-0}" -ge 50 ] || fail "records from a stranger not counted"
kill -0 "$PID_server" || fail "the server died"
ok "hostile datagrams dropped and counted"
