#!/bin/sh
# Self-check of freeradius.sh: a private FreeRADIUS driven directly by
# radclient through every wrapper, every user, the load files (N=2000 over
# 4 concurrent radclients), wrong secrets, the Message-Authenticator
# switches and a second client secret.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/freeradius.sh"

S=harness-secret
S2=second-secret
N=2000
PROCS=4

ms() {
	echo $(($(date +%s%N) / 1000000))
}

# expect OUTFILE PATTERN WHAT: grep -E PATTERN in OUTFILE or fail.
expect() {
	grep -Eq -- "$2" "$1" || fail "$3: no '$2' in: $(cat "$1")"
}
expect_not() {
	grep -Eq -- "$2" "$1" && fail "$3: '$2' in: $(cat "$1")"
	:
}

A=$(free_port)
C=$(free_port)
Q=$(free_port)
radius_users_for_load "$N"
t0=$(ms)
start_freeradius fr "$A" "$C" "$Q" "$S" "$S2"
t1=$(ms)
ok "FreeRADIUS answering Status-Server $((t1 - t0)) ms after start"
MAIN_DETAIL=$FR_DETAIL
MAIN_COA_DETAIL=$FR_COA_DETAIL

# Status-Server, on both ports, answered with a Message-Authenticator
radius_status 127.0.0.1 "$A" "$S" >"$T/st-auth.out" ||
	fail "Status-Server on auth: $(cat "$T/st-auth.out")"
expect "$T/st-auth.out" '^Received Access-Accept' "Status-Server on auth"
expect "$T/st-auth.out" 'Message-Authenticator = 0x[0-9a-f]{32}' \
	"Status-Server on auth"
radius_status 127.0.0.1 "$C" "$S" >"$T/st-acct.out" ||
	fail "Status-Server on acct: $(cat "$T/st-acct.out")"
expect "$T/st-acct.out" '^Received Accounting-Response' "Status-Server on acct"
ok "Status-Server answered on the auth and acct ports"

# bob, PAP
radius_auth 127.0.0.1 "$A" "$S" bob hello >"$T/bob.out" ||
	fail "bob: $(cat "$T/bob.out")"
expect "$T/bob.out" '^Received Access-Accept' bob
expect "$T/bob.out" 'Reply-Message = "hello bob"' bob
expect "$T/bob.out" 'Message-Authenticator = 0x[0-9a-f]{32}' bob
if radius_auth 127.0.0.1 "$A" "$S" bob wrong >"$T/bob-bad.out"; then
	fail "bob with a wrong password: radclient exited 0"
fi
expect "$T/bob-bad.out" '^Received Access-Reject' "bob, wrong password"
expect_not "$T/bob-bad.out" 'Reply-Message' "bob, wrong password"
expect "$T/bob-bad.out" 'Message-Authenticator = 0x[0-9a-f]{32}' \
	"bob, wrong password"
radius_auth 127.0.0.1 "$A" "$S" nobody hello >"$T/nobody.out" &&
	fail "an unknown user: radclient exited 0"
expect "$T/nobody.out" '^Received Access-Reject' "unknown user"
ok "PAP: bob accepted with his Reply-Message;" \
	"a wrong password and an unknown user rejected"

# carol: hidden attributes
radius_auth 127.0.0.1 "$A" "$S" carol hello >"$T/carol.out" ||
	fail "carol: $(cat "$T/carol.out")"
expect "$T/carol.out" '^Received Access-Accept' carol
expect "$T/carol.out" 'Reply-Message = "hello carol"' carol
expect "$T/carol.out" 'Tunnel-Password:1 = "tunnel-secret-1"' carol
expect "$T/carol.out" "MS-MPPE-Send-Key = $FR_SEND_KEY\$" carol
expect "$T/carol.out" "MS-MPPE-Recv-Key = $FR_RECV_KEY\$" carol
radius_auth 127.0.0.1 "$A" "$S" carol wrong >"$T/carol-bad.out" &&
	fail "carol with a wrong password: radclient exited 0"
expect "$T/carol-bad.out" '^Received Access-Reject' "carol, wrong password"
expect_not "$T/carol-bad.out" 'Tunnel-Password|MS-MPPE' "carol, wrong password"
ok "carol: Tunnel-Password and MS-MPPE keys decrypted by radclient"

# alice, CHAP
radius_chap 127.0.0.1 "$A" "$S" alice chap-pass >"$T/alice.out" ||
	fail "alice: $(cat "$T/alice.out")"
