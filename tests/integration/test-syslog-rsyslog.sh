#!/bin/sh
# syslog over DTLS (RFC 6012) end to end: logger -> dtlsgw client side
# (udp -> dtls, -p syslog) -> dtlsgw server side (dtls -> udp) -> rsyslog
# (imudp on a free port, %rawmsg% into a file): every message arrives
# byte for byte as logger printed it (-s), RFC 5424 and RFC 3164 forms, a
# long one, thirty from one sender.  Against standard peers: openssl
# s_server sees what the client side sends framed "MSG-LEN SP SYSLOG-MSG";
# openssl s_client's record of two frames reaches rsyslog as two messages.
# A record that is not framed is dropped and counted.
. "$(dirname "$0")/lib.sh"
certs

command -v rsyslogd >/dev/null || fail "rsyslog is not installed"
command -v logger >/dev/null || fail "logger (bsdutils) is not installed"

R=$(free_port)
mkdir -p "$T/rsyslog"
cat >"$T/rsyslog.conf" <<EOC
global(workDirectory="$T/rsyslog" maxMessageSize="8k")
module(load="imudp")
input(type="imudp" address="127.0.0.1" port="$R")
template(name="raw" type="string" string="%rawmsg%\n")
*.* action(type="omfile" file="$T/received.txt" template="raw")
EOC
start rsyslog rsyslogd -n -f "$T/rsyslog.conf" -i "$T/rsyslog/rsyslogd.pid"
# up when a message sent straight to it lands in the file
for i in 1 2 3 4 5 6 7 8 9 10; do
	logger -d -n 127.0.0.1 -P "$R" "rsyslog probe $i"
	grep -q "rsyslog probe" "$T/received.txt" 2>/dev/null && break
	[ "$i" = 10 ] && fail "rsyslog does not write what it gets"
	sleep 0.5
done

P=$(free_port)
gw server -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$R" -p syslog \
	--cert "$C/server.pem" --key "$C/server.key"
L=$(free_port)
gw client -l "udp://127.0.0.1:$L" -f "dtls://127.0.0.1:$P" -p syslog \
	--ca "$C/ca.pem"

# arrived TAG COUNT: wait until COUNT lines with TAG are in the file
arrived() {
	_n=50
	while [ "$_n" -gt 0 ]; do
		[ "$(grep -c "$1" "$T/received.txt")" -ge "$2" ] && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

# same FILE TAG: the lines with TAG in FILE are those rsyslog wrote
same() {
	grep "$2" "$1" >"$T/sent.cmp"
	grep "$2" "$T/received.txt" >"$T/got.cmp"
	cmp -s "$T/sent.cmp" "$T/got.cmp" ||
		fail "$2: sent and received differ: $(diff "$T/sent.cmp" "$T/got.cmp" | head -n 6)"
}

logger -d -n 127.0.0.1 -P "$L" --rfc5424 -s -t gwtest "rfc5424 über DTLS" \
	2>"$T/sent-5424.txt" || fail "logger --rfc5424"
logger -d -n 127.0.0.1 -P "$L" --rfc3164 -s -t gwtest "rfc3164 over DTLS" \
	2>"$T/sent-3164.txt" || fail "logger --rfc3164"
long=$(head -c 1500 /dev/zero | tr '\0' 'x')
logger -d -n 127.0.0.1 -P "$L" --rfc5424 -s -t gwtest "long $long end" \
	2>"$T/sent-long.txt" || fail "logger long"
arrived 'rfc5424 über' 1 && arrived 'rfc3164 over' 1 && arrived "long x" 1 ||
	fail "not every message arrived"
same "$T/sent-5424.txt" 'rfc5424 über'
same "$T/sent-3164.txt" 'rfc3164 over'
same "$T/sent-long.txt" "long x"
ok "RFC 5424, RFC 3164 and a 1.5 kB message arrived intact"

seq 1 30 | sed 's/^/line /; s/$/ of thirty/' |
	logger -d -n 127.0.0.1 -P "$L" --rfc5424 -s -t gwtest \
	2>"$T/sent-30.txt" || fail "logger, thirty lines"
arrived ' of thirty' 30 || fail "not all thirty arrived"
same "$T/sent-30.txt" ' of thirty'
ok "thirty messages from one sender, in order, intact"

# what a conforming receiver sees from the client side: the framing
S=$(free_port)
s_server "$S"
L2=$(free_port)
gw client2 -l "udp://127.0.0.1:$L2" -f "dtls://127.0.0.1:$S" -p syslog \
	--ca "$C/ca.pem"
m='<14>1 2026-01-01T00:00:00Z host app - - - framed for s_server'
printf '%s' "$m" | socat -u - "UDP4-SENDTO:127.0.0.1:$L2" || fail "socat"
wait_log "$T/s_server.log" "${#m} $m" 10 ||
	fail "s_server did not get '${#m} $m': $(cat "$T/s_server.log")"
ok "a conforming receiver gets MSG-LEN SP SYSLOG-MSG"
exec 7>&-

# record BYTES: openssl s_client sends BYTES in one record to the server side
record() {
	(printf '%s' "$1"; sleep 1) |
		timeout 10 openssl s_client -dtls1_2 -connect "127.0.0.1:$P" \
			-CAfile "$C/ca.pem" -quiet -no_ign_eof >/dev/null \
			2>>"$T/s_client.err"
}

# what a conforming sender sends reaches rsyslog: two frames, one record
a='<13>1 2026-01-01T00:00:00Z host app - - - frame one of a record'
b='<13>1 2026-01-01T00:00:00Z host app - - - frame two of a record'
record "$(printf '%s %s%s %s' "${#a}" "$a" "${#b}" "$b")"
arrived 'of a record' 2 || fail "the two frames did not arrive"
printf '%s\n%s\n' "$a" "$b" >"$T/sent-two.txt"
same "$T/sent-two.txt" 'of a record'
ok "a record of two frames from openssl s_client became two messages"

# not framed: dropped and counted, nothing reaches rsyslog
record '<13>1 - - - - - not framed'
record '99 <13>1 - - - - - runs past the record'
stats server
[ "$(stat_value server route-1 syslog_bad_length)" = 1 ] ||
	fail "the unframed record was not counted"
[ "$(stat_value server route-1 syslog_split_frame)" = 1 ] ||
	fail "the split frame was not counted"
grep -q "not framed\|runs past" "$T/received.txt" &&
	fail "rsyslog got a record that was not framed"
ok "unframed and split records dropped and counted"
