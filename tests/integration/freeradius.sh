# A private FreeRADIUS 3.2 and radclient inputs for the RADIUS scenarios.
# Source after lib.sh (it uses $T, start, fail, wait_log).
#
#   start_freeradius NAME AUTH_PORT ACCT_PORT COA_PORT SECRET [SECRET2 ...]
#	write a configuration from scratch in $T/NAME/ and run
#	"freeradius -f" (FR_DEBUG=1: -X) as root, logging to $T/NAME.log;
#	return once it answers Status-Server on both ports, fail otherwise.
#	It listens on 127.0.0.1 only: authentication on AUTH_PORT,
#	accounting on ACCT_PORT (both answer Status-Server) and, acting as a
#	NAS, CoA/Disconnect on COA_PORT (CoA-ACK / Disconnect-ACK with
#	Reply-Message "coa USER" / "disconnect USER").
#	Clients: 127.0.0.1 and ::1 with SECRET; each further secret is one
#	more loopback client: SECRET2 for 127.0.0.2, SECRET3 for 127.0.0.3...
#	Secrets must not hold '"', '\' or blanks.
#	Sets FR_DIR ($T/NAME), FR_PID, FR_DETAIL and FR_COA_DETAIL (each
#	call overwrites them: copy them to run several servers). FreeRADIUS
#	is ready about 50 ms after it starts; start_freeradius returns after
#	about 90 ms. FR_DEBUG=1 runs "freeradius -X" instead (single
#	threaded, every packet in the log, hidden attributes in clear).
#	Nothing is written outside $T/NAME and $T/NAME.log.
#
#   Users (users file $T/NAME/users):
#	bob / hello	Access-Accept, Reply-Message "hello bob"
#	carol / hello	Access-Accept, Reply-Message "hello carol",
#			Tunnel-Password:1 "tunnel-secret-1", MS-MPPE-Send-Key
#			$FR_SEND_KEY, MS-MPPE-Recv-Key $FR_RECV_KEY (hidden
#			attributes, salted with the request authenticator)
#	alice / chap-pass  (CHAP, or PAP) Access-Accept, no attributes
#	dave / hello	Access-Challenge, Reply-Message "challenge dave",
#			State 0x64617665
#	load<i> / pass<i>  Access-Accept, Reply-Message "ok load<i>", for
#			i < the count given to radius_users_for_load
#	Anybody else, or a wrong password: Access-Reject with no attribute
#	(besides Message-Authenticator), sent at once (reject_delay = 0;
#	FR_REJECT_DELAY=N before start_freeradius: N seconds later).
#	Accounting-Request: Accounting-Response, each request appended to
#	the detail file $FR_DETAIL (one block per request: a date line,
#	then "\tAttribute = value" lines, then a blank line); CoA and
#	Disconnect requests likewise to $FR_COA_DETAIL.
#
#   Message-Authenticator. FreeRADIUS 3.2.1 never puts one in a reply
#	by itself (require_message_authenticator only makes it drop
#	Access-Requests without one; limit_proxy_state does not exist before
#	3.2.5 and is ignored). Set before start_freeradius:
#	FR_REPLY_MA=1 (default)  a policy adds Message-Authenticator to every
#			Access-Accept, -Reject and -Challenge and to the
#			answers to Status-Server, as 3.2.5 and later do
#	FR_REPLY_MA=0	no Message-Authenticator in any reply (stock 3.2.1)
#	FR_REQUIRE_MA=1	require_message_authenticator = yes: Access-Requests
#			without one are dropped silently (default 0)
#	and for the requests radclient sends (wrappers and load files):
#	RADIUS_MA=1 (default)  every Access-Request carries one
#	RADIUS_MA=0	none (radclient's own default)
#
#   radius_users_for_load N
#	add users load0..load(N-1) to every later start_freeradius (N=0:
#	none, the default). 20000 users load in no visible time.
#
#   radius_load_files DIR N PROCS
#	write DIR/load-K.req and DIR/load-K.filter for K in 0..PROCS-1, user
#	i going to file i % PROCS. The radclient file format: one request
#	per block of "Attribute = value" lines, blocks separated by a blank
#	line; the filter file holds as many blocks, in the same order, the
#	Kth checking the reply to the Kth request. A filter block must match
#	the whole reply: every attribute of the reply needs a line, and
#	Response-Packet-Type gives the expected code. So each filter is
#	    Response-Packet-Type == Access-Accept
#	    Reply-Message == "ok loadI"
#	    Message-Authenticator =* ANY	(unless RADIUS_EXPECT_MA=0, which
#					 defaults to FR_REPLY_MA)
#	and each request carries Radclient-Test-Name = "loadI" (not sent,
#	it names the request in radclient's error messages).
#
#   radius_load_run DIR PROCS HOST PORT SECRET
#	run PROCS radclients at once, one per DIR/load-K.req:load-K.filter,
#	with $RADIUS_LOAD_OPTS (default "-s -p 32 -r 3 -t 2"); each one's
#	output in DIR/load-K.out. Returns 0 only when every radclient exited
#	0: every request answered with its own Access-Accept and
#	Reply-Message. Prints the failing radclients' complaints otherwise.
#
#   radius_auth HOST PORT SECRET USER PASS	(PAP)
#   radius_chap HOST PORT SECRET USER PASS	(CHAP)
#   radius_acct HOST PORT SECRET STATUS SESSION_ID USER
#	STATUS: Start, Interim-Update or Stop
#   radius_status HOST PORT SECRET		(Status-Server)
#   radius_coa HOST PORT SECRET USER		(CoA-Request)
#   radius_disconnect HOST PORT SECRET USER	(Disconnect-Request)
#	each runs "radclient -x -r $RADIUS_RETRIES -t $RADIUS_TIMEOUT"
#	(default 2 sends, 2 s each: 4 s without an answer) and prints
#	its output, stderr included: grep "Received Access-Accept" etc.
#	The status is radclient's: 0 when the reply is the positive one
#	(Access-Accept, Accounting-Response, CoA-ACK, Disconnect-ACK; any
#	answer to Status-Server on a port other than 1812/1645/1813/1646),
#	1 when no valid reply came (no answer, or a reply failing its
#	authenticator or Message-Authenticator check: a wrong secret) or it
#	was another code (so an Access-Reject gives 1: grep the output).
#	HOST may be an IPv6 address (::1). RADIUS_EXTRA, when set, holds
#	more "Attribute = value" lines for the request (e.g. Proxy-State).
#
# radclient itself (3.2.1, read from its source and measured):
#   -f REQ[:FILTER]  requests from REQ, one per block of "Attribute = value"
#	lines, blocks separated by a blank line (stdin without -f); FILTER
#	holds as many blocks, in order, and radclient fails when their
#	numbers differ. Several -f are sent in parallel.
#   -p N  at most N requests of a file outstanding (default 1: one after
#	the other). radclient walks its whole list of requests on each
#	round of at most N sends, so one file of R requests costs O(R^2/N):
#	split big loads over files (500 a file is cheap).
#   -r N  sends per request (default 10; 1: no retransmission).
#   -t S  wait for a reply before the next send or giving up (default 3),
#	in whole seconds in effect (select() on whole seconds, time(NULL)
#	compared): a request nobody answers costs about r * ceil(S) seconds
#	(-r 2 -t 2: 4.0 s, -r 1 -t 1: 1.0 s, -r 1 -t 0.1: <= 1 s).
#   -s  a summary on stdout, even with -q: Accepted, Rejected, Lost,
#	Passed filter, Failed filter.
#   -q  nothing else, not even why a request failed.
#   -x  the attributes of every packet; without -x and -q, one
#	"Sent"/"Received" line per packet, and the errors on stderr.
#   Without a filter, the expected code is the positive answer to the
#   request (Response-Packet-Type in the request or the filter sets it);
#   a reply failing its authenticator or Message-Authenticator check
#   (wrong secret) counts as lost. Exit status: 1 when any request was
#   lost, got another code or failed its filter, or on a usage or file
#   error; 0 otherwise.
#   With 4 radclients of -p 64 against a socket with the default 208 KiB
#   receive buffer, the kernel drops requests (UDP RcvbufErrors) and
#   radclient waits for its retransmissions: the listeners ask for 4 MiB
#   (recv_buff, capped by net.core.rmem_max) and radius_load_run keeps
#   -p 32.

