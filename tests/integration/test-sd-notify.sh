#!/bin/sh
# Type=notify without systemd: dtlsgw with NOTIFY_SOCKET on a unix
# datagram socket this test listens on (notify-listen.py): READY=1 after
# the ready line, RELOADING=1 then READY=1 on SIGHUP, STOPPING=1 on
# SIGTERM.  As root, the same once chrooted and running as nobody (the
# socket is connected before the drop).  dist/dtlsgw.service passes
# systemd-analyze verify, and dist/dtlsgw.conf passes --check.
. "$(dirname "$0")/lib.sh"
LISTEN=$(dirname "$0")/notify-listen.py
DIST=$(dirname "$0")/../../dist

# notify_run NAME DTLSGW-ARGS...: start the listener and the gateway
notify_run() {
	_nr=$1
	shift
	start "$_nr-notify" python3 "$LISTEN" "$T/$_nr.sock" "$T/$_nr.log"
	wait_log "$T/$_nr-notify.log" "notify listening" 5 ||
		fail "$_nr: the listener did not start"
	NOTIFY_SOCKET=$T/$_nr.sock gw "$_nr" "$@"
	wait_log "$T/$_nr-notify.log" "^READY=1 after-ready-line=" 5 ||
		fail "$_nr: no READY=1"
	grep -q "^READY=1 after-ready-line=yes" "$T/$_nr-notify.log" ||
		fail "$_nr: READY=1 came before the ready line"
}

# notify_stop NAME PID: SIGTERM, STOPPING=1, exit 0
notify_stop() {
	kill -TERM "$2"
	wait_log "$T/$1-notify.log" "^STOPPING=1" 5 || fail "$1: no STOPPING=1"
	wait_log "$T/$1.log" "stopped" 5 || fail "$1: did not stop"
}

P=$(free_port)
E=$(free_port)
echo_server "$E"
printf '[main]\nlisten = dtls://127.0.0.1:%s\nforward = udp://127.0.0.1:%s\n' \
	"$P" "$E" >"$T/gw.conf"
notify_run main -c "$T/gw.conf"
kill -HUP "$PID_main"
wait_log "$T/main.log" "reloaded:" 5 || fail "no reload"
for _ in $(seq 50); do
	[ "$(count_log "$T/main-notify.log" "^READY=1")" -ge 2 ] && break
	sleep 0.1
done
# RELOADING=1 (with MONOTONIC_USEC), then READY=1 again
sed -n '3,4p' "$T/main-notify.log" >"$T/reload.seq"
grep -q "^RELOADING=1 MONOTONIC_USEC=[0-9][0-9]*" "$T/reload.seq" &&
	sed -n 2p "$T/reload.seq" | grep -q "^READY=1" ||
	fail "SIGHUP sent: $(cat "$T/main-notify.log")"
notify_stop main "$PID_main"
ok "READY=1 after ready, RELOADING=1/READY=1 on SIGHUP, STOPPING=1 on SIGTERM"

if [ "$(id -u)" = 0 ]; then
	mkdir -p "$T/root/dev"
	mknod -m 444 "$T/root/dev/urandom" c 1 9 || fail "mknod"
	chmod 755 "$T"
	notify_run jailed --chroot "$T/root" --user nobody \
		-l "dtls://127.0.0.1:$(free_port)" -f "udp://127.0.0.1:$E"
	kill -HUP "$PID_jailed"
	wait_log "$T/jailed-notify.log" "^RELOADING=1" 5 ||
		fail "chrooted: no RELOADING=1"
	notify_stop jailed "$PID_jailed"
	ok "chrooted as nobody: READY=1, RELOADING=1 and STOPPING=1 still arrive"
fi

# the example configuration is valid (with a user this system has)
sed "s/^user = dtlsgw/user = $(id -un)/" "$DIST/dtlsgw.conf" >"$T/example.conf"
"$DTLSGW" -c "$T/example.conf" --check >"$T/check.out" 2>&1 ||
	fail "dist/dtlsgw.conf: $(cat "$T/check.out")"
ok "dist/dtlsgw.conf passes --check"

if command -v systemd-analyze >/dev/null; then
	# verify looks for the binary: point ExecStart at the one built
	sed "s|^ExecStart=/usr/sbin/dtlsgw|ExecStart=$DTLSGW|" \
		"$DIST/dtlsgw.service" >"$T/dtlsgw.service"
	# (the man pages are checked by test-man; other units' complaints
	# are theirs)
	systemd-analyze verify --man=no "$T/dtlsgw.service" >"$T/verify.out" \
		2>&1 || fail "systemd-analyze verify: $(cat "$T/verify.out")"
	grep "dtlsgw" "$T/verify.out" | grep -q . &&
		fail "systemd-analyze verify says: $(cat "$T/verify.out")"
	grep -q "^Type=notify" "$T/dtlsgw.service" || fail "not Type=notify"
	ok "systemd-analyze verify: dist/dtlsgw.service is clean"
fi
