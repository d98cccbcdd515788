#!/bin/sh
# user = nobody: started as root, dtlsgw binds a privileged port, then runs
# as nobody with no capability (/proc/PID/status), and traffic still flows
# (its per-session forward sockets are made after the drop).  A reload
# that needs a new privileged bind is refused and the old route keeps
# working; one on an unprivileged port starts.  A raw carrier keeps
# CAP_NET_RAW and nothing else, and works.  chroot = DIR.  A bad user name
# is a configuration error.  Needs root.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || fail "needs root"
NOBODY=$(id -u nobody) || fail "no user nobody"
# nobody reads the configuration again on SIGHUP
chmod 755 "$T"

# a loopback address of our own, so a port below 1024 is free to take
rnd() { od -An -N2 -tu2 /dev/urandom | tr -d ' '; }
ADDR=127.$(($(rnd) % 200 + 20)).$(($(rnd) % 250 + 1)).$(($(rnd) % 250 + 1))
PP=$(($(rnd) % 400 + 600))
PP2=$((PP + 1))

# status_field PID FIELD: the value of FIELD in /proc/PID/status
status_field() {
	awk -v f="$2:" '$1 == f { $1 = ""; sub(/^ /, ""); print }' \
		"/proc/$1/status"
}

E=$(free_port)
echo_server "$E"
cat >"$T/server.conf" <<CONF
user = nobody
[main]
listen = dtls://$ADDR:$PP
forward = udp://127.0.0.1:$E
CONF
chmod 644 "$T/server.conf"
gw server -c "$T/server.conf"
grep -q "running as user nobody (uid $NOBODY" "$T/server.log" ||
	fail "no line saying the user changed"
uids=$(status_field "$PID_server" Uid)
[ "$uids" = "$NOBODY $NOBODY $NOBODY $NOBODY" ] ||
	fail "Uid: $uids"
for c in CapEff CapPrm CapInh CapAmb; do
	v=$(status_field "$PID_server" $c)
	[ "$v" = 0000000000000000 ] || fail "$c: $v, not empty"
done
[ "$(status_field "$PID_server" NoNewPrivs)" = 1 ] || fail "NoNewPrivs unset"
ok "listening on $ADDR:$PP as nobody, Uid $uids, no capability"

L=$(free_port)
gw client -l "udp://127.0.0.1:$L" -f "dtls://$ADDR:$PP"
SRC=$(free_port)
"$UDPTOOL" send 127.0.0.1 "$L" 100 8 1200 8 10 "$SRC" >"$T/1.out" 2>&1 ||
	fail "through the dropped gateway: $(cat "$T/1.out")"
ok "traffic flows: $(cat "$T/1.out")"

# a new privileged bind after the drop: refused, nothing changes
cp "$T/server.conf" "$T/good.conf"
cat >>"$T/server.conf" <<CONF
[extra]
listen = dtls://$ADDR:$PP2
forward = udp://127.0.0.1:$E
CONF
kill -HUP "$PID_server"
wait_log "$T/server.log" "reload refused.*listen port $PP2 is privileged" 5 ||
	fail "no refusal naming the privileged port"
"$UDPTOOL" send 127.0.0.1 "$L" 50 8 1200 8 10 "$SRC" >"$T/2.out" 2>&1 ||
	fail "after the refused reload: $(cat "$T/2.out")"
ok "a reload needing port $PP2 is refused, the old route still works"

# an unprivileged one starts, the session stays
P3=$(free_port)
cp "$T/good.conf" "$T/server.conf"
cat >>"$T/server.conf" <<CONF
[extra]
listen = dtls://127.0.0.1:$P3
forward = udp://127.0.0.1:$E
CONF
kill -HUP "$PID_server"
wait_log "$T/server.log" "reloaded: 1 routes kept, 1 started" 5 ||
	fail "the unprivileged reload did not happen"
out=$( (echo "as nobody"; sleep 1) | timeout 10 openssl s_client -dtls1_2 \
	-connect "127.0.0.1:$P3" -quiet -no_ign_eof 2>/dev/null)
