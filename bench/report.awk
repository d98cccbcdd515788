# bench/report.awk: bench/run's key=value lines (one per generator run,
# prefixed with scen=) into the Markdown section of bench/RESULTS.md.
# bench/run passes the machine and the settings with -v.

{
	n++
	for (i = 1; i <= NF; i++) {
		p = index($i, "=")
		if (p > 0)
			r[n, substr($i, 1, p - 1)] = substr($i, p + 1)
	}
}

# the run of scenario scen on path, with sess sessions and size bytes
function find(scen, path, sess, size,    i) {
	for (i = 1; i <= n; i++)
		if (r[i, "scen"] == scen && r[i, "label"] == path &&
		    (sess == "" || r[i, "sessions"] == sess) &&
		    (size == "" || r[i, "size"] == size))
			return i
	return 0
}

# of the runs of scen on path, the one with the most round trips/s
function best(scen, path,    i, b) {
	b = 0
	for (i = 1; i <= n; i++)
		if (r[i, "scen"] == scen && r[i, "label"] == path &&
		    (b == 0 || r[i, "dgrams_per_s"] + 0 > r[b, "dgrams_per_s"] + 0))
			b = i
	return b
}

function val(i, k) {
	return i ? r[i, k] : ""
}

function comma(x,    s, neg) {
	if (x == "")
		return ""
	x = sprintf("%.0f", x)
	neg = x ~ /^-/
	if (neg)
		x = substr(x, 2)
	s = ""
	while (length(x) > 3) {
		s = "," substr(x, length(x) - 2) s
		x = substr(x, 1, length(x) - 3)
	}
	return (neg ? "-" : "") x s
}

function f(x, d) {
	return x == "" ? "n/a" : sprintf("%." d "f", x)
}

# a ratio for the targets table: two decimals, three when two would show
# the target itself (2.0015 is a miss of 2.0, and should look like one)
function rx(x, t) {
	if (x == "")
		return "n/a"
	if (sprintf("%.2f", x) + 0 == t + 0 && x + 0 != t + 0)
		return sprintf("%.3fx", x)
	return sprintf("%.2fx", x)
}

function ratio(a, b) {
	return (a == "" || b == "" || b + 0 == 0) ? "" : a / b
}

function diff(a, b) {
	return (a == "" || b == "") ? "" : a - b
}

function verdict(x, op, t) {
	if (x == "")
		return "not measured"
	if (op == "<=")
		return x + 0 <= t ? "pass" : "**miss**"
	return x + 0 >= t ? "pass" : "**miss**"
}

function target(what, x, shown, op, t, tshown, note) {
	printf "| %s | %s | %s %s | %s%s |\n", what, x == "" ? "n/a" : shown,
	    op == "<=" ? "≤" : "≥", tshown, verdict(x, op, t),
	    note != "" ? " (" note ")" : ""
}

function cpu_ns(i) {
	return val(i, "cpu_ns_per_dgram")
}

function fx(x) {
	return x == "" ? "n/a" : sprintf("%.2fx", x)
}

# "98% / 97%": each CPU's busy share over the run (/proc/stat)
function busy(i,    a, k, out, j0) {
	if (val(i, "cpus_busy_pct") == "")
		return ""
	k = split(val(i, "cpus_busy_pct"), a, "/")
	out = ""
	for (j0 = 1; j0 <= k; j0++)
		out = out (j0 > 1 ? " / " : "") a[j0] "%"
	return out
}

function pct(i) {
	return val(i, "cpu_pct") == "" ? "" : sprintf("%.0f%%", val(i, "cpu_pct"))
}