expect "$T/alice.out" 'CHAP-Password = 0x[0-9a-f]{34}' "alice's request"
expect "$T/alice.out" '^Received Access-Accept' alice
radius_chap 127.0.0.1 "$A" "$S" alice wrong >"$T/alice-bad.out" &&
	fail "alice with a wrong CHAP password: radclient exited 0"
expect "$T/alice-bad.out" '^Received Access-Reject' "alice, wrong password"
grep -q 'Login OK: \[alice\]' "$T/fr.log" || fail "no CHAP login in the log"
ok "CHAP: alice accepted, a wrong CHAP password rejected"

# dave: a challenge
radius_auth 127.0.0.1 "$A" "$S" dave hello >"$T/dave.out" &&
	fail "dave: radclient exited 0 on a challenge"
expect "$T/dave.out" '^Received Access-Challenge' dave
expect "$T/dave.out" 'State = 0x64617665' dave
expect "$T/dave.out" 'Message-Authenticator = 0x[0-9a-f]{32}' dave
ok "dave: Access-Challenge with State and Message-Authenticator"

# accounting, to the detail file
for st in Start Interim-Update Stop; do
	radius_acct 127.0.0.1 "$C" "$S" "$st" sess-4242 bob >"$T/acct.out" ||
		fail "accounting $st: $(cat "$T/acct.out")"
	expect "$T/acct.out" '^Received Accounting-Response' "accounting $st"
done
[ "$(grep -c 'Acct-Session-Id = "sess-4242"' "$MAIN_DETAIL")" = 3 ] ||
	fail "detail file: $(cat "$MAIN_DETAIL")"
[ "$(grep -c 'User-Name = "bob"' "$MAIN_DETAIL")" = 3 ] ||
	fail "detail file: $(cat "$MAIN_DETAIL")"
for st in Start Interim-Update Stop; do
	grep -q "Acct-Status-Type = $st\$" "$MAIN_DETAIL" ||
		fail "no $st in the detail file: $(cat "$MAIN_DETAIL")"
done
ok "accounting Start, Interim-Update, Stop answered and in $MAIN_DETAIL"

# CoA and Disconnect, FreeRADIUS acting as the NAS
radius_coa 127.0.0.1 "$Q" "$S" bob >"$T/coa.out" ||
	fail "CoA: $(cat "$T/coa.out")"
expect "$T/coa.out" '^Received CoA-ACK' CoA
expect "$T/coa.out" 'Reply-Message = "coa bob"' CoA
radius_disconnect 127.0.0.1 "$Q" "$S" carol >"$T/dm.out" ||
	fail "Disconnect: $(cat "$T/dm.out")"
expect "$T/dm.out" '^Received Disconnect-ACK' Disconnect
expect "$T/dm.out" 'Reply-Message = "disconnect carol"' Disconnect
for u in bob carol; do
	grep -q "User-Name = \"$u\"" "$MAIN_COA_DETAIL" ||
		fail "CoA detail file: $(cat "$MAIN_COA_DETAIL" 2>&1)"
done
ok "CoA-Request -> CoA-ACK, Disconnect-Request -> Disconnect-ACK"

# a request without Message-Authenticator is answered too
RADIUS_MA=0
radius_auth 127.0.0.1 "$A" "$S" bob hello >"$T/bob-noma.out" ||
	fail "bob without Message-Authenticator: $(cat "$T/bob-noma.out")"
# (in what radclient sent: the reply's own one may start with 0x00 too)
awk '/^Sent /{ s = 1; next } /^Received /{ s = 0 }
	s && /Message-Authenticator/' "$T/bob-noma.out" | grep -q . &&
	fail "request without Message-Authenticator: $(cat "$T/bob-noma.out")"
expect "$T/bob-noma.out" 'Message-Authenticator = 0x[0-9a-f]{32}' \
	"reply to a request without Message-Authenticator"
RADIUS_MA=1
ok "FR_REPLY_MA=1: Message-Authenticator in the reply," \
	"with or without one in the request"

# RADIUS_EXTRA: more attributes; FreeRADIUS echoes Proxy-State
RADIUS_EXTRA='Proxy-State = 0x6477
NAS-Identifier = "harness"'
radius_auth 127.0.0.1 "$A" "$S" bob hello >"$T/extra.out" ||
	fail "bob with Proxy-State: $(cat "$T/extra.out")"
