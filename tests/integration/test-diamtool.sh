#!/bin/sh
# diamtool against itself, before the Diameter tests of the gateway trust
# it: 1,000 requests up to 12 KiB with 16 outstanding while a second client
# runs on the same server; IPv6; bytes that cannot be framed close only
# their own connection while a client runs through; a server killed
# mid-run, and a server that misanswers one request (DIAMTOOL_FAULT), make
# the client fail with the counter that says why.
. "$(dirname "$0")/lib.sh"
: "${DIAMTOOL:?set DIAMTOOL to the diamtool binary}"

# summary NAME: the client's summary line in $T/NAME.log
summary() {
	grep -E '^sent [0-9]+ answered ' "$T/$1.log" | tail -n 1
}

# wait_exit PID SECONDS: wait for PID to end, its exit status in $RC;
# fail if it outlives SECONDS.
wait_exit() {
	_n=$(($2 * 10))
	while kill -0 "$1" 2>/dev/null; do
		[ "$_n" -gt 0 ] || fail "process $1 still running after $2 s"
		sleep 0.1
		_n=$((_n - 1))
	done
	wait "$1"
	RC=$?
}

# expect_clean NAME COUNT DWA: client NAME exited 0 with all COUNT answers
# intact and in order, and DWA watchdog answers.
expect_clean() {
	[ "$RC" = 0 ] || fail "$1 exited $RC: $(summary "$1")"
	_want="^sent $2 answered $2 corrupt 0 reordered 0 duplicate 0 lost 0"
	summary "$1" | grep -Eq "$_want dwa $3 in " ||
		fail "$1: '$(summary "$1")'"
}

# a client to a closed port fails
P=$(free_tcp_port)
"$DIAMTOOL" client 127.0.0.1 "$P" 10 1000 >"$T/refused.log" 2>&1 &&
	fail "a client with no server exited 0"
ok "no server: $(summary refused)"

diam_server server "$P"
SERVER=$LAST_PID

# a long client first, then the 1,000 requests up to 12 KiB beside it
start long "$DIAMTOOL" client 127.0.0.1 "$P" 400000 2048 16 90
LONG=$LAST_PID
wait_log "$T/server.log" 'connection from' 5 || fail "the long client"
start c1000 "$DIAMTOOL" client 127.0.0.1 "$P" 1000 12288 16 60
wait_exit "$LAST_PID" 60
expect_clean c1000 1000 10
kill -0 "$LONG" 2>/dev/null ||
	fail "the long client ended before the other: not concurrent"
ok "1,000 requests up to 12 KiB, window 16, beside another: $(summary c1000)"

# garbage of every kind on connections of its own, the long client still
# running: each is closed, with a line naming its peer
for kind in version length unaligned toolong flags avp cut; do
	"$DIAMTOOL" garbage 127.0.0.1 "$P" "$kind" \
		>"$T/garbage-$kind.log" 2>&1 ||
		fail "garbage $kind: the server kept the connection"
	peer=$(sed -n "s/^garbage $kind from //p" "$T/garbage-$kind.log")
	[ -n "$peer" ] || fail "garbage $kind: no address"
	wait_log "$T/server.log" "^diamtool server: $peer: framing error" 5 ||
		fail "garbage $kind: no framing error line for $peer"
done
kill -0 "$LONG" 2>/dev/null ||
	fail "the long client ended before the garbage was all sent"
wait_exit "$LONG" 90
expect_clean long 400000 4000
kill -0 "$SERVER" 2>/dev/null || fail "the server died"
ok "7 kinds of garbage closed their own connections only: $(summary long)"

# IPv6, and a Host-IP-Address of family 2 in the CEA
P6=$(free_tcp_port)
diam_server server6 "$P6" ::1 peer.example.com
"$DIAMTOOL" client ::1 "$P6" 500 8000 8 30 >"$T/v6.log" 2>&1
RC=$?
expect_clean v6 500 5
wait_log "$T/server6.log" 'connection from \[::1\]:[0-9]+' 1 ||
	fail "the server's log does not name the IPv6 peer"
ok "IPv6: $(summary v6)"

# a server killed mid-run: the client notices at once, not at its timeout
PK=$(free_tcp_port)
diam_server victim "$PK"
VICTIM=$LAST_PID
start killed "$DIAMTOOL" client 127.0.0.1 "$PK" 5000000 2000 16 60
KILLED=$LAST_PID
wait_log "$T/victim.log" 'connection from' 5 || fail "no connection to kill"
sleep 0.5
kill "$VICTIM"
wait_exit "$KILLED" 15
[ "$RC" = 1 ] || fail "the client exited $RC with its server killed"
summary killed | grep -Eq ' lost [1-9][0-9]* ' ||
	fail "the client counts nothing lost: '$(summary killed)'"
grep -Eq 'diamtool client: (recv|send): |closed by the peer' \
	"$T/killed.log" || fail "the client does not say the connection broke"
ok "server killed mid-run: exit 1, $(summary killed)"

# a server that misanswers the 10th request: each fault counted as itself
for f in reorder duplicate corrupt drop; do
	PF=$(free_tcp_port)
	start "fault-$f" env DIAMTOOL_FAULT="$f" "$DIAMTOOL" server \
		127.0.0.1 "$PF"
	wait_log "$T/fault-$f.log" 'diamtool server ready' 5 ||
		fail "server with fault $f"
	"$DIAMTOOL" client 127.0.0.1 "$PF" 200 2000 16 3 >"$T/c-$f.log" 2>&1
	RC=$?
	s=$(summary "c-$f")
	[ "$RC" = 1 ] || fail "fault $f: the client exited $RC: '$s'"
	case $f in
	reorder) want='corrupt 0 reordered 1 duplicate 0 lost 0 ' ;;
	duplicate) want='corrupt 0 reordered 0 duplicate 1 lost 0 ' ;;
	corrupt) want='corrupt 1 reordered 0 duplicate 0 lost 0 ' ;;
	drop) want='corrupt 0 reordered 0 duplicate 0 lost 1 ' ;;
	esac
	echo "$s" | grep -q "$want" || fail "fault $f: '$s'"
done
ok "reordered, duplicated, corrupted and dropped answers each detected"