END {
	paths = "direct relay socat dtlsgw"
	np = split(paths, P, " ")
	ns = split("1 100 1000", S, " ")	# closed: 1 session has 32 in flight
	nz = split("64 1200", Z, " ")

	# the suite negotiated on each DTLS path
	for (i = 1; i <= n; i++)
		if (r[i, "suite"] != "" && r[i, "suite"] != "-")
			suite[r[i, "label"]] = r[i, "proto"] " " r[i, "suite"]

	print "## dtlsgw against a plain relay and socat (`bench/run`)"
	print ""
	print "This section is written by `bench/run`; edit the script, not" \
	    " the text."
	print ""
	printf "Command: `%s` (build: `meson setup build`, buildtype %s), " \
	    "commit %s, %s.  \n", cmd, buildtype, commit, date
	printf "Machine: %s cores (%s), %s GiB, %s, kernel %s; wolfSSL %s " \
	    "(Debian %s), OpenSSL %s (Debian %s, socat's), socat %s.  \n",
	    cores, cpu, mem, os, kernel, wolfssl, wolfpkg, openssl, sslpkg,
	    socatv
	printf "DTLS: %s on the socat path, %s on the dtlsgw path; both " \
	    "servers present the same ECDSA P-256 certificate; the client " \
	    "is dtlsgw's own engine (%s), verify none.  \n",
	    suite["socat"] != "" ? suite["socat"] : "n/a",
	    suite["dtlsgw"] != "" ? suite["dtlsgw"] : "n/a",
	    client_engine == "openssl" ? "OpenSSL" : "wolfSSL"
	printf "dtlsgw: `dtlsgw --log-level warn --max-sessions 100000 " \
	    "-l dtls://127.0.0.1:P -f udp://127.0.0.1:ECHO --cert ... " \
	    "--key ...%s`.\n", gwopts
	print ""
	print "Every path ends at the same UDP echo (`bench/udp-echo.c`: one" \
	    " thread, recvmmsg/sendmmsg) and is driven by the same load" \
	    " generator (`bench/dtlsgw-bench`: libev, one connected UDP" \
	    " socket per session) with the same payloads:"
	print ""
	print "- `direct`: the generator against the echo, UDP."
	print "- `relay`: through `bench/udp-relay.c`, a plain UDP relay that" \
	    " is the ceiling for any relay (one thread, epoll," \
	    " recvmmsg/sendmmsg, one connected backend socket per client," \
	    " as dtlsgw has)."
	print "- `socat`: DTLS through `socat OPENSSL-DTLS-SERVER:P,fork," \
	    "... UDP:127.0.0.1:ECHO` (one process per DTLS peer)."
	print "- `dtlsgw`: DTLS through a server-side dtlsgw (`dtls -> udp`)."
	print ""
	printf "Each run measures %s s after %s s of warm-up (handshakes: " \
	    "%s s after 1 s).  A round trip is one datagram there and back; " \
	    "round trips/s counts those sent during the measured interval " \
	    "and answered, and MB/s is their payload one way.  Latency is " \
	    "send to reply, read from a log-linear histogram (128 buckets " \
	    "per power of two, within 0.4%%), not an average; a datagram " \
	    "not back within 500 ms is lost.  *Relay CPU* is the run time " \
	    "of the relay's threads (socat's forked children included) " \
	    "over the measured interval, from /proc/PID/task/*/schedstat " \
	    "(plus reaped children's cutime+cstime from /proc/PID/stat), " \
	    "in percent of one core; per datagram it is divided by the " \
	    "datagrams forwarded, two per round trip.  Not utime+stime " \
	    "alone: this kernel samples those at the tick, and 1,000 socat " \
	    "children each running in short bursts were charged almost " \
	    "nothing (0.25 s against 7 s of run time); for one busy process " \
	    "the two agree within 1%% (the generator prints both).\n\n",
	    secs, warm, hsecs
	if (pin == "yes")
		printf "CPUs: the %s cores are shared by the generator, the " \
		    "relay under test and the echo.  The latency runs put all " \
		    "three on CPU 0, so that what the relay adds is its own " \
		    "work and not cross-core wake-ups (tens of microseconds each " \
		    "on a VM, and varying from run to run); every other run " \
		    "puts the relay (socat with its children, dtlsgw with its " \
		    "threads) on CPU 1 and the generator and echo on CPU 0, " \
		    "except the workers runs, which leave the gateway free to " \
		    "use both.\n\n", cores
	else
		printf "CPUs: nothing pinned (BENCH_PIN=0); the %s cores are " \
		    "shared by the generator, the relay and the echo as the " \
		    "scheduler places them.\n\n", cores

	# ---- the figures the targets need ----
	for (k = 1; k <= nz; k++) {
		z = Z[k]
		g1[z] = find("latency", "dtlsgw", 1, z)
		l1[z] = find("latency", "relay", 1, z)
		gw32[z] = find("closed", "dtlsgw", 1, z)
		lw32[z] = find("closed", "relay", 1, z)
	}
	hg = find("handshake", "dtlsgw")
	hs = find("handshake", "socat")
	w1 = best("workers", "dtlsgw-w1")
	w2 = best("workers", "dtlsgw-w2")

	# idle memory: the two largest counts give the slope
	m = 0
	for (i = 1; i <= n; i++)
		if (r[i, "scen"] == "idle" && r[i, "label"] == "dtlsgw" &&
		    r[i, "up"] + 0 > 0)
			idle[++m] = i
	for (a = 1; a <= m; a++)
		for (c = a + 1; c <= m; c++)
			if (r[idle[c], "up"] + 0 < r[idle[a], "up"] + 0) {
				t = idle[a]; idle[a] = idle[c]; idle[c] = t
			}
	proj = ""
	if (m >= 2) {
		ia = idle[m - 1]; ib = idle[m]
		slope = (r[ib, "rss_kb_after"] - r[ia, "rss_kb_after"]) * \
		    1024 / (r[ib, "up"] - r[ia, "up"])
		proj = r[ib, "rss_kb_after"] * 1024 + \
		    (100000 - r[ib, "up"]) * slope
	}

	print "### Targets"
	print ""
	print "| target | measured | target | result |"
	print "|---|---|---|---|"
	for (k = 1; k <= nz; k++) {
		z = Z[k]
		x = ratio(cpu_ns(gw32[z]), cpu_ns(lw32[z]))
		target("CPU per forwarded datagram, 1 session (32 in flight), " \
		    z " B: dtlsgw / relay", x, rx(x, z == 64 ? 1.5 : 2.0) " (" \
		    comma(cpu_ns(gw32[z])) " / " comma(cpu_ns(lw32[z])) \
		    " ns)", "<=", z == 64 ? 1.5 : 2.0,
		    z == 64 ? "1.5x" : "2.0x", "")
	}
	for (j = 1; j <= 3; j++)
		for (k = 1; k <= nz; k++) {
			z = Z[k]
			sess = j == 1 ? 1 : (j == 2 ? 100 : 1000)
			what = j == 1 ? "1 session (32 in flight)" : \
			    comma(sess) " sessions (1 in flight each)"
			x = ratio(val(find("closed", "dtlsgw", sess, z),
			    "dgrams_per_s"),
			    val(find("closed", "socat", sess, z),
			    "dgrams_per_s"))
			target("round trips/s, " what ", " z " B: dtlsgw / " \
			    "socat", x, rx(x, sess == 1000 ? 3 : 1.2), ">=",
			    sess == 1000 ? 3 : 1.2,
			    sess == 1000 ? "3x" : "1.2x", "")
		}
	for (k = 1; k <= nz; k++) {
		z = Z[k]
		x = diff(val(g1[z], "p50_us"), val(l1[z], "p50_us"))
		target("p50 added over the relay, 1 session, 1 in flight, " z \
		    " B", x, f(x, 1) " us (" f(val(g1[z], "p50_us"), 1) \
		    " - " f(val(l1[z], "p50_us"), 1) ")", "<=", 5, "5 us", "")
	}
	for (k = 1; k <= nz; k++) {
		z = Z[k]
		x = ratio(val(g1[z], "p99_us"), val(g1[z], "p50_us"))
		target("dtlsgw p99 / its p50, 1 session, 1 in flight, " z " B",
		    x, rx(x, 2) " (" f(val(g1[z], "p99_us"), 1) " / " \
		    f(val(g1[z], "p50_us"), 1) " us)", "<=", 2, "2x", "")
	}
	x = val(hg, "hs_per_cpu_s")
	target("full DTLS 1.2 handshakes per second of gateway CPU (per " \
	    "core)", x, comma(x), ">=", 3000, "3,000", "")
	x = ratio(val(hg, "hs_per_s"), val(hs, "hs_per_s"))
	target("full handshakes/s: dtlsgw / socat", x, rx(x, 8) " (" \
	    comma(val(hg, "hs_per_s")) " / " comma(val(hs, "hs_per_s")) ")",
	    ">=", 8, "8x", "per CPU-second of each server: " \
	    f(ratio(val(hg, "hs_per_cpu_s"), val(hs, "hs_per_cpu_s")), 1) \
	    "x; CPUs busy: " busy(hg) ", see below")
	x = proj == "" ? "" : proj / 1073741824
	target("RSS of 100,000 idle sessions", x, f(x, 2) " GiB, " \
	    "**extrapolated**", "<=", 2, "2 GiB", m >= 2 ? "measured up " \
	    "to " comma(r[idle[m], "up"]) " sessions" : "")
	x = ratio(val(w2, "dgrams_per_s"), val(w1, "dgrams_per_s"))
	target("round trips/s, 100 sessions, 64 B: 2 workers / 1 worker", x,
	    rx(x, 1.7), ">=", 1.7, "1.7x", one_worker == "yes" ? \
	    "this dtlsgw runs one worker whatever --workers says" : "")
	print ""
	print "The p99 target is read as the gateway path's own p99 against " \
	    "its own p50."
	print ""

	# ---- latency ----
	print "### Latency: 1 session, 1 datagram in flight, one core"
	print ""
	print "| size | path | round trips/s | p50 us | p99 us | p99.9 us | " \
	    "p50 added over relay | relay CPU | relay CPU ns/datagram |"
	print "|---|---|---|---|---|---|---|---|---|"
	for (k = 1; k <= nz; k++)
		for (q = 1; q <= np; q++) {
			i = find("latency", P[q], 1, Z[k])
			if (!i)
				continue
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			    comma(Z[k]), P[q], comma(val(i, "dgrams_per_s")),
			    f(val(i, "p50_us"), 1), f(val(i, "p99_us"), 1),
			    f(val(i, "p999_us"), 1),
			    P[q] == "direct" || P[q] == "relay" ? "" : \
			    f(diff(val(i, "p50_us"), val(l1[Z[k]], "p50_us")),
			    1) " us", pct(i), comma(cpu_ns(i))
		}
	print ""

	# ---- closed loop ----
	print "### Closed loop: throughput"
	print ""
	print "| sessions | in flight each | size | path | round trips/s | " \
	    "MB/s | p50 us | p99 us | p99.9 us | lost | relay CPU | relay " \
	    "CPU ns/datagram | CPUs busy | sessions up in |"
	print "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
	for (j = 1; j <= ns; j++)
		for (k = 1; k <= nz; k++)
			for (q = 1; q <= np; q++) {
				i = find("closed", P[q], S[j], Z[k])
				if (!i)
					continue
				printf "| %s | %s | %s | %s | %s | %s | %s | " \
				    "%s | %s | %s | %s | %s | %s | %s |\n",
				    comma(S[j]), val(i, "window"), comma(Z[k]),
				    P[q], comma(val(i, "dgrams_per_s")),
				    f(val(i, "bytes_per_s") / 1e6, 1),
				    f(val(i, "p50_us"), 1),
				    f(val(i, "p99_us"), 1),
				    f(val(i, "p999_us"), 1),
				    comma(val(i, "lost")), pct(i),
				    comma(cpu_ns(i)), busy(i),
				    P[q] == "socat" || P[q] == "dtlsgw" ? \
				    f(val(i, "setup_s"), 2) " s" : ""
			}
	print ""

	print "### Ratios to the plain relay and to socat (closed loop)"
	print ""
	print "| sessions | size | dtlsgw / relay CPU per datagram | " \
	    "dtlsgw / relay round trips/s | dtlsgw p50 added over relay | " \
	    "socat / relay CPU per datagram | dtlsgw / socat round trips/s " \
	    "| dtlsgw / socat CPU per datagram |"
	print "|---|---|---|---|---|---|---|---|"
	for (j = 1; j <= ns; j++)
		for (k = 1; k <= nz; k++) {
			gi = find("closed", "dtlsgw", S[j], Z[k])
			li = find("closed", "relay", S[j], Z[k])
			si = find("closed", "socat", S[j], Z[k])
			printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n",
			    comma(S[j]) " (" val(gi, "window") " in flight)",
			    comma(Z[k]),
			    fx(ratio(cpu_ns(gi), cpu_ns(li))),
			    fx(ratio(val(gi, "dgrams_per_s"),
			    val(li, "dgrams_per_s"))),
			    f(diff(val(gi, "p50_us"), val(li, "p50_us")), 1) \
			    " us",
			    fx(ratio(cpu_ns(si), cpu_ns(li))),
			    fx(ratio(val(gi, "dgrams_per_s"),
			    val(si, "dgrams_per_s"))),
			    fx(ratio(cpu_ns(gi), cpu_ns(si)))
		}
	print ""

	printf "### Offered rate: 100 sessions, %s datagrams/s in all " \
	    "(open loop)\n\n", comma(rate)
	print "| size | path | round trips/s | p50 us | p99 us | p99.9 us | " \
	    "lost | relay CPU | relay CPU ns/datagram | CPUs busy |"
	print "|---|---|---|---|---|---|---|---|---|---|"
	for (k = 1; k <= nz; k++)
		for (q = 1; q <= np; q++) {
			i = find("rate", P[q], 100, Z[k])
			if (!i)
				continue
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s " \
			    "| %s |\n",
			    comma(Z[k]), P[q], comma(val(i, "dgrams_per_s")),
			    f(val(i, "p50_us"), 1), f(val(i, "p99_us"), 1),
			    f(val(i, "p999_us"), 1), comma(val(i, "lost")),
			    pct(i), comma(cpu_ns(i)), busy(i)
		}
	print ""

	print "### Full handshakes"
	print ""
	print "Each handshake is a new session from a new source port: " \
	    "ClientHello, HelloVerifyRequest, full ECDHE-ECDSA handshake, " \
	    "then close_notify; no resumption."
	print ""
	print "| path | in progress | handshakes/s | p50 ms | p99 ms | " \
	    "relay CPU | handshakes per CPU-second of the relay | " \
	    "generator CPU | CPUs busy |"
	print "|---|---|---|---|---|---|---|---|---|"
	split("dtlsgw socat", H, " ")
	for (q = 1; q <= 2; q++) {
		i = find("handshake", H[q])
		if (!i)
			continue
		printf "| %s | %s | %s | %s | %s | %s%% | %s | %s%% | %s |\n",
		    H[q], val(i, "concurrency"), comma(val(i, "hs_per_s")),
		    f(val(i, "hs_p50_ms"), 2), f(val(i, "hs_p99_ms"), 2),
		    f(val(i, "cpu_pct"), 0), comma(val(i, "hs_per_cpu_s")),
		    f(val(i, "gen_cpu_pct"), 0), busy(i)
	}
	print ""

	print "### Memory per idle session"
	print ""
	print "A fresh relay for each count; sessions brought up, nothing " \
	    "sent, memory read after the hold (dtlsgw: past the 15 s after " \
	    "which an idle session's handshake state goes and its records " \
	    "become the gateway's own).  dtlsgw: VmRSS of its process; " \
	    "socat: its parent and every child, VmRSS summed (which counts " \
	    "shared pages once per process) and Pss (which does not)."
	print ""
	print "| path | sessions | brought up in | handshakes/s | hold " \
	    "| RSS before | RSS after | RSS per session | Pss per session |"
	print "|---|---|---|---|---|---|---|---|---|"
	for (i = 1; i <= n; i++) {
		if (r[i, "scen"] != "idle")
			continue
		printf "| %s | %s | %s s | %s | %s s | %s MiB | %s MiB | %s B " \
		    "| %s B |\n", r[i, "label"], comma(r[i, "up"]),
		    f(r[i, "setup_s"], 2), comma(r[i, "setup_hs_per_s"]),
		    r[i, "hold_s"],
		    f(r[i, "rss_kb_before"] / 1024, 1),
		    f(r[i, "rss_kb_after"] / 1024, 1),
		    comma(r[i, "rss_bytes_per_session"]),
		    comma(r[i, "pss_bytes_per_session"])
	}
	if (proj != "")
		printf "| dtlsgw, **extrapolated** | 100,000 | | | | | %s MiB | " \
		    "%s B | |\n", f(proj / 1048576, 0), comma(slope)
	print ""
	if (proj != "")
		printf "The 100,000 row is not measured: a straight line " \
		    "through the %s- and %s-session points (%s bytes per " \
		    "session between them).\n\n", comma(r[ia, "up"]),
		    comma(r[ib, "up"]), comma(slope)

	print "### One worker, two workers"
	print ""
	print "100 sessions, 1 datagram in flight each, 64 bytes; the " \
	    "generator and the echo on CPU 0, the gateway on either core.  " \
	    "Each count ran twice, alternating; the target takes the better " \
	    "run of each."
	print ""
	print "| workers | round trips/s | p50 us | p99 us | relay CPU | " \
	    "relay CPU ns/datagram | CPUs busy |"
	print "|---|---|---|---|---|---|---|"
	for (i = 1; i <= n; i++) {
		if (r[i, "scen"] != "workers")
			continue
		printf "| %s | %s | %s | %s | %s%% | %s | %s |\n",
		    substr(r[i, "label"], 9), comma(val(i, "dgrams_per_s")),
		    f(val(i, "p50_us"), 1), f(val(i, "p99_us"), 1),
		    f(val(i, "cpu_pct"), 0), comma(cpu_ns(i)), busy(i)
	}
	print ""

	print "### What limits these figures"
	print ""
	# runs where CPU 0 (the generator and the echo) was saturated
	nsat = 0
	nthr = 0
	steal = 0
	for (i = 1; i <= n; i++) {
		k = split(r[i, "cpus_steal_pct"], cs, "/")
		for (j = 1; j <= k; j++)
			if (cs[j] + 0 > steal)
				steal = cs[j] + 0
		if (r[i, "scen"] != "closed" && r[i, "scen"] != "rate" &&
		    r[i, "scen"] != "handshake")
			continue
		nthr++
		split(r[i, "cpus_busy_pct"], cb, "/")
		if (cb[1] + 0 >= 95)
			nsat++
	}
	printf "- The generator does the client's half of every DTLS " \
	    "operation and shares the machine with the relay and the echo.  " \
	    "*CPUs busy* is each CPU's busy share over the run (/proc/stat; " \
	    "time stolen by the hypervisor peaked at %s%% of a CPU in any " \
	    "run)%s.  In %d of the %d throughput, rate and handshake runs " \
	    "CPU 0 was 95%% busy or more: there the generator and the echo " \
	    "may have set the pace, so round trips/s and handshakes/s are " \
	    "lower bounds of what the relay could carry, while the relay's " \
	    "CPU per datagram or per handshake is its own.\n",
	    steal, pin == "yes" ? ": CPU 0 carries the generator and the " \
	    "echo, CPU 1 the relay" : "", nsat, nthr
	print "- Handshakes: the client's half of a full handshake (ECDHE " \
	    "and an ECDSA verify of the ServerKeyExchange) costs about as " \
	    "much as the server's, and the client has one core, so " \
	    "handshakes/s is what the pair reached; handshakes per " \
	    "CPU-second of the relay is the server's own cost, the figure " \
	    "the per-core target is about."
	print "- socat: sessions are brought up one at a time (`-c 1`): " \
	    "socat's parent hands its socket to each forked child and " \
	    "binds a new one, and first flights that arrive in between are " \
	    "lost and wait for a 1 s retransmission.  1,000 socat sessions " \
	    "are 1,000 processes."
	printf "- Idle sessions: one socket per session on each side and " \
	    "a hard limit of %s descriptors per process here (`ulimit " \
	    "-Hn`) cap a run near %s sessions; the kernel's " \
	    "ephemeral port range (one connected backend socket per " \
	    "session) would cap it near 28,000.  100,000 is extrapolated.\n",
	    comma(fdlim), (m >= 1 ? comma(r[idle[m], "up"]) : "n/a")
	printf "- Workers: with %s cores, a second worker competes with " \
	    "the generator for CPU 0, so this machine cannot show what two " \
	    "workers carry on two free cores.", cores
	if (one_worker == "yes")
		printf "  This dtlsgw accepts `--workers 2` but logs that it " \
		    "runs one worker, so the two-worker rows measure one worker " \
		    "again and their difference is the noise of where the " \
		    "scheduler put it."
	print "  `DTLSGW_WORKERS=N bench/run` passes `--workers N` to every " \
	    "other dtlsgw run."
	print ""
	print "![p50, p99 and p99.9 of every path and size](latency.png)"
}
