#!/bin/sh
# DNS over DTLS (RFC 8094) end to end: dig -> dtlsgw client side (udp ->
# dtls, -p dns) -> dtlsgw server side (dtls -> udp) -> dnsmasq,
# authoritative for test.example on a free port.  The answers are those
# of a direct dig; the response comes back padded to 468 bytes (RFC 8467),
# the query went padded to a multiple of 128 (seen by a sink); a TXT
# answer larger than a DTLS record within the path MTU comes back as a
# truncated answer with TC set (dig +ignore), while a direct dig gets it
# whole; a datagram that is not DNS, and a response sent as a query, are
# dropped and counted.
. "$(dirname "$0")/lib.sh"

command -v dnsmasq >/dev/null || fail "dnsmasq is not installed"
command -v dig >/dev/null || fail "dig (bind9-dnsutils) is not installed"

# eight 250-byte strings: a TXT answer of about 2 kB
big=""
for c in a b c d e f g h; do
	big="$big,$(head -c 250 /dev/zero | tr '\0' "$c")"
done
D=$(free_port)
start dnsmasq dnsmasq --no-daemon --conf-file=/dev/null --no-resolv \
	--no-hosts --port="$D" --listen-address=127.0.0.1 --bind-interfaces \
	--pid-file="$T/dnsmasq.pid" --user=root --log-queries --edns-packet-max=4096 \
	--log-facility=- --local=/test.example/ \
	--host-record=www.test.example,10.1.2.3 \
	--txt-record=small.test.example,"hello over dtls" \
	--txt-record="big.test.example$big"
# dig_q NAME ARGS...: dig bounded in time, its output in $T/NAME.out
dig_q() {
	_n=$1
	shift
	timeout 10 dig +tries=1 +time=3 "$@" >"$T/$_n.out" 2>&1
}
for i in 1 2 3 4 5 6 7 8 9 10; do
	dig_q probe @127.0.0.1 -p "$D" www.test.example A &&
		grep -q 'status: NOERROR' "$T/probe.out" && break
	[ "$i" = 10 ] && fail "dnsmasq does not answer: $(cat "$T/probe.out")"
	sleep 0.3
done

P=$(free_port)
gw server -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$D" -p dns
fp=$(grep -Eo 'fingerprint sha256:[0-9A-F:]+' "$T/server.log" | head -n 1 |
	sed 's/fingerprint //')
L=$(free_port)
gw client -l "udp://127.0.0.1:$L" -f "dtls://127.0.0.1:$P" -p dns \
	--peer-fingerprint "$fp"

for q in "www.test.example A" "small.test.example TXT" \
	"nothing.test.example A"; do
	# shellcheck disable=SC2086
	dig_q direct @127.0.0.1 -p "$D" +noall +answer +comments $q ||
		fail "direct dig $q"
	# shellcheck disable=SC2086
	dig_q via @127.0.0.1 -p "$L" +noall +answer +comments $q ||
		fail "dig $q through the gateways: $(cat "$T/via.out")"
	for o in direct via; do
		grep -E 'status:|IN' "$T/$o.out" | sed 's/, id: [0-9]*//' \
			>"$T/$o.cmp"
	done
	cmp -s "$T/direct.cmp" "$T/via.cmp" ||
		fail "$q: $(diff "$T/direct.cmp" "$T/via.cmp")"
done
dig_q a @127.0.0.1 -p "$L" +short www.test.example A
[ "$(cat "$T/a.out")" = "10.1.2.3" ] || fail "A: $(cat "$T/a.out")"
ok "dig through both gateways gets what a direct dig gets (A, TXT, NXDOMAIN)"

dig_q pad @127.0.0.1 -p "$L" small.test.example TXT
grep -q "MSG SIZE  rcvd: 468" "$T/pad.out" ||
	fail "the response is not padded to 468: $(cat "$T/pad.out")"
grep -q "PAD: (" "$T/pad.out" || fail "no Padding option: $(cat "$T/pad.out")"
ok "the response came padded to 468 bytes (RFC 8467)"

dig_q bigdirect @127.0.0.1 -p "$D" +bufsize=4096 +ignore big.test.example TXT
grep -Eq "flags: qr aa rd( ra)?;" "$T/bigdirect.out" &&
	grep -q "hhhhh" "$T/bigdirect.out" ||
	fail "the direct big answer: $(cat "$T/bigdirect.out")"
dig_q big @127.0.0.1 -p "$L" +bufsize=4096 +ignore big.test.example TXT
grep -Eq "flags: qr aa tc rd( ra)?;" "$T/big.out" ||
	fail "no TC answer: $(cat "$T/big.out")"
grep -q "ANSWER: 0," "$T/big.out" || fail "the TC answer has answers"
grep -q "big.test.example.*IN.*TXT" "$T/big.out" ||
	fail "the TC answer lost its question"
stats server
[ "$(stat_value server route-1 dns_truncated)" = 1 ] ||
	fail "the truncation was not counted"
ok "a 2 kB TXT answer comes back truncated with TC set (a direct dig gets it whole)"

# not DNS, and a response where a query belongs: dropped, counted
printf 'not a dns message' | socat -u - "UDP4-SENDTO:127.0.0.1:$L" ||
	fail "socat"
printf '\000\001\200\000\000\001\000\000\000\000\000\000\003www\004test\007example\000\000\001\000\001' |
	socat -u - "UDP4-SENDTO:127.0.0.1:$L" || fail "socat"
sleep 0.5
stats client
[ "$(stat_value client route-1 dns_bad_name)" = 1 ] ||
	fail "the garbage was not counted: $(grep 'stats route' "$T/client.log" | tail -n 1)"
[ "$(stat_value client route-1 dns_direction)" = 1 ] ||
	fail "the response sent as a query was not counted"
ok "a datagram that is not DNS and a response sent as a query: dropped, counted"

# the query as it leaves the server side: padded to a multiple of 128
sink_through dns
dig_q none @127.0.0.1 -p "$SINK_PORT" +time=1 www.test.example A
wait_log "$T/dump.log" '^[0-9a-f]{20,}$' 5 || fail "no query reached the sink"
hexq=$(grep -E '^[0-9a-f]{20,}$' "$T/dump.log" | head -n 1)
[ $(( ${#hexq} / 2 % 128 )) = 0 ] ||
	fail "the query is $(( ${#hexq} / 2 )) bytes, not a multiple of 128"
echo "$hexq" | grep -q "000c" || fail "no Padding option in the query"
ok "the query went padded to $(( ${#hexq} / 2 )) bytes"
