#!/bin/sh
# Metrics: a server side on two workers with --metrics; after traffic from
# four peers the scrape's counters are the sums over both workers (what
# udptool sent, the handshakes, a drop), promtool accepts the exposition,
# other paths and methods get 404 and 405, and malformed, huge and idle
# connections cost the gateway nothing: it serves the scrape and the
# datagrams afterwards.
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null || fail "curl is not installed"
command -v socat >/dev/null || fail "socat is not installed"

P=$(free_port)
E=$(free_port)
L=$(free_port)
M=$(free_tcp_port)
echo_server "$E"
gw server -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$E" --workers 2 \
	--metrics "127.0.0.1:$M"
gw client -l "udp://127.0.0.1:$L" -f "dtls://127.0.0.1:$P"
grep -q "metrics: serving http://127.0.0.1:$M/metrics" "$T/server.log" ||
	fail "no metrics line"

scrape() {	# OUT: GET /metrics into $T/OUT
	curl -sS --max-time 10 -o "$T/$1" -w '%{http_code}' \
		"http://127.0.0.1:$M/metrics" >"$T/$1.code" 2>"$T/$1.err" ||
		fail "scrape $1: $(cat "$T/$1.err")"
	[ "$(cat "$T/$1.code")" = 200 ] || fail "scrape $1: $(cat "$T/$1.code")"
}

# metric OUT NAME{LABELS}: its value in the scrape, exactly one sample
metric() {
	_v=$(grep -v "^#" "$T/$1" | grep -F "$2 " | awk '{ print $2 }')
	[ "$(printf '%s\n' "$_v" | grep -c .)" = 1 ] ||
		fail "$2: not exactly one sample: '$_v'"
	echo "$_v"
}

pids=""
for i in 1 2 3 4; do
	"$UDPTOOL" send 127.0.0.1 "$L" 250 8 1200 8 20 >"$T/send-$i.out" 2>&1 &
	pids="$pids $!"
done
for p in $pids; do
	wait "$p" || fail "a peer lost datagrams"
done
printf 'not DTLS' | socat -u - "UDP:127.0.0.1:$P"
sleep 0.5