FR_SEND_KEY=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
FR_RECV_KEY=0x202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
FR_LOAD_USERS=0

radius_users_for_load() {
	FR_LOAD_USERS=$1
}

# _fr_secret_ok SECRET: whether it can be written in a quoted config string.
_fr_secret_ok() {
	case $1 in
	'' | *[\"\\[:space:]]*) return 1 ;;
	esac
	return 0
}

_fr_write_config() {
	_d=$1 _auth=$2 _acct=$3 _coa=$4 _secret=$5
	shift 5
	_ma_reply='# FR_REPLY_MA=0: no Message-Authenticator added'
	if [ "${FR_REPLY_MA:-1}" = 1 ]; then
		_ma_reply='update reply {
				Message-Authenticator := 0x00
			}'
	fi
	_req_ma=no
	[ "${FR_REQUIRE_MA:-0}" = 1 ] && _req_ma=yes

	# Everything in one file: no mods-enabled/, sites-enabled/, EAP,
	# certificates or inner-tunnel; no user/group switch (root).
	cat >"$_d/radiusd.conf" <<EOF
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = $_d
sbindir = /usr/sbin
logdir = $_d
raddbdir = $_d
radacctdir = $_d
name = freeradius
confdir = $_d
modconfdir = $_d
certdir = $_d
cadir = $_d
run_dir = $_d
db_dir = $_d
libdir = /usr/lib/freeradius
pidfile = $_d/radiusd.pid
max_request_time = 10
cleanup_delay = 2
max_requests = 65536
hostname_lookups = no

log {
	destination = stdout
	colourise = no
	stripped_names = no
	auth = yes
	auth_badpass = no
	auth_goodpass = no
}

security {
	allow_core_dumps = no
	max_attributes = 200
	reject_delay = ${FR_REJECT_DELAY:-0}
	status_server = yes
}

proxy_requests = no

thread pool {
	start_servers = 8
	max_servers = 32
	min_spare_servers = 4
	max_spare_servers = 16
	max_requests_per_server = 0
	auto_limit_acct = no
}

client lo4 {
	ipaddr = 127.0.0.1
	secret = "$_secret"
	require_message_authenticator = $_req_ma
}
client lo6 {
	ipaddr = ::1
	secret = "$_secret"
	require_message_authenticator = $_req_ma
}
EOF
	_n=2
	for _s in "$@"; do
		cat >>"$_d/radiusd.conf" <<EOF
client lo4_$_n {
	ipaddr = 127.0.0.$_n
	secret = "$_s"
	require_message_authenticator = $_req_ma
}
EOF
		_n=$((_n + 1))
	done
	cat >>"$_d/radiusd.conf" <<EOF

modules {
	always ok {
		rcode = ok
	}
	always reject {
		rcode = reject
	}
	pap {
	}
	chap {
	}
	files {
		filename = $_d/users
	}
	detail {
		filename = $_d/detail
		permissions = 0600
		header = "%t"
	}
	detail coa_detail {
		filename = $_d/coa-detail
		permissions = 0600
		header = "%t"
	}
}

server default {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = $_auth
		recv_buff = 4194304
	}
	listen {
		type = acct
		ipaddr = 127.0.0.1
		port = $_acct
		recv_buff = 4194304
	}
	authorize {
		Autz-Type Status-Server {
			$_ma_reply
			ok
		}
		files
		chap
		pap
	}
	authenticate {
		Auth-Type PAP {
			pap
		}
		Auth-Type CHAP {
			chap
		}
	}
	preacct {
		ok
	}
	accounting {
		Acct-Type Status-Server {
			ok
		}
		detail
		ok
	}
	post-auth {
		$_ma_reply
		Post-Auth-Type REJECT {
			# what the users file put in the reply is for an Accept
			update {
				&reply: !* ANY
			}
			$_ma_reply
		}
		Post-Auth-Type Challenge {
			$_ma_reply
		}
	}
}

