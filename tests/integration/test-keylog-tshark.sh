#!/bin/sh
# --keylog writes NSS key-log lines with which tshark decrypts what the
# gateway carries.  Needs root (capture on lo).
. "$(dirname "$0")/lib.sh"

L=$(free_port)
P=$(free_port)
E=$(free_port)
echo_server "$E"
capture_start "udp port $P"
# tshark 4.0 (Debian 12) cannot decrypt DTLS ChaCha20-Poly1305, not even
# with OpenSSL's own key log: AES-GCM for the capture
gw server -l "dtls://127.0.0.1:$P" -f "udp://127.0.0.1:$E" \
	--keylog "$T/keys.log" --ciphers ECDHE-ECDSA-AES128-GCM-SHA256
gw client -l "udp://127.0.0.1:$L" -f "dtls://127.0.0.1:$P"
echo "the secret payload 4242" | timeout 5 socat -t 2 - "UDP:127.0.0.1:$L" \
	>"$T/echo.out"
grep -q "secret payload 4242" "$T/echo.out" || fail "no echo"
capture_stop

grep -Eq '^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$' "$T/keys.log" ||
	fail "no NSS key-log line: $(cat "$T/keys.log")"
# without the keys the payload is invisible, with them it is there
hex=$(printf 'the secret payload 4242' | od -An -tx1 | tr -d ' \n')
tshark -r "$T/cap.pcapng" -d "udp.port==$P,dtls" -T fields -e data.data \
	2>/dev/null | tr -d ':\n' | grep -q "$hex" && fail "cleartext on the wire"
tshark -r "$T/cap.pcapng" -d "udp.port==$P,dtls" \
	-o "tls.keylog_file:$T/keys.log" -T fields -e data.data \
	2>/dev/null >"$T/dec.txt"
tr -d ':\n' <"$T/dec.txt" | grep -q "$hex" ||
	fail "tshark could not decrypt with the key log"
# both ways: the request went through the library's record layer, the echo
# through the gateway's own, which took over at the first data
n=$(tr -d ':' <"$T/dec.txt" | grep -c "$hex" || true)
[ "$n" -ge 2 ] || fail "tshark decrypted $n of the 2 records: $(cat "$T/dec.txt")"
ok "tshark decrypts with the key log, both ways"