scrape m1
R='route="route-1"'
[ "$(metric m1 "dtlsgw_datagrams_total{$R,direction=\"up\"}")" = 1000 ] ||
	fail "datagrams up is not 1000"
[ "$(metric m1 "dtlsgw_datagrams_total{$R,direction=\"down\"}")" = 1000 ] ||
	fail "datagrams down is not 1000"
# four handshakes, full or resumed: the client side resumes the first
# one's session for the peers that come after it has finished
full=$(metric m1 "dtlsgw_handshakes_total{$R,result=\"ok\"}")
resumed=$(metric m1 "dtlsgw_handshakes_total{$R,result=\"resumed\"}")
[ "$full" -ge 1 ] && [ $((full + resumed)) = 4 ] ||
	fail "handshakes: $full full and $resumed resumed, not 4 with one full"

[ "$(metric m1 "dtlsgw_handshakes_total{$R,result=\"failed\"}")" = 0 ] ||
	fail "a handshake failed"
[ "$(metric m1 "dtlsgw_sessions{$R}")" = 4 ] || fail "sessions is not 4"
[ "$(metric m1 "dtlsgw_handshake_duration_seconds_count{$R}")" = 4 ] ||
	fail "the latency histogram did not count 4 handshakes"
[ "$(metric m1 "dtlsgw_handshake_duration_seconds_bucket{$R,le=\"+Inf\"}")" = 4 ] ||
	fail "the histogram's +Inf bucket is not 4"
[ "$(metric m1 "dtlsgw_hello_verify_sent_total{$R}")" -ge 4 ] ||
	fail "fewer than 4 HelloVerifyRequests"
[ "$(metric m1 "dtlsgw_drops_total{$R,reason=\"not_dtls\"}")" = 1 ] ||
	fail "the stray datagram was not counted"
# the bytes are what the peers sent: the server's SIGUSR1 line agrees
stats server
[ "$(metric m1 "dtlsgw_bytes_total{$R,direction=\"up\"}")" = \
	"$(stat_value server route-1 up_bytes)" ] || fail "bytes up differ"
# both workers took peers and their counters were summed
w=$(grep "stats route=route-1 " "$T/server.log" | tail -n 1 |
	grep -Eo 'sessions_per_worker=[0-9,]+')
ok "counters summed over the workers ($w)"

if command -v promtool >/dev/null; then
	promtool check metrics <"$T/m1" >"$T/promtool.out" 2>&1 ||
		fail "promtool: $(cat "$T/promtool.out")"
	ok "promtool check metrics passes"
else
	echo "promtool not installed (Debian: prometheus): format not checked"
fi

code() {	# METHOD PATH: the status code
	curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -X "$1" \
		"http://127.0.0.1:$M$2"
}
[ "$(code GET /)" = 404 ] || fail "GET / is not 404"
[ "$(code GET /metricsx)" = 404 ] || fail "GET /metricsx is not 404"
[ "$(code POST /metrics)" = 405 ] || fail "POST is not 405"
[ "$(code GET '/metrics?x=1')" = 200 ] || fail "a query string is not ignored"
out=$(printf 'GARBAGE\r\n\r\n' | socat -t 5 - "TCP:127.0.0.1:$M")
case "$out" in
"HTTP/1.1 400 "*) ;;
*) fail "garbage request: '$out'" ;;
esac
# a head that never ends: 431 (or a reset or broken pipe: the gateway
# closes while the client still writes), and
# the gateway carries on
head -c 100000 /dev/zero | tr '\0' 'A' |
	socat -t 5 - "TCP:127.0.0.1:$M" >"$T/huge.out" 2>&1
grep -qiE "431|reset|broken pipe" "$T/huge.out" ||
	fail "huge request: $(head -c 200 "$T/huge.out")"
ok "404, 405, 400 and 431 as they should"

# ten idle connections take every slot: they are closed after the read
# timeout, and the next scrape works
idle=""
for i in 1 2 3 4 5 6 7 8 9 10; do
	sleep 12 | socat -t 12 - "TCP:127.0.0.1:$M" >/dev/null 2>&1 &
	idle="$idle $!"
done
sleep 0.5
# meanwhile the data path is the loop's as ever
"$UDPTOOL" send 127.0.0.1 "$L" 200 8 1200 8 10 >"$T/during.out" 2>&1 ||
	fail "datagrams during the idle connections: $(cat "$T/during.out")"
# every slot is held: the scrape waits for the first timeouts (5 s)
scrape m2
[ "$(metric m2 "dtlsgw_metrics_timeouts_total")" -ge 1 ] ||
	fail "the idle connections were not timed out"
for p in $idle; do
	kill "$p" 2>/dev/null
done
[ "$(metric m2 "dtlsgw_datagrams_total{$R,direction=\"up\"}")" = 1200 ] ||
	fail "datagrams up is not 1200"
kill -0 "$PID_server" || fail "the server died"
ok "idle connections timed out, scrape and datagrams served"

# SIGHUP moves the metrics: a new address is bound before the reload
# takes effect, the old one closed; an address that cannot be bound
# refuses the reload and the metrics stay where they were; no metrics key,
# no metrics
M1=$(free_tcp_port)
M2=$(free_tcp_port)
M3=$(free_tcp_port)
P3=$(free_port)
conf() {	# METRICS-LINE
	cat >"$T/moved.conf" <<CONF
$1
[main]
listen = dtls://127.0.0.1:$P3
forward = udp://127.0.0.1:$E
CONF
}
serves() {	# PORT: /metrics answers 200 there
	[ "$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' \
		"http://127.0.0.1:$1/metrics" 2>/dev/null)" = 200 ]
}
hup() {		# the Nth "reloaded" or "reload refused" line
	_n=$(($(count_log "$T/moved.log" "reloaded:|reload refused") + 1))
	kill -HUP "$PID_moved"
	for _ in $(seq 50); do
		[ "$(count_log "$T/moved.log" "reloaded:|reload refused")" -ge "$_n" ] &&
			return 0
		sleep 0.1
	done
	fail "no answer to SIGHUP"
}
conf "metrics = 127.0.0.1:$M1"
gw moved -c "$T/moved.conf"
serves "$M1" || fail "metrics not served on $M1"
conf "metrics = 127.0.0.1:$M2"
hup
serves "$M2" || fail "after a reload, metrics not served on the new $M2"
serves "$M1" && fail "after a reload, metrics still served on the old $M1"
socat "TCP-LISTEN:$M3,bind=127.0.0.1,reuseaddr" /dev/null &
held=$!
PIDS="$PIDS $held"
sleep 0.3
conf "metrics = 127.0.0.1:$M3"
hup
grep -q "reload refused.*metrics: cannot listen on 127.0.0.1:$M3" \
	"$T/moved.log" || fail "a metrics address in use did not refuse the reload"
serves "$M2" || fail "a refused reload moved the metrics"
kill "$held"
conf ""
hup
grep -q "metrics: no longer served" "$T/moved.log" ||
	fail "no line for the metrics going away"
serves "$M2" && fail "metrics still served with no metrics key"
kill -0 "$PID_moved" || fail "the gateway died"
ok "SIGHUP moves the metrics address, refuses one in use, and takes it away"
