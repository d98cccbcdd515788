#!/bin/sh
# The snmp profile's client side when the agent answers with a Report:
#   snmpget -v2c -> dtlsgw (v2c -> TSM) -> DTLS -> dtlsgw (a plain relay)
#     -> snmp-tsm-agent.py, a scripted TSM agent on cleartext UDP
# A Report to a request sends the RFC 5343 probe again and the request
# once more, with a new msgID, and the manager gets the answer; a Report
# to that second try too, and the manager gets genErr, counted.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/snmp.sh"
command -v python3 >/dev/null || fail "python3 is not installed"
certs

A=$(free_port)
R=$(free_port)
agent() {	# NAME REPORTS: the scripted agent on port A
	start "$1" python3 "$(dirname "$0")/snmp-tsm-agent.py" "$A" "$2"
	eval "PID_$1=\$LAST_PID"
	wait_log "$T/$1.log" "^listening" 10 || fail "the agent did not start"
}
agent agent1 1
gw relay -l "dtls://127.0.0.1:$R" -f "udp://127.0.0.1:$A" \
	--cert "$C/server.pem" --key "$C/server.key"
snmp_gw_client gw "$R"
P=$GWPORT

out=$(snmp_v2c snmpget "udp:127.0.0.1:$P" 1.3.6.1.2.1.1.5.0 2>&1) ||
	fail "snmpget after one Report: $out"
echo "$out" | grep -q 'STRING: "answer"' || fail "the answer: $out"
seq=$(cut -d' ' -f1 "$T/agent1.log" | grep -v listening | tr '\n' ' ')
[ "$seq" = "probe report probe response " ] ||
	fail "the agent saw: $seq"
first=$(awk '$1 == "report" { print $2 }' "$T/agent1.log")
second=$(awk '$1 == "response" { print $2 }' "$T/agent1.log")
[ "$first" != "$second" ] || fail "the retry kept msgID $first"
grep -q "a Report (1.3.6.1.6.3.12.1.1.5.0) to msgID $first: discovering again" \
	"$T/gw.log" || fail "no log line for the Report"
ok "a Report: discovered again, the request sent again as msgID $second, answered"

# Reports to the request and its retry: genErr to the manager
kill "$PID_agent1"
sleep 0.3
agent agent2 2
out=$(snmp_v2c snmpget "udp:127.0.0.1:$P" 1.3.6.1.2.1.1.5.0 2>&1) &&
	fail "an answer after two Reports: $out"
echo "$out" | grep -qi "genErr\|general failure" ||
	fail "not genErr after two Reports: $out"
seq=$(cut -d' ' -f1 "$T/agent2.log" | grep -v listening | tr '\n' ' ')
[ "$seq" = "report probe report " ] || fail "the agent saw: $seq"
stats gw
[ "$(stat_value gw route-1 snmp_report)" = 1 ] ||
	fail "the second Report not counted"
ok "a Report to the retry too: genErr to the manager, counted"