echo "$out" | grep -q "as nobody" || fail "the route added after the drop"
"$UDPTOOL" send 127.0.0.1 "$L" 50 8 1200 8 10 "$SRC" >"$T/3.out" 2>&1 ||
	fail "after the reload: $(cat "$T/3.out")"
ok "a reload on an unprivileged port works as nobody"

# a bad user name: exit 2, file, line and key; and on the command line
printf 'log-level = info\nuser = no-such-user-dtlsgw\n' >"$T/bad.conf"
printf '[r]\nlisten = dtls://127.0.0.1:%s\nforward = udp://127.0.0.1:9\n' \
	"$(free_port)" >>"$T/bad.conf"
"$DTLSGW" -c "$T/bad.conf" >"$T/bad.out" 2>&1
rc=$?
[ "$rc" = 2 ] || fail "bad user: exit $rc"
grep -q "bad.conf:2: user: no such user 'no-such-user-dtlsgw'" "$T/bad.out" ||
	fail "bad user: $(cat "$T/bad.out")"
"$DTLSGW" --user no-such-user-dtlsgw -l "dtls://127.0.0.1:$(free_port)" \
	-f udp://127.0.0.1:9 >"$T/bad2.out" 2>&1
rc=$?
[ "$rc" = 2 ] && grep -q "command line: user: no such user" "$T/bad2.out" ||
	fail "--user with a bad name: exit $rc, $(cat "$T/bad2.out")"
ok "a bad user name is a configuration error (exit 2)"

# chroot: DIR needs dev/urandom (exit 2 without), then runs inside it
mkdir -p "$T/root"
P4=$(free_port)
"$DTLSGW" --chroot "$T/root" --user nobody -l "dtls://127.0.0.1:$P4" \
	-f "udp://127.0.0.1:$E" >"$T/noroot.out" 2>&1
rc=$?
[ "$rc" = 2 ] && grep -q "chroot: .*dev/urandom is missing" "$T/noroot.out" ||
	fail "chroot without dev/urandom: exit $rc, $(cat "$T/noroot.out")"
mkdir -p "$T/root/dev"
mknod -m 444 "$T/root/dev/urandom" c 1 9 || fail "mknod"
gw jailed --chroot "$T/root" --user nobody -l "dtls://127.0.0.1:$P4" \
	-f "udp://127.0.0.1:$E"
[ "$(readlink "/proc/$PID_jailed/root")" = "$T/root" ] ||
	fail "root is $(readlink "/proc/$PID_jailed/root")"
L4=$(free_port)
gw jclient -l "udp://127.0.0.1:$L4" -f "dtls://127.0.0.1:$P4"
"$UDPTOOL" send 127.0.0.1 "$L4" 50 8 1200 8 10 >"$T/4.out" 2>&1 ||
	fail "through the chrooted gateway: $(cat "$T/4.out")"
ok "chroot $T/root as nobody: $(cat "$T/4.out")"

# a raw carrier: CAP_NET_RAW (bit 13) and nothing else; its forward side
# opens a raw socket per session, after the drop
if "$DTLSGW" --help | grep -q 'sctp: ?encap'; then
	S=$(free_port)
	L5=$(free_port)
	gw rawsrv -l "sctp://127.0.0.1:$S?encap=raw" -f "udp://127.0.0.1:$E"
	gw rawcli --user nobody -l "udp://127.0.0.1:$L5" \
		-f "sctp://127.0.0.1:$S?encap=raw"
	for c in CapEff CapPrm; do
		v=$(status_field "$PID_rawcli" $c)
		[ "$v" = 0000000000002000 ] || fail "raw carrier: $c $v"
	done
	[ "$(status_field "$PID_rawcli" Uid | cut -d' ' -f1)" = "$NOBODY" ] ||
		fail "raw carrier: not nobody"
	"$UDPTOOL" send 127.0.0.1 "$L5" 100 8 1200 8 10 >"$T/5.out" 2>&1 ||
		fail "raw SCTP as nobody: $(cat "$T/5.out")"
	ok "raw carrier as nobody keeps CAP_NET_RAW only: $(cat "$T/5.out")"
fi
