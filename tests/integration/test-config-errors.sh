#!/bin/sh
# A wrong configuration: exit status 2, a message naming file, line and
# key, and nothing bound.  --check, --list-protocols, --version, --help.
. "$(dirname "$0")/lib.sh"

P=$(free_port)

expect_exit2() {	# pattern file-content
	printf '%s\n' "$2" >"$T/bad.conf"
	timeout 10 "$DTLSGW" -c "$T/bad.conf" >"$T/out" 2>&1
	rc=$?
	[ "$rc" = 2 ] || fail "exit $rc, not 2, for: $2 ($(cat "$T/out"))"
	grep -Eq -- "$1" "$T/out" ||
		fail "message '$(cat "$T/out")' does not match '$1'"
}

expect_exit2 "bad.conf:3: listen: " \
	"[r]
proto = raw
listen = dtl://127.0.0.1:$P
forward = udp://127.0.0.1:9"
expect_exit2 "bad.conf:2: verify: " \
	"[r]
verify = sometimes
listen = dtls://127.0.0.1:$P
forward = udp://127.0.0.1:9"
expect_exit2 "bad.conf:1: listen: " \
	"listen = dtls://127.0.0.1:$P"
expect_exit2 "bad.conf:[0-9]+: forward: " \
	"[r]
listen = dtls://127.0.0.1:$P"
expect_exit2 "bad.conf:3: proto: " \
	"[r]
listen = dtls://127.0.0.1:$P
proto = nosuch
forward = udp://127.0.0.1:9"
expect_exit2 "bad.conf:2: frobnicate: " \
	"[r]
frobnicate = 1"
expect_exit2 "bad.conf:[0-9]+: (cert|key)" \
	"[r]
listen = dtls://127.0.0.1:$P
forward = udp://127.0.0.1:9
cert = $T/does-not-exist.pem
key = $T/does-not-exist.key"
expect_exit2 "bad.conf:2: " \
	"[r]
this line has no equals sign"
# an EC key that is not the certificate's, SEC 1 or PKCS #8, on both
# engines (wolfSSL 5.5.4's own check lets any EC key pass)
openssl ecparam -name prime256v1 -genkey -noout -out "$T/a.key" 2>/dev/null &&
	openssl ecparam -name prime256v1 -genkey -noout -out "$T/b.key" &&
	openssl pkcs8 -topk8 -nocrypt -in "$T/b.key" -out "$T/b8.key" &&
	openssl req -x509 -new -key "$T/a.key" -subj /CN=a -days 2 \
		-out "$T/a.crt" 2>/dev/null || fail "openssl could not make keys"
for e in wolfssl openssl; do
	for k in b.key b8.key; do
		expect_exit2 "bad.conf:[0-9]+: cert: .*$k.*(does not match|mismatch)" \
			"engine = $e
[r]
listen = dtls://127.0.0.1:$P
forward = udp://127.0.0.1:9
cert = $T/a.crt
key = $T/$k"
	done
	printf 'engine = %s\n[r]\nlisten = dtls://127.0.0.1:%s\nforward = udp://127.0.0.1:9\ncert = %s\nkey = %s\n' \
		"$e" "$P" "$T/a.crt" "$T/a.key" >"$T/good.conf"
	"$DTLSGW" -c "$T/good.conf" --check >"$T/out" 2>&1 ||
		fail "$e: the certificate's own key refused: $(cat "$T/out")"
done
# SCTP's URI parameters, where this build has SCTP
if "$DTLSGW" --help 2>&1 | grep -q "runs udp, dtls, sctp"; then
	expect_exit2 "bad.conf:2: listen: .*encap=ip" \
		"[r]
listen = sctp://127.0.0.1:3868?encap=ip
forward = udp://127.0.0.1:9"
	expect_exit2 "bad.conf:3: forward: .*streams=0" \
		"[r]
listen = udp://127.0.0.1:$P
forward = sctp://127.0.0.1:3868?streams=0"
	expect_exit2 "bad.conf:3: forward: .*unknown sctp parameter 'mtu'" \
		"[r]
listen = udp://127.0.0.1:$P
forward = sctp://127.0.0.1:3868?mtu=1200"
fi
# nothing was bound by any of them
"$UDPTOOL" freeport >/dev/null
ss -lun | grep -q ":$P " && fail "port $P was bound"
ok "bad files: exit 2, file:line: key: message"

"$DTLSGW" -l "dtls://127.0.0.1:$P" >"$T/out" 2>&1
[ $? = 2 ] || fail "a route without forward did not exit 2"
grep -q "command line" "$T/out" || fail "no 'command line' in '$(cat "$T/out")'"
"$DTLSGW" --no-such-option >"$T/out" 2>&1
[ $? = 2 ] || fail "an unknown option did not exit 2"
grep -q -- "--no-such-option" "$T/out" || fail "the option is not named"
ok "bad command lines: exit 2 and named"

printf '[radius]\nproto = radius\nlisten = dtls://127.0.0.1\nforward = udp://127.0.0.1\nsecret = s3cret-value\npsk-identity = id\npsk = 0011\n' \
	>"$T/good.conf"
"$DTLSGW" -c "$T/good.conf" --check >"$T/out" 2>&1 ||
	fail "--check failed: $(cat "$T/out")"
grep -q "dtls://127.0.0.1:2083" "$T/out" ||
	fail "--check does not show the radius default port 2083"
grep -q "udp://127.0.0.1:1812" "$T/out" ||
	fail "--check does not show the radius default port 1812"
grep -q "s3cret-value" "$T/out" && fail "--check printed the secret"
grep -qi "0011" "$T/out" && fail "--check printed the psk"
ok "--check shows default ports and hides secrets"

"$DTLSGW" --list-protocols >"$T/out" 2>&1 || fail "--list-protocols"
for p in radius snmp diameter stun sip mpls-udp gre-udp syslog dns raw; do
	grep -q "^$p " "$T/out" || fail "--list-protocols lacks $p"
done
grep -q "2083" "$T/out" || fail "--list-protocols lacks 2083"
"$DTLSGW" --version | grep -Eq '^dtlsgw [0-9]+\.[0-9]+' || fail "--version"
"$DTLSGW" --help | grep -q -- "--listen" || fail "--help"
ok "--list-protocols, --version, --help"
