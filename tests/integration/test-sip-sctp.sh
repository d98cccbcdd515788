#!/bin/sh
# SIP over DTLS over SCTP (5061/sctp, RFC 6083, in UDP encapsulation)
# between two dtlsgw, kamailio behind on UDP (this kernel has no SCTP, so
# kamailio cannot listen on 5060/sctp itself): sipsak -> client side (udp
# -> dtls+sctp, -p sip) -> server side (dtls+sctp -> udp) -> kamailio.  One
# SIP message per SCTP user message; a malformed one dropped and counted.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sip.sh"

K=$(free_port)
start_kamailio "$K"
S=$(free_port) U=$(free_port)
gw server -l "dtls+sctp://127.0.0.1:$S?encap-port=$U" -f "udp://127.0.0.1:$K" \
	-p sip
L=$(free_port)
gw client -l "udp://127.0.0.1:$L" \
	-f "dtls+sctp://127.0.0.1:$S?encap-port=$U" -p sip

C=$(free_port)
sipsak_run options -l "$C" -s "sip:127.0.0.1:$L" ||
	fail "OPTIONS over DTLS/SCTP: $(cat "$T/options.out")"
grep -q "^SIP/2.0 200 OK" "$T/options.out" ||
	fail "no 200 OK: $(cat "$T/options.out")"
sipsak_run register -l "$C" -v -U -i -C sip:bob@192.0.2.1 -x 300 \
	-s "sip:bob@127.0.0.1:$L" || fail "REGISTER: $(cat "$T/register.out")"
grep -q "^Contact: <sip:bob@192.0.2.1>;expires=300" "$T/register.out" ||
	fail "REGISTER: $(cat "$T/register.out")"
ok "OPTIONS and REGISTER answered over DTLS/SCTP"

printf 'INVITE sip:x SIP/2.0\r\nVia: a\r\n' |
	socat -u - "UDP4-SENDTO:127.0.0.1:$L" || fail "socat"
sleep 0.5
stats client
stats server
[ "$(stat_value client route-1 sip_no_end_of_headers)" = 1 ] ||
	fail "the cut message was not counted"
[ "$(stat_value server route-1 up_dgrams)" = 2 ] ||
	fail "the server side did not pass exactly the two requests"
[ "$(stat_value server route-1 down_dgrams)" = 2 ] ||
	fail "the server side did not pass exactly the two answers"
ok "a cut message dropped and counted; one message per SCTP user message"
