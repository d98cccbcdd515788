#!/bin/sh
# Session log lines: one "session opened" and one "session closed" per
# session, naming route and peer, the cipher on a DTLS side, the datagrams
# and bytes each way; and a dropped datagram's debug line names its sender.
. "$(dirname "$0")/lib.sh"

command -v socat >/dev/null || fail "socat is not installed"

P=$(free_port)
E=$(free_port)
L=$(free_port)
SRC=$(free_port)
echo_server "$E"
# the client side times out first; its close_notify ends the server's
# session (equal timeouts would race: either side could close first)
gw server -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$E" --idle-timeout 30
gw client -l "udp://127.0.0.1:$L" -f "dtls://127.0.0.1:$P" --idle-timeout 2

"$UDPTOOL" send 127.0.0.1 "$L" 50 8 1200 8 10 "$SRC" >"$T/send.out" 2>&1 ||
	fail "send: $(cat "$T/send.out")"
stats client
bytes=$(stat_value client route-1 up_bytes)
[ "${bytes:-0}" -gt 0 ] || fail "no bytes counted"

wait_log "$T/client.log" "127\.0\.0\.1:$SRC: session closed \(idle timeout\)" 10 ||
	fail "the client side's session did not close"
wait_log "$T/server.log" "session closed \(close_notify from the peer\)" 10 ||
	fail "the server side's session did not close"

grep -Eq "route route-1: 127\.0\.0\.1:$SRC: session opened \(cleartext\)$" \
	"$T/client.log" || fail "no opened line on the client side"
line=$(grep "127.0.0.1:$SRC: session closed" "$T/client.log")
echo "$line" | grep -Eq "after [0-9]+ s, 50 datagrams up, 50 down, $bytes bytes up, $bytes down, forward cipher DTLSv1\.2 [A-Z0-9-]+" ||
	fail "client closed line: $line"
grep -Eq "route route-1: 127\.0\.0\.1:[0-9]+: session opened \(DTLS\), cipher DTLSv1\.2 " \
	"$T/server.log" || fail "no opened line on the server side"
line=$(grep "session closed" "$T/server.log")
echo "$line" | grep -Eq "50 datagrams up, 50 down, $bytes bytes up, $bytes down, cipher DTLSv1\.2 " ||
	fail "server closed line: $line"
[ "$(count_log "$T/server.log" 'session opened')" = 1 ] ||
	fail "not one opened line"
ok "opened and closed lines with cipher, datagrams and bytes"

# a drop, at debug, with the sender's address
D=$(free_port)
printf 'not DTLS' | socat -u - "UDP:127.0.0.1:$P,sourceport=$D"
wait_log "$T/server.log" "route route-1: 127\.0\.0\.1:$D: dropped \(not_dtls\)" 5 ||
	fail "no drop line naming the sender"
ok "drops logged with the sender's address"