server coa {
	listen {
		type = coa
		ipaddr = 127.0.0.1
		port = $_coa
		recv_buff = 4194304
	}
	recv-coa {
		coa_detail
		if (&request:Packet-Type == Disconnect-Request) {
			update reply {
				Reply-Message := "disconnect %{User-Name}"
			}
		}
		else {
			update reply {
				Reply-Message := "coa %{User-Name}"
			}
		}
		ok
	}
	send-coa {
		ok
	}
}
EOF

	cat >"$_d/users" <<EOF
bob	Cleartext-Password := "hello"
	Reply-Message = "hello bob"

carol	Cleartext-Password := "hello"
	Reply-Message = "hello carol",
	Tunnel-Password:1 = "tunnel-secret-1",
	MS-MPPE-Send-Key = $FR_SEND_KEY,
	MS-MPPE-Recv-Key = $FR_RECV_KEY

alice	Cleartext-Password := "chap-pass"

dave	Cleartext-Password := "hello", Response-Packet-Type := Access-Challenge
	Reply-Message = "challenge dave",
	State = 0x64617665

EOF
	awk -v n="${FR_LOAD_USERS:-0}" 'BEGIN {
		for (i = 0; i < n; i++)
			printf "load%d\tCleartext-Password := \"pass%d\"\n" \
			    "\tReply-Message = \"ok load%d\"\n\n", i, i, i
	}' >>"$_d/users"
}