expect "$T/extra.out" '^	NAS-Identifier = "harness"' "RADIUS_EXTRA"
[ "$(grep -c 'Proxy-State = 0x6477' "$T/extra.out")" = 2 ] ||
	fail "Proxy-State not echoed: $(cat "$T/extra.out")"
radius_coa 127.0.0.1 "$Q" "$S" bob >"$T/extra-coa.out" ||
	fail "CoA with Proxy-State: $(cat "$T/extra-coa.out")"
[ "$(grep -c 'Proxy-State = 0x6477' "$T/extra-coa.out")" = 2 ] ||
	fail "Proxy-State not echoed in CoA-ACK: $(cat "$T/extra-coa.out")"
unset RADIUS_EXTRA
ok "RADIUS_EXTRA adds attributes; Proxy-State comes back"

# wrong secrets: no answer that radclient accepts
RADIUS_RETRIES=1
RADIUS_TIMEOUT=1
radius_auth 127.0.0.1 "$A" wrong-secret bob hello >"$T/ws-auth.out" &&
	fail "auth with a wrong secret: radclient exited 0"
expect_not "$T/ws-auth.out" '^Received' "auth with a wrong secret"
expect "$T/ws-auth.out" 'No reply' "auth with a wrong secret"
wait_log "$T/fr.log" 'invalid Message-Authenticator' 2 ||
	fail "FreeRADIUS did not log the bad Message-Authenticator"
radius_acct 127.0.0.1 "$C" wrong-secret Start sess-bad bob >"$T/ws-acct.out" &&
	fail "acct with a wrong secret: radclient exited 0"
expect_not "$T/ws-acct.out" '^Received' "acct with a wrong secret"
radius_status 127.0.0.1 "$A" wrong-secret >"$T/ws-st.out" &&
	fail "Status-Server with a wrong secret: radclient exited 0"
expect_not "$T/ws-st.out" '^Received' "Status-Server with a wrong secret"
radius_coa 127.0.0.1 "$Q" wrong-secret bob >"$T/ws-coa.out" &&
	fail "CoA with a wrong secret: radclient exited 0"
expect_not "$T/ws-coa.out" '^Received' "CoA with a wrong secret"
# without Message-Authenticator, FreeRADIUS cannot tell: it rejects the
# garbled password and radclient drops the reply it cannot verify
RADIUS_MA=0
radius_auth 127.0.0.1 "$A" wrong-secret bob hello >"$T/ws-noma.out" &&
	fail "auth with a wrong secret, no M-A: radclient exited 0"
expect_not "$T/ws-noma.out" '^Received' "auth with a wrong secret, no M-A"
RADIUS_MA=1
grep -q 'sess-bad' "$MAIN_DETAIL" && fail "wrong-secret accounting recorded"
unset RADIUS_RETRIES RADIUS_TIMEOUT
ok "a wrong secret gets no answer (auth, acct, Status-Server, CoA)"

# the second client secret belongs to 127.0.0.2
if command -v socat >/dev/null 2>&1; then
	R=$(free_port)
	start relay socat "UDP4-LISTEN:$R,bind=127.0.0.1,reuseaddr" \
		"UDP4:127.0.0.1:$A,bind=127.0.0.2"
	sleep 0.2
	radius_auth 127.0.0.1 "$R" "$S2" bob hello >"$T/lo2.out" ||
		fail "bob from 127.0.0.2 with $S2: $(cat "$T/lo2.out")"
	expect "$T/lo2.out" 'Reply-Message = "hello bob"' "client 127.0.0.2"
	grep -q 'from client lo4_2 ' "$T/fr.log" ||
		fail "the request did not come from client lo4_2"
	ok "SECRET2 is the secret of client 127.0.0.2"
fi

# load: N users over PROCS concurrent radclients, every reply checked
radius_load_files "$T/load" "$N" "$PROCS"
[ "$(cat "$T"/load/load-*.req | grep -c '^User-Name')" = "$N" ] ||
	fail "not $N requests in the load files"
t0=$(ms)
radius_load_run "$T/load" "$PROCS" 127.0.0.1 "$A" "$S" >"$T/load.out" ||
	fail "load: $(cat "$T/load.out")"
t1=$(ms)
passed=$(awk '/Passed filter/ { s += $4 } END { print s + 0 }' \
	"$T"/load/load-*.out)
[ "$passed" = "$N" ] ||
	fail "load: $passed of $N passed: $(tail "$T"/load/load-*.out)"
[ "$(grep -c 'Login OK: \[load' "$T/fr.log")" = "$N" ] ||
	fail "load: FreeRADIUS did not log $N logins"
