#!/bin/sh
# The man pages, dtlsgw(8) and dtlsgw.conf(5): they render without a
# warning (mandoc -T lint, groff -ww, man -l), and they cannot drift from
# the code: every key of src/config.c's key table is in dtlsgw --help
# (config_usage()), every file key is an entry of dtlsgw.conf(5) and a row
# of README's reference table, every command-line-only option is in
# dtlsgw(8), which also gives the signals and exit status.
. "$(dirname "$0")/lib.sh"
SRC=$(dirname "$0")/../..
M8=$SRC/man/dtlsgw.8
M5=$SRC/man/dtlsgw.conf.5

for page in "$M8" "$M5"; do
	[ -f "$page" ] || fail "no $page"
	if command -v mandoc >/dev/null; then
		mandoc -T lint -W warning "$page" >"$T/lint.out" 2>&1
		[ -s "$T/lint.out" ] && fail "mandoc: $(cat "$T/lint.out")"
	fi
	groff -mdoc -z -ww "$page" >"$T/groff.out" 2>&1 ||
		fail "groff failed on $page"
	[ -s "$T/groff.out" ] && fail "groff: $(cat "$T/groff.out")"
	if command -v man >/dev/null; then
		MANWIDTH=80 man -l "$page" >"$T/man.out" 2>"$T/man.err" ||
			fail "man -l $page: $(cat "$T/man.err")"
		[ -s "$T/man.err" ] && fail "man -l $page: $(cat "$T/man.err")"
		[ "$(wc -l <"$T/man.out")" -gt 40 ] || fail "$page renders short"
	fi
done
ok "both pages render without warnings"

# the key table: [K_NAME] = { "name", SHORT, FLAGS ... }
sed -n 's/^	\[K_[A-Z_0-9]*\] = { "\([a-z0-9-]*\)".*/\1/p' \
	"$SRC/src/config.c" >"$T/keys"
sed -n 's/^	\[K_[A-Z_0-9]*\] = { "\([a-z0-9-]*\)".*KF_CLI.*/\1/p' \
	"$SRC/src/config.c" >"$T/cli-keys"
[ "$(wc -l <"$T/keys")" -ge 30 ] || fail "only $(wc -l <"$T/keys") keys found"
[ "$(wc -l <"$T/cli-keys")" -ge 4 ] || fail "no command-line-only keys found"
"$DTLSGW" --help >"$T/help.out" || fail "--help"
missing=""
while read -r k; do
	grep -q -- "--$k\\b" "$T/help.out" || missing="$missing --help:$k"
	if grep -qx "$k" "$T/cli-keys"; then
		grep -q "^\\.It Fl .*-$k\\b\\|Fl -$k\\b" "$M8" ||
			missing="$missing dtlsgw.8:$k"
		continue
	fi
	grep -q "^\\.It Ic $k\\( \\|\$\\)" "$M5" ||
		missing="$missing dtlsgw.conf.5:$k"
	grep -q "^| .*\`$k\`.* |" "$SRC/README.md" ||
		missing="$missing README:$k"
done <"$T/keys"
[ -z "$missing" ] || fail "not documented:$missing"
ok "$(wc -l <"$T/keys") keys: each in --help, the man pages and README"

for s in SIGTERM SIGINT SIGHUP SIGUSR1; do
	grep -q "$s" "$M8" || fail "dtlsgw(8) does not say what $s does"
done
grep -q "^\\.Sh EXIT STATUS" "$M8" || fail "dtlsgw(8) has no EXIT STATUS"
grep -A12 "^\\.Sh EXIT STATUS" "$M8" | grep -q "^\\.It 2" ||
	fail "dtlsgw(8) does not give exit status 2"
ok "dtlsgw(8) gives the signals and the exit status"