start_freeradius() {
	[ $# -ge 5 ] ||
		fail "usage: start_freeradius NAME AUTH ACCT COA SECRET [SECRET2...]"
	_frname=$1
	shift
	_fra=$1 _frb=$2 _frc=$3
	shift 3
	for _s in "$@"; do
		_fr_secret_ok "$_s" || fail "start_freeradius: bad secret '$_s'"
	done
	if [ "$_fra" = "$_frb" ] || [ "$_fra" = "$_frc" ] ||
		[ "$_frb" = "$_frc" ]; then
		fail "start_freeradius: ports $_fra $_frb $_frc not distinct"
	fi
	FR_DIR=$T/$_frname
	# shellcheck disable=SC2034 # for the tests
	FR_DETAIL=$FR_DIR/detail
	# shellcheck disable=SC2034 # for the tests
	FR_COA_DETAIL=$FR_DIR/coa-detail
	rm -rf "$FR_DIR"
	mkdir -m 700 "$FR_DIR" || fail "cannot make $FR_DIR"
	_fr_write_config "$FR_DIR" "$_fra" "$_frb" "$_frc" "$@"

	if [ "${FR_DEBUG:-0}" = 1 ]; then
		start "$_frname" freeradius -X -d "$FR_DIR"
	else
		start "$_frname" freeradius -f -l stdout -d "$FR_DIR"
	fi
	FR_PID=$LAST_PID
	_frlog=$T/$_frname.log

	# "Ready to process requests" once every socket is bound; a bad
	# configuration or a port in use ends the process instead
	_n=500
	until grep -q 'Ready to process requests' "$_frlog" 2>/dev/null; do
		kill -0 "$FR_PID" 2>/dev/null ||
			fail "freeradius $_frname exited at startup"
		[ "$_n" -gt 0 ] ||
			fail "freeradius $_frname not ready after 10 s"
		sleep 0.02
		_n=$((_n - 1))
	done
	for _p in "$_fra" "$_frb"; do
		echo 'Message-Authenticator = 0x00' |
			radclient -x -r 3 -t 1 "127.0.0.1:$_p" status "$1" \
			    >"$FR_DIR/probe.out" 2>&1 ||
			fail "freeradius $_frname: no answer to Status-Server" \
			    "on port $_p: $(cat "$FR_DIR/probe.out")"
	done
}

# _radclient HOST PORT CODE SECRET: radclient with the attributes on stdin.
_radclient() {
	case $1 in
	*:*) set -- -6 "[$1]:$2" "$3" "$4" ;;
	*) set -- "$1:$2" "$3" "$4" ;;
	esac
	radclient -x -r "${RADIUS_RETRIES:-2}" -t "${RADIUS_TIMEOUT:-2}" \
	    "$@" 2>&1
}