dt=$((t1 - t0))
ok "load: $N Access-Requests over $PROCS radclients in $dt ms" \
	"($((N * 1000 / (dt + 1)))/s), all matched"

# the load files are strict: a reply to another user, or a reject, fails
radius_load_files "$T/strict" 10 2
mv "$T/strict/load-1.filter" "$T/strict/swap"
mv "$T/strict/load-0.filter" "$T/strict/load-1.filter"
mv "$T/strict/swap" "$T/strict/load-0.filter"
radius_load_run "$T/strict" 2 127.0.0.1 "$A" "$S" >"$T/strict.out" &&
	fail "load files with swapped filters passed"
expect "$T/strict.out" 'failed filter' "swapped filters"
radius_load_files "$T/reject" 3 1
sed -i 's/"pass1"/"nope"/' "$T/reject/load-0.req"
radius_load_run "$T/reject" 1 127.0.0.1 "$A" "$S" >"$T/reject.out" &&
	fail "load files with a rejected user passed"
expect "$T/reject.out" 'Expected Access-Accept got Access-Reject' "a reject"
ok "load files: a mismatched reply or a reject fails radclient"

# stock 3.2.1: no Message-Authenticator in any reply, asked for or not
FR_REPLY_MA=0
A2=$(free_port)
C2=$(free_port)
Q2=$(free_port)
radius_users_for_load 0
start_freeradius fr-noma "$A2" "$C2" "$Q2" "$S"
for ma in 1 0; do
	RADIUS_MA=$ma
	radius_auth 127.0.0.1 "$A2" "$S" bob hello >"$T/noma-a.out"
	radius_auth 127.0.0.1 "$A2" "$S" bob wrong >"$T/noma-r.out"
	radius_auth 127.0.0.1 "$A2" "$S" dave hello >"$T/noma-c.out"
	expect "$T/noma-a.out" '^Received Access-Accept .* length 31$' \
		"FR_REPLY_MA=0, accept"
	expect "$T/noma-r.out" '^Received Access-Reject .* length 20$' \
		"FR_REPLY_MA=0, reject"
	expect "$T/noma-c.out" '^Received Access-Challenge .* length 42$' \
		"FR_REPLY_MA=0, challenge"
	for f in noma-a noma-r noma-c; do
		expect_not "$T/$f.out" 'Message-Authenticator = 0x[0-9a-f]{32}' \
			"FR_REPLY_MA=0, $f, RADIUS_MA=$ma"
	done
done
RADIUS_MA=1
radius_status 127.0.0.1 "$A2" "$S" >"$T/noma-st.out"
expect "$T/noma-st.out" '^Received Access-Accept .* length 20$' \
	"FR_REPLY_MA=0, Status-Server"
radius_load_files "$T/load-noma" 20 2
radius_load_run "$T/load-noma" 2 127.0.0.1 "$A2" "$S" >"$T/load-noma.out" &&
	fail "load: users that the second server does not know passed"
radius_users_for_load 20
FR_REPLY_MA=
ok "FR_REPLY_MA=0: no Message-Authenticator in Accept, Reject, Challenge"

# require_message_authenticator: requests without one are dropped
FR_REQUIRE_MA=1
A3=$(free_port)
C3=$(free_port)
Q3=$(free_port)
start_freeradius fr-reqma "$A3" "$C3" "$Q3" "$S"
radius_auth 127.0.0.1 "$A3" "$S" bob hello >"$T/reqma.out" ||
	fail "FR_REQUIRE_MA=1, with M-A: $(cat "$T/reqma.out")"
RADIUS_MA=0
RADIUS_RETRIES=1
RADIUS_TIMEOUT=1
radius_auth 127.0.0.1 "$A3" "$S" bob hello >"$T/reqma-no.out" &&
	fail "FR_REQUIRE_MA=1 answered a request without Message-Authenticator"
expect_not "$T/reqma-no.out" '^Received' "FR_REQUIRE_MA=1, no M-A"
unset RADIUS_MA RADIUS_RETRIES RADIUS_TIMEOUT FR_REQUIRE_MA
radius_load_files "$T/load-reqma" 20 2
radius_load_run "$T/load-reqma" 2 127.0.0.1 "$A3" "$S" >"$T/load-reqma.out" ||
	fail "load on the third server: $(cat "$T/load-reqma.out")"
ok "FR_REQUIRE_MA=1: a request without Message-Authenticator is dropped"
