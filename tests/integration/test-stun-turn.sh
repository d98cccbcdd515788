#!/bin/sh
# TURN over DTLS (RFC 7350) through the stun profile's server side:
#   turnutils_uclient -S (DTLS) -> dtlsgw -> turnserver (cleartext UDP
#   only) -> relay -> turnutils_peer, which echoes back the same way.
# An allocation with long-term credentials, then data both ways, over
# channels (ChannelBind, ChannelData) and over Send and Data indications
# (-s).  The client opens two DTLS sessions at once (its RTP and RTCP
# allocations), and its first handshake attempts fail by design: the
# gateway serves both sessions.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/turn.sh"

turn_server_side

uclient "$T/channels.out" -S -u u -w p -p "$P" -e 127.0.0.1 -r "$PP" \
	-n 10 127.0.0.1
uclient_ok "$T/channels.out" 20 ||
	fail "channels: $(tail -n 8 "$T/channels.out")"
[ "$(count_log "$TURN_LOG" 'ALLOCATE processed, success')" -ge 2 ] ||
	fail "turnserver did not allocate twice"
grep -q "CHANNEL_BIND processed, success" "$TURN_LOG" ||
	fail "no ChannelBind reached turnserver"
ok "allocation and 20 messages both ways over channels, none lost"

n0=$(count_log "$TURN_LOG" 'ALLOCATE processed, success')
c0=$(count_log "$TURN_LOG" 'CHANNEL_BIND processed')
uclient "$T/send.out" -S -s -u u -w p -p "$P" -e 127.0.0.1 -r "$PP" \
	-n 10 127.0.0.1
uclient_ok "$T/send.out" 20 ||
	fail "send indications: $(tail -n 8 "$T/send.out")"
[ "$(count_log "$TURN_LOG" 'ALLOCATE processed, success')" -ge $((n0 + 2)) ] ||
	fail "turnserver did not allocate for the second client"
[ "$(count_log "$TURN_LOG" 'CHANNEL_BIND processed')" = "$c0" ] ||
	fail "-s bound channels"
grep -q "CREATE_PERMISSION processed, success" "$TURN_LOG" ||
	fail "no CreatePermission reached turnserver"
ok "20 messages both ways over Send and Data indications, none lost"

# two DTLS sessions at once per client, each its own TURN 5-tuple
stats server
ok_hs=$(stat_value server route-1 handshakes_ok)
[ "$ok_hs" -ge 4 ] || fail "$ok_hs handshakes, not 2 per client"
grep "stats route=route-1 " "$T/server.log" | tail -n 1 | grep -q stun_ &&
	fail "STUN dropped: $(grep 'stats route' "$T/server.log" | tail -n 1)"
ok "$ok_hs DTLS sessions served; no STUN message dropped"