# _radius_more: the request's optional lines.
_radius_more() {
	[ "${RADIUS_MA:-1}" = 1 ] && echo 'Message-Authenticator = 0x00'
	[ -n "${RADIUS_EXTRA:-}" ] && printf '%s\n' "$RADIUS_EXTRA"
	:
}

radius_auth() {
	{
		printf 'User-Name = "%s"\nUser-Password = "%s"\n' "$4" "$5"
		_radius_more
	} | _radclient "$1" "$2" auth "$3"
}

radius_chap() {
	{
		printf 'User-Name = "%s"\nCHAP-Password = "%s"\n' "$4" "$5"
		_radius_more
	} | _radclient "$1" "$2" auth "$3"
}

radius_acct() {
	{
		printf 'Acct-Status-Type = %s\n' "$4"
		printf 'Acct-Session-Id = "%s"\n' "$5"
		printf 'User-Name = "%s"\n' "$6"
		printf 'NAS-IP-Address = 127.0.0.1\nNAS-Port = 1\n'
		[ "$4" = Start ] || printf 'Acct-Session-Time = 60\n'
		[ -n "${RADIUS_EXTRA:-}" ] && printf '%s\n' "$RADIUS_EXTRA"
	} | _radclient "$1" "$2" acct "$3"
}

radius_status() {
	echo 'Message-Authenticator = 0x00' | _radclient "$1" "$2" status "$3"
}

# _radius_dm HOST PORT SECRET USER CODE: a CoA or Disconnect request.
_radius_dm() {
	{
		printf 'User-Name = "%s"\nAcct-Session-Id = "coa-%s"\n' "$4" "$4"
		[ -n "${RADIUS_EXTRA:-}" ] && printf '%s\n' "$RADIUS_EXTRA"
	} | _radclient "$1" "$2" "$5" "$3"
}

radius_coa() {
	_radius_dm "$1" "$2" "$3" "$4" coa
}

radius_disconnect() {
	_radius_dm "$1" "$2" "$3" "$4" disconnect
}

radius_load_files() {
	mkdir -p "$1" || fail "cannot make $1"
	awk -v dir="$1" -v n="$2" -v procs="$3" -v ma="${RADIUS_MA:-1}" \
	    -v expect_ma="${RADIUS_EXPECT_MA:-${FR_REPLY_MA:-1}}" 'BEGIN {
		for (i = 0; i < n; i++) {
			k = i % procs
			req = dir "/load-" k ".req"
			flt = dir "/load-" k ".filter"
			printf "Radclient-Test-Name = \"load%d\"\n" \
			    "User-Name = \"load%d\"\n" \
			    "User-Password = \"pass%d\"\n", i, i, i >req
			if (ma == 1)
				print "Message-Authenticator = 0x00" >req
			print "" >req
			printf "Response-Packet-Type == Access-Accept\n" \
			    "Reply-Message == \"ok load%d\"\n", i >flt
			if (expect_ma == 1)
				print "Message-Authenticator =* ANY" >flt
			print "" >flt
		}
	}' || fail "cannot write the load files in $1"
}

radius_load_run() {
	_ld=$1 _lp=$2 _lhost=$3 _lport=$4 _lsecret=$5
	case $_lhost in
	*:*) _ltarget="-6 [$_lhost]:$_lport" ;;
	*) _ltarget="$_lhost:$_lport" ;;
	esac
	_lpids=""
	_k=0
	while [ "$_k" -lt "$_lp" ]; do
		# shellcheck disable=SC2086 # options and target are word lists
		radclient ${RADIUS_LOAD_OPTS:--s -p 32 -r 3 -t 2} \
		    -f "$_ld/load-$_k.req:$_ld/load-$_k.filter" \
		    $_ltarget auth "$_lsecret" >"$_ld/load-$_k.out" 2>&1 &
		_lpids="$_lpids $!"
		_k=$((_k + 1))
	done
	_lrc=0
	_k=0
	for _p in $_lpids; do
		if ! wait "$_p"; then
			_lrc=1
			echo "radclient load-$_k failed:"
			grep -v -e '^Sent ' -e '^Received ' "$_ld/load-$_k.out" |
				head -n 20
		fi
		_k=$((_k + 1))
	done
	return "$_lrc"
}
