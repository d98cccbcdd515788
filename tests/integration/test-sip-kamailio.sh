#!/bin/sh
# SIP over DTLS end to end: sipsak -> dtlsgw client side (udp -> dtls,
# -p sip) -> dtlsgw server side (dtls -> udp, -p sip) -> kamailio.  An
# OPTIONS is answered; a REGISTER is kept by kamailio's registrar and the
# binding read back; two clients at once each get their own answers, by
# rport to the gateway's socket of each (sipsak names 192.0.2.1 in its
# Via, an address nothing answers on, so an answer can only come back
# through the gateways).  Malformed messages are dropped and counted by
# reason; bytes past Content-Length are cut off (RFC 3261 18.3).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sip.sh"

command -v socat >/dev/null || fail "socat is not installed"

K=$(free_port)
start_kamailio "$K"

P=$(free_port)
gw server -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$K" -p sip
fp=$(grep -Eo 'fingerprint sha256:[0-9A-F:]+' "$T/server.log" | head -n 1 |
	sed 's/fingerprint //')
L=$(free_port)
gw client -l "udp://127.0.0.1:$L" -f "dtls://127.0.0.1:$P" -p sip \
	--peer-fingerprint "$fp"

C1=$(free_port)
sipsak_run options -l "$C1" -s "sip:127.0.0.1:$L" ||
	fail "OPTIONS through the gateways: $(cat "$T/options.out")"
grep -q "^SIP/2.0 200 OK" "$T/options.out" ||
	fail "no 200 OK: $(cat "$T/options.out")"
# kamailio saw the server side's socket, not sipsak (nor the client side)
src=$(grep -Eo "got OPTIONS [^ ]+ from 127.0.0.1:[0-9]+" \
	"$T/kamailio.log" | tail -n 1 | sed 's/.*://')
[ -n "$src" ] || fail "kamailio did not log the OPTIONS"
[ "$src" != "$C1" ] && [ "$src" != "$L" ] ||
	fail "kamailio saw the client's port $src, not the gateway's"
ok "OPTIONS answered 200 through both gateways (kamailio saw 127.0.0.1:$src)"

C2=$(free_port)
sipsak_run register -l "$C2" -v -U -i -C sip:alice@192.0.2.1 -x 300 \
	-s "sip:alice@127.0.0.1:$L" ||
	fail "REGISTER: $(cat "$T/register.out")"
grep -q "^SIP/2.0 200 OK" "$T/register.out" ||
	fail "REGISTER not answered 200: $(cat "$T/register.out")"
grep -q "^Contact: <sip:alice@192.0.2.1>;expires=300" "$T/register.out" ||
	fail "the 200 lists no binding: $(cat "$T/register.out")"
grep -q "got REGISTER" "$T/kamailio.log" || fail "kamailio saw no REGISTER"
sipsak_run lookup -l "$C2" -s "sip:alice@127.0.0.1:$L" ||
	fail "the binding: $(cat "$T/lookup.out")"
grep -q "^SIP/2.0 200 Bound sip:alice@192.0.2.1" "$T/lookup.out" ||
	fail "alice is not bound: $(cat "$T/lookup.out")"
ok "REGISTER kept by kamailio's registrar, the binding read back"

# two clients at once: each gets its own answers
C3=$(free_port) C4=$(free_port)
sipsak_run one -l "$C3" -s "sip:127.0.0.1:$L" &
one=$!
sipsak_run two -l "$C4" -s "sip:alice@127.0.0.1:$L" &
two=$!
wait "$one" || fail "client one: $(cat "$T/one.out")"
wait "$two" || fail "client two: $(cat "$T/two.out")"
grep -q "^SIP/2.0 200 OK" "$T/one.out" || fail "client one: $(cat "$T/one.out")"
grep -q "^SIP/2.0 200 Bound" "$T/two.out" || fail "client two: $(cat "$T/two.out")"
ports=$(grep -Eo "from 127.0.0.1:[0-9]+" "$T/kamailio.log" | sort -u | wc -l)
# the direct probe, and the gateway's socket for each of C1 C2 C3 C4
[ "$ports" -ge 5 ] || fail "kamailio saw $ports sources, not one per client"
ok "two clients at once, each answered on its own socket"

# malformed: each dropped on the client side before DTLS, by reason
msg() {	# CALLID CONTENT-LENGTH [BODY]
	printf 'OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK%s\r\nFrom: <sip:x@192.0.2.1>;tag=1\r\nTo: <sip:127.0.0.1>\r\nCall-ID: %s\r\nCSeq: 1 OPTIONS\r\nContent-Length: %s\r\n\r\n%s' \
		"$1" "$1" "$2" "${3:-}"
}
send() {
	socat -u - "UDP4-SENDTO:127.0.0.1:$L" || fail "socat"
}
msg short 10 abc | send
printf 'hello world\r\n\r\n' | send
printf 'OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1\r\nCSeq: 1 OPTIONS\r\n\r\n' | send
printf 'OPTIONS sip:127.0.0.1 SIP/2.0\nVia: x\n\n' | send
sleep 0.5
stats client
for r in body_short start_line missing_header line_end; do
	[ "$(stat_value client route-1 "sip_$r")" = 1 ] ||
		fail "sip_$r not counted once: $(grep 'stats route' "$T/client.log" | tail -n 1)"
done
[ "$(stat_value client route-1 adapter)" = 4 ] ||
	fail "the adapter drops are not 4"
grep -q "got OPTIONS sip:127.0.0.1 from" "$T/kamailio.log" &&
	fail "kamailio got a malformed message"
ok "malformed messages dropped and counted (body_short, start_line, missing_header, line_end)"

# bytes past Content-Length are cut off: what the server side forwards
sink_through sip
L=$SINK_PORT
msg trim 3 'abcEXTRA' | send
want=$(msg trim 3 abc | od -An -tx1 -v | tr -d ' \n')
wait_log "$T/dump.log" "^$want\$" 10 ||
	fail "not cut at Content-Length: $(tail -n 1 "$T/dump.log"), want $want"
ok "bytes past Content-Length cut off"
