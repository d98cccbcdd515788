/*
 * dtlsgw-bench: the load generator of the benchmarks.  One thread, one
 * libev loop; N sessions, each its own connected UDP socket, speaking
 * DTLS 1.2 through the gateway's own engine (include/dtlsgw/dtls.h, as a
 * client with verify none) or plain UDP, to anything that echoes.
 *
 *   dtlsgw-bench udp|dtls [OPTIONS]	round trips, closed or open loop
 *   dtlsgw-bench handshake [OPTIONS]	full handshakes as fast as it can,
 *					each a new session and source port
 *   dtlsgw-bench idle [OPTIONS]	bring N sessions up, send nothing,
 *					and read the relay's memory
 *   dtlsgw-bench freeport		print a free UDP port on 127.0.0.1
 *
 * Options:
 *   -a ADDR -p PORT	where to send (127.0.0.1)
 *   -n N		sessions (1)
 *   -w W		closed loop: W datagrams in flight per session (1)
 *   -r RATE		open loop instead: RATE datagrams/s over all sessions
 *   -s BYTES		payload size (64; at least 24)
 *   -d SECONDS		measured duration (3), after
 *   -u SECONDS		warm-up (1)
 *   -c K		handshakes in flight while bringing sessions up, and
 *			in handshake mode (32)
 *   -P PID		the relay: its CPU time over the measurement, and its
 *			memory before and after the sessions came up; the
 *			descendants of PID count too (socat forks per peer).
 *			CPU time is the run time of every thread (schedstat;
 *			see read_runtime()) plus what reaped children used;
 *			utime+stime is printed beside it as cpu_stat_s
 *   -L LABEL		first field of the output line
 *   -C CIPHERS		the client's cipher list (default: the engine's)
 *   -e ENGINE		the client's DTLS engine: wolfssl (default) or openssl
 *   -t MS		a datagram not back after MS is lost (500)
 *   -H SECONDS		idle mode: wait before reading memory (1)
 *   -S SECONDS		give up bringing sessions up after this long (120)
 *   -B INDEX		first source address/port index (default: from the
 *			PID, so that back-to-back runs use other ports)
 *   -1			source addresses: the kernel's choice, not spread
 *
 * Source addresses: towards 127.0.0.0/8, session i binds 127.1.x.y (4,000
 * addresses) and a port from 10000-29999, below the kernel's ephemeral
 * range, so that N client sockets and the N backend sockets of the relay
 * do not compete for ephemeral ports, and so that no source address has
 * more than a few handshakes in progress (dtlsgw limits that per address).
 * Consecutive runs start at other indices (-B): a socat child still
 * holding a socket connected to an old source port would otherwise take
 * the new session's datagrams.
 *
 * Output: one line of key=value pairs (see print_result()).  Latency is a
 * round trip, send to reply, in a log-linear histogram (bench-util.h: 128
 * buckets per power of two, within 0.4%); counted are the datagrams sent
 * during the measured interval.  A datagram whose reply has not come after
 * -t ms is lost; in closed loop the session then refills its window.
 * Everything is bounded: setup by -S, then warm-up, duration and one loss
 * timeout; a watchdog ends the program 30 s after that regardless.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ev.h>

#include "bench-util.h"
#include "dtlsgw/dtls.h"
#include "dtlsgw/errors.h"
#include "dtlsgw/log.h"

#define DG_MAX		2048
#define HDR_LEN		24	/* idx, epoch, seq, send time */
#define RX_BURST	64	/* datagrams read per wake-up and socket */
#define HS_DEADLINE_NS	10000000000ull	/* one handshake: 10 s at most */
#define LOSS_TICK_S	0.05
#define RATE_TICK_S	0.001
#define SRC_ADDRS	4000u
#define SRC_PORT_BASE	10000u
#define SRC_PORTS	20000u

enum mode {
	MODE_UDP = 0,
	MODE_DTLS,
	MODE_HANDSHAKE,
	MODE_IDLE,
};

static const char *const mode_names[] = {
	[MODE_UDP] = "udp",
	[MODE_DTLS] = "dtls",
	[MODE_HANDSHAKE] = "handshake",
	[MODE_IDLE] = "idle",
};

enum phase {
	PH_SETUP = 0,	/* sessions coming up */
	PH_HOLD,	/* idle mode: waiting before reading memory */
	PH_WARM,
	PH_MEASURE,
	PH_DRAIN,	/* no new datagrams; waiting for the last replies */
	PH_DONE,
};

struct sess {
	ev_io			 io;
	ev_timer		 timer;		/* handshake retransmission */
	int			 fd;
	struct dtls_session	*ds;		/* NULL: plain UDP */
	uint32_t		 idx;
	uint32_t		 epoch;		/* +1 when a window is lost */
	uint32_t		 inflight;
	uint32_t		 gen;		/* +1 when the slot restarts */
	uint64_t		 seq;
	uint64_t		 hs_start_ns;
	uint64_t		 last_ns;	/* last reply, or first send */
	bool			 up;
	bool			 active;	/* socket open */
};

/* CPU and memory of a process and its descendants. */
struct tree_sample {
	uint64_t	cpu_ns;		/* threads' run time, reaped children */
	uint64_t	ticks;		/* utime+stime+cutime+cstime */
	uint64_t	rss_kb;		/* sum of VmRSS */
	uint64_t	pss_kb;		/* sum of Pss (smaps_rollup) */
	unsigned int	procs;
	uint64_t	at_ns;		/* the middle of the sampling */
};

/* The machine's CPUs, from /proc/stat: busy and stolen jiffies of each. */
#define MAX_CPUS	64

struct cpu_sample {
	unsigned int	n;
	uint64_t	busy[MAX_CPUS], total[MAX_CPUS], steal[MAX_CPUS];
};

static struct {
	/* options */
	enum mode		 mode;
	const char		*host, *port, *label, *ciphers;
	enum engine_kind	 engine;	/* the client's DTLS library */
	unsigned long		 nsess, window, size, conc;
	double			 rate, duration, warmup, hold, setup_max;
	unsigned int		 loss_ms;
	pid_t			 pid;
	bool			 spread;

	struct ev_loop		*loop;
	struct dtls_ctx		*ctx;
	struct sockaddr_storage	 dst;
	socklen_t		 dstlen;
	uint64_t		 src_next;
	struct sess		*s;
	size_t			 nslots;
	enum phase		 phase;
	ev_timer		 phase_timer, tick, watchdog;

	/* setup */
	size_t			 started, nup, nfailed;
	uint64_t		 t_setup0, t_setup1;
	struct tree_sample	 cpu_setup0, cpu_setup1;
	struct tree_sample	 mem0, mem1;

	/* data */
	uint64_t		 t_data0, t1, t2;	/* t2 == 0: open */
	uint64_t		 sent_total, sent_m, recv_m, late, send_err;
	uint64_t		 refused, closed;
	uint64_t		 inflight_total;
	size_t			 rr;			/* open loop: next */
	struct hist		 rtt;
	struct tree_sample	 cpu1, cpu2;
	struct rusage		 ru1, ru2;
	struct cpu_sample	 sys1, sys2;

	/* handshake mode */
	uint64_t		 hs_m, hs_fail_m;
	struct hist		 hs_time;
	struct hist		 setup_time;	/* bringing sessions up */

	char			 suite[128];
	uint8_t			 payload[DG_MAX];
} g;

static void die(const char *msg)
{
	fprintf(stderr, "dtlsgw-bench: %s\n", msg);
	exit(2);
}

/* ---- the relay's CPU and memory, from /proc ---- */

struct proc_ent {
	pid_t	pid, ppid;
	bool	in;
};

/*
 * From /proc/PID/stat: the parent, utime+stime+cutime+cstime (*ticks) and
 * cutime+cstime alone (*reaped).
 */
static int read_stat(pid_t pid, pid_t *ppid, uint64_t *ticks,
		     uint64_t *reaped)
{
	char path[64], buf[1024], *p;
	unsigned long long v[16];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (p == NULL)
		return -1;
	p += 2;
	for (int i = 0; i < 16; i++) {
		char *end;

		if (i == 0) {		/* state, a letter */
			p += 2;
			v[0] = 0;
			continue;
		}
		v[i] = strtoull(p, &end, 10);
		if (end == p)
			return -1;
		p = end + 1;
	}
	*ppid = (pid_t)v[1];
	/* utime, stime, cutime, cstime: fields 14-17 */
	*ticks = v[11] + v[12] + v[13] + v[14];
	*reaped = v[13] + v[14];
	return 0;
}

/*
 * The run time of every thread of pid, in nanoseconds, from
 * /proc/PID/task/TID/schedstat (the scheduler's own sum_exec_runtime).
 * Why not utime+stime: on this kernel they are sampled at the tick, and a
 * process that runs in bursts shorter than a tick (one socat child of
 * 1,000) is charged next to nothing while it lives: 0.25 s against 7 s
 * of run time in one measurement.  -1 when schedstat is not there.
 */
static int64_t read_runtime(pid_t pid)
{
	char path[96], line[128];
	struct dirent *de;
	int64_t sum = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%.16s/schedstat",
			 (int)pid, de->d_name);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		if (fgets(line, sizeof(line), f) != NULL)
			sum += (int64_t)strtoull(line, NULL, 10);
		fclose(f);
	}
	closedir(d);
	return sum;
}

static uint64_t read_kb(pid_t pid, const char *file, const char *key)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	uint64_t kb = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, klen) == 0) {
			kb = strtoull(line + klen, NULL, 10);
			break;
		}
	fclose(f);
	return kb;
}

/*
 * Sample pid and every live descendant: CPU ticks (a process's reaped
 * children are in its cutime/cstime, so children that came and went during
 * the interval count too), and optionally VmRSS and Pss.
 */
static void tree_sample(pid_t pid, bool mem, struct tree_sample *out)
{
	struct proc_ent *ents = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	bool grew;
	DIR *d;

	memset(out, 0, sizeof(*out));
	out->at_ns = now_ns();
	if (pid <= 0)
		return;
	d = opendir("/proc");
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		pid_t p = (pid_t)strtol(de->d_name, NULL, 10);

		if (p <= 0)
			continue;
		if (n == cap) {
			struct proc_ent *ne;

			cap = cap ? cap * 2 : 1024;
			ne = realloc(ents, cap * sizeof(*ents));
			if (ne == NULL)
				break;
			ents = ne;
		}
		ents[n].pid = p;
		ents[n].in = p == pid;
		ents[n].ppid = 0;
		n++;
	}
	closedir(d);
	for (size_t i = 0; i < n; i++) {
		uint64_t t, reaped;

		if (read_stat(ents[i].pid, &ents[i].ppid, &t, &reaped) != 0)
			ents[i].pid = -1;
	}
	do {
		grew = false;
		for (size_t i = 0; i < n; i++) {
			if (ents[i].in || ents[i].pid <= 0)
				continue;
			for (size_t j = 0; j < n; j++)
				if (ents[j].in && ents[j].pid == ents[i].ppid) {
					ents[i].in = grew = true;
					break;
				}
		}
	} while (grew);
	for (size_t i = 0; i < n; i++) {
		uint64_t t, reaped, hz = (uint64_t)sysconf(_SC_CLK_TCK);
		int64_t run;
		pid_t pp;

		if (!ents[i].in ||
		    read_stat(ents[i].pid, &pp, &t, &reaped) != 0)
			continue;
		out->ticks += t;
		/* live threads by their run time; reaped children as the
		 * kernel summed them up when they exited */
		run = read_runtime(ents[i].pid);
		if (run >= 0)
			out->cpu_ns += (uint64_t)run +
				       reaped * 1000000000u / hz;
		else
			out->cpu_ns += t * 1000000000u / hz;
		out->procs++;
		if (mem) {
			out->rss_kb += read_kb(ents[i].pid, "status", "VmRSS:");
			out->pss_kb += read_kb(ents[i].pid, "smaps_rollup",
					       "Pss:");
		}
	}
	free(ents);
	/* 1,000 processes take a while to read: date the sample midway */
	out->at_ns += (now_ns() - out->at_ns) / 2;
}

static void cpu_sample(struct cpu_sample *out)
{
	char line[512];
	FILE *f = fopen("/proc/stat", "r");

	memset(out, 0, sizeof(*out));
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL && out->n < MAX_CPUS) {
		unsigned long long v[8] = { 0 };
		unsigned int id;

		if (strncmp(line, "cpu", 3) != 0 || line[3] < '0' ||
		    line[3] > '9')
			continue;
		/* user nice system idle iowait irq softirq steal */
		if (sscanf(line + 3,
			   "%u %llu %llu %llu %llu %llu %llu %llu %llu", &id,
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			   &v[7]) < 9)
			continue;
		out->busy[out->n] = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
		out->total[out->n] = out->busy[out->n] + v[3] + v[4];
		out->steal[out->n] = v[7];
		out->n++;
	}
	fclose(f);
}

/* "98/97": each CPU's busy share over the interval, in percent. */
static void print_cpus(const char *key, bool steal)
{
	printf(" %s=", key);
	for (unsigned int i = 0; i < g.sys2.n && i < g.sys1.n; i++) {
		uint64_t t = g.sys2.total[i] - g.sys1.total[i];
		uint64_t b = steal ? g.sys2.steal[i] - g.sys1.steal[i]
				   : g.sys2.busy[i] - g.sys1.busy[i];

		printf("%s%.0f", i ? "/" : "", t ? 100.0 * (double)b /
							   (double)t
						 : 0.0);
	}
}

static double ticks_s(uint64_t t)
{
	return (double)t / (double)sysconf(_SC_CLK_TCK);
}

static double ru_s(const struct rusage *ru)
{
	return (double)ru->ru_utime.tv_sec + ru->ru_utime.tv_usec / 1e6 +
	       (double)ru->ru_stime.tv_sec + ru->ru_stime.tv_usec / 1e6;
}

/* ---- sessions ---- */

static void sess_start(struct sess *s);
static void data_begin(void);
static void setup_done(void);
static void setup_pump(void);

static int io_send(void *arg, const uint8_t *buf, size_t len)
{
	struct sess *s = arg;

	if (send(s->fd, buf, len, 0) == (ssize_t)len)
		return 0;
	g.send_err++;
	return -errno;
}

/* A socket for a new session: bound per the source scheme, connected. */
static int sock_open(void)
{
	int fd = socket(g.dst.ss_family, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	if (fd == -1)
		return -1;
	for (int tries = 0; g.spread; tries++) {
		uint64_t c = g.src_next++;
		unsigned int a = (unsigned int)(c % SRC_ADDRS);
		struct sockaddr_in sin = {
			.sin_family = AF_INET,
			.sin_port = htons((uint16_t)(SRC_PORT_BASE +
				(c / SRC_ADDRS) % SRC_PORTS)),
			.sin_addr.s_addr = htonl(0x7f010000u | (a / 250) << 8 |
						 (a % 250 + 1)),
		};

		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0)
			break;
		if (errno != EADDRINUSE || tries == 1000) {
			close(fd);
			return -1;
		}
	}
	if (connect(fd, (struct sockaddr *)&g.dst, g.dstlen) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static void sess_close(struct sess *s, bool bye)
{
	if (!s->active)
		return;
	ev_io_stop(g.loop, &s->io);
	ev_timer_stop(g.loop, &s->timer);
	if (s->ds != NULL) {
		if (bye && s->up)
			dtls_session_shutdown(s->ds);
		dtls_session_destroy(s->ds);
		s->ds = NULL;
	}
	close(s->fd);
	s->fd = -1;
	s->active = false;
	s->up = false;
	s->gen++;
}

/* A session came up (or, plain UDP, was opened). */
static void sess_up(struct sess *s)
{
	uint64_t now = now_ns();

	s->up = true;
	if (s->ds != NULL && g.suite[0] == '\0')
		dtls_session_describe(s->ds, g.suite, sizeof(g.suite));
	if (g.mode == MODE_HANDSHAKE) {
		if (g.phase == PH_MEASURE) {
			g.hs_m++;
			hist_add(&g.hs_time, now - s->hs_start_ns);
		}
		sess_close(s, true);
		if (g.phase < PH_DRAIN)
			sess_start(s);
		return;
	}
	g.nup++;
	if (g.phase == PH_SETUP) {
		hist_add(&g.setup_time, now - s->hs_start_ns);
		setup_pump();
	}
}

static void sess_failed(struct sess *s)
{
	if (g.mode != MODE_HANDSHAKE && getenv("BENCH_DEBUG") != NULL &&
	    s->ds != NULL)
		fprintf(stderr, "session %u: %s\n", s->idx,
			dtls_session_error(s->ds));
	sess_close(s, false);
	if (g.mode == MODE_HANDSHAKE) {
		if (g.phase == PH_MEASURE)
			g.hs_fail_m++;
		if (g.phase < PH_DRAIN)
			sess_start(s);
		return;
	}
	g.nfailed++;
	if (g.phase == PH_SETUP)
		setup_pump();
}

static void arm_hs_timer(struct sess *s)
{
	int64_t ms = dtls_session_timeout_ms(s->ds);

	if (ms < 0)
		ms = 1000;
	ev_timer_stop(g.loop, &s->timer);
	ev_timer_set(&s->timer, (double)ms / 1000.0, 0.0);
	ev_timer_start(g.loop, &s->timer);
}

static void hs_progress(struct sess *s, int ret)
{
	if (ret == -EAGAIN && now_ns() - s->hs_start_ns < HS_DEADLINE_NS) {
		arm_hs_timer(s);
		return;
	}
	ev_timer_stop(g.loop, &s->timer);
	if (ret == 0)
		sess_up(s);
	else
		sess_failed(s);
}

static void hs_timer_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct sess *s = t->data;

	(void)loop;
	(void)revents;
	if (dtls_session_on_timeout(s->ds) != 0 ||
	    now_ns() - s->hs_start_ns >= HS_DEADLINE_NS) {
		sess_failed(s);
		return;
	}
	arm_hs_timer(s);
}

/* Send one datagram on s, stamped. */
static void send_one(struct sess *s)
{
	uint64_t now = now_ns();
	int ret;

	memcpy(g.payload, &s->idx, 4);
	memcpy(g.payload + 4, &s->epoch, 4);
	memcpy(g.payload + 8, &s->seq, 8);
	memcpy(g.payload + 16, &now, 8);
	s->seq++;
	if (s->ds != NULL)
		ret = dtls_session_write(s->ds, g.payload, g.size);
	else
		ret = send(s->fd, g.payload, g.size, 0) == (ssize_t)g.size
			      ? 0
			      : (g.send_err++, -1);
	g.sent_total++;
	if (g.phase == PH_MEASURE)
		g.sent_m++;
	if (g.rate > 0)
		return;
	/* closed loop: a datagram that could not leave is lost at once */
	if (ret != 0)
		return;
	if (s->inflight++ == 0)
		s->last_ns = now;
	g.inflight_total++;
}

static void fill_window(struct sess *s)
{
	while (s->up && s->inflight < g.window && g.phase >= PH_WARM &&
	       g.phase <= PH_MEASURE)
		send_one(s);
}

static void finish(void)
{
	g.phase = PH_DONE;
	ev_break(g.loop, EVBREAK_ALL);
}

static void on_reply(struct sess *s, const uint8_t *buf, size_t len)
{
	uint32_t idx, epoch;
	uint64_t t0, now = now_ns();

	if (len < HDR_LEN || len != g.size)
		return;
	memcpy(&idx, buf, 4);
	memcpy(&epoch, buf + 4, 4);
	memcpy(&t0, buf + 16, 8);
	if (idx != s->idx || (g.rate <= 0 && epoch != s->epoch)) {
		g.late++;
		return;
	}
	if (t0 >= g.t1 && g.t1 != 0 && (g.t2 == 0 || t0 < g.t2)) {
		g.recv_m++;
		hist_add(&g.rtt, now - t0);
	}
	if (g.rate > 0)
		return;
	s->inflight--;
	g.inflight_total--;
	s->last_ns = now;
	fill_window(s);
	if (g.phase == PH_DRAIN && g.inflight_total == 0)
		finish();
}

static void io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct sess *s = w->data;
	uint8_t raw[DG_MAX], pt[DG_MAX];
	uint32_t gen = s->gen;

	(void)loop;
	(void)revents;
	for (int i = 0; i < RX_BURST && s->gen == gen && s->active; i++) {
		ssize_t n = recv(s->fd, raw, sizeof(raw), 0);
		size_t got;
		int ret;

		if (n == -1) {
			if (errno == ECONNREFUSED) {
				g.refused++;
				continue;
			}
			return;
		}
		if (s->ds == NULL) {
			on_reply(s, raw, (size_t)n);
			continue;
		}
		if (!s->up) {
			hs_progress(s, dtls_session_input(s->ds, raw,
							  (size_t)n));
			continue;
		}
		dtls_session_input(s->ds, raw, (size_t)n);
		while ((ret = dtls_session_read(s->ds, pt, sizeof(pt),
						&got)) == 0)
			on_reply(s, pt, got);
		if (ret != -EAGAIN) {
			/* close_notify or a fatal error: the session is gone */
			g.closed++;
			g.inflight_total -= s->inflight;
			s->inflight = 0;
			sess_close(s, false);
			g.nup--;
		}
	}
}

/* Open slot s as a new session and start its handshake. */
static void sess_start(struct sess *s)
{
	struct dtls_io io = { .send = io_send, .arg = s };

	s->hs_start_ns = now_ns();
	s->inflight = 0;
	s->fd = sock_open();
	if (s->fd == -1) {
		/* out of sockets or ports: count it, go on */
		s->active = false;
		if (g.mode == MODE_HANDSHAKE) {
			if (g.phase == PH_MEASURE)
				g.hs_fail_m++;
			return;
		}
		g.nfailed++;
		if (g.phase == PH_SETUP)
			setup_pump();
		return;
	}
	s->active = true;
	ev_io_init(&s->io, io_cb, s->fd, EV_READ);
	s->io.data = s;
	ev_timer_init(&s->timer, hs_timer_cb, 1.0, 0.0);
	s->timer.data = s;
	ev_io_start(g.loop, &s->io);
	if (g.mode == MODE_UDP) {
		sess_up(s);
		return;
	}
	s->ds = dtls_session_create(g.ctx, (struct sockaddr *)&g.dst, g.dstlen,
				    NULL, &io, NULL);
	if (s->ds == NULL) {
		sess_failed(s);
		return;
	}
	hs_progress(s, dtls_session_handshake(s->ds));
}

/* ---- phases ---- */

/*
 * Bring sessions up, at most -c handshakes at a time (all at once for
 * plain UDP); called again whenever one ends.  Not reentrant: a session
 * that ends inside sess_start() leaves the starting to the outer call.
 */
static void setup_pump(void)
{
	static bool busy;
	size_t limit = g.mode == MODE_UDP ? g.nsess : g.conc;

	if (busy)
		return;
	busy = true;
	while (g.phase == PH_SETUP && g.started < g.nsess &&
	       g.started - g.nup - g.nfailed < limit)
		sess_start(&g.s[g.started++]);
	busy = false;
	if (g.phase == PH_SETUP && g.nup + g.nfailed == g.nsess)
		setup_done();
}

static void phase_at(double after_s, void (*cb)(struct ev_loop *,
						 ev_timer *, int))
{
	ev_timer_stop(g.loop, &g.phase_timer);
	ev_timer_init(&g.phase_timer, cb, after_s, 0.0);
	ev_timer_start(g.loop, &g.phase_timer);
}

static void drain_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	(void)loop;
	(void)t;
	(void)revents;
	finish();
}

static void measure_end_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	(void)loop;
	(void)t;
	(void)revents;
	g.t2 = now_ns();
	tree_sample(g.pid, false, &g.cpu2);
	getrusage(RUSAGE_SELF, &g.ru2);
	cpu_sample(&g.sys2);
	g.phase = PH_DRAIN;
	ev_timer_stop(g.loop, &g.tick);
	if (g.mode == MODE_UDP || g.mode == MODE_DTLS) {
		if (g.rate <= 0 && g.inflight_total == 0) {
			finish();
			return;
		}
		phase_at(g.loss_ms / 1000.0, drain_cb);
		return;
	}
	/* handshake mode: let the handshakes in progress end, briefly */
	phase_at(0.2, drain_cb);
}

static void measure_begin_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	(void)loop;
	(void)t;
	(void)revents;
	tree_sample(g.pid, false, &g.cpu1);
	getrusage(RUSAGE_SELF, &g.ru1);
	cpu_sample(&g.sys1);
	g.t1 = now_ns();
	g.phase = PH_MEASURE;
	phase_at(g.duration, measure_end_cb);
}

/* Closed loop: refill windows that have been silent for too long. */
static void loss_tick_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	uint64_t now = now_ns(), limit = (uint64_t)g.loss_ms * 1000000u;

	(void)loop;
	(void)t;
	(void)revents;
	for (size_t i = 0; i < g.nslots; i++) {
		struct sess *s = &g.s[i];

		if (!s->up || s->inflight == 0 || now - s->last_ns < limit)
			continue;
		s->epoch++;
		g.inflight_total -= s->inflight;
		s->inflight = 0;
		fill_window(s);
	}
}

/* Open loop: send what the rate says is due, round robin. */
static void rate_tick_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	double due = (double)(now_ns() - g.t_data0) / 1e9 * g.rate;
	uint64_t n = due > (double)g.sent_total
			     ? (uint64_t)due - g.sent_total : 0;

	(void)loop;
	(void)t;
	(void)revents;
	if (n > 20000)		/* behind: do not burst without limit */
		n = 20000;
	for (uint64_t k = 0; k < n; k++) {
		for (size_t tries = 0; tries < g.nslots; tries++) {
			struct sess *s = &g.s[g.rr++ % g.nslots];

			if (s->up) {
				send_one(s);
				break;
			}
		}
	}
}

static void data_begin(void)
{
	g.t_data0 = now_ns();
	g.phase = PH_WARM;
	if (g.mode == MODE_HANDSHAKE) {
		for (size_t i = 0; i < g.nslots; i++)
			sess_start(&g.s[i]);
	} else if (g.rate > 0) {
		ev_timer_init(&g.tick, rate_tick_cb, RATE_TICK_S, RATE_TICK_S);
		ev_timer_start(g.loop, &g.tick);
	} else {
		ev_timer_init(&g.tick, loss_tick_cb, LOSS_TICK_S, LOSS_TICK_S);
		ev_timer_start(g.loop, &g.tick);
		for (size_t i = 0; i < g.nslots; i++)
			fill_window(&g.s[i]);
	}
	phase_at(g.warmup, measure_begin_cb);
}

static void hold_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	(void)loop;
	(void)t;
	(void)revents;
	tree_sample(g.pid, true, &g.mem1);
	finish();
}

static void setup_timeout_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	(void)loop;
	(void)t;
	(void)revents;
	fprintf(stderr, "dtlsgw-bench: %zu of %lu sessions up after %.0f s\n",
		g.nup, g.nsess, g.setup_max);
	setup_done();
}

static void setup_done(void)
{
	if (g.phase != PH_SETUP)
		return;
	g.t_setup1 = now_ns();
	tree_sample(g.pid, false, &g.cpu_setup1);
	if (g.mode == MODE_IDLE) {
		g.phase = PH_HOLD;
		phase_at(g.hold, hold_cb);
		return;
	}
	if (g.mode != MODE_HANDSHAKE)
		tree_sample(g.pid, true, &g.mem1);
	data_begin();
}

static void watchdog_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	(void)loop;
	(void)t;
	(void)revents;
	fprintf(stderr, "dtlsgw-bench: watchdog: giving up\n");
	finish();
}

/* ---- output ---- */

static void print_result(void)
{
	double setup_s = (double)(g.t_setup1 - g.t_setup0) / 1e9;
	double dur = g.t2 > g.t1 ? (double)(g.t2 - g.t1) / 1e9 : 0.0;
	/*
	 * The relay's CPU over the measured interval: what the two samples
	 * saw, scaled from the time between them (their middles) to dur.
	 */
	double cpu_dur = (double)(g.cpu2.at_ns - g.cpu1.at_ns) / 1e9;
	double scale = cpu_dur > 0 ? dur / cpu_dur : 1.0;
	double cpu = (double)(g.cpu2.cpu_ns - g.cpu1.cpu_ns) / 1e9 * scale;
	double cpu_stat = ticks_s(g.cpu2.ticks - g.cpu1.ticks) * scale;
	double gen_cpu = ru_s(&g.ru2) - ru_s(&g.ru1);
	char proto[128] = "-", suite[128] = "-";
	struct rusage ru;

	if (g.suite[0] != '\0') {
		char *sp = strchr(g.suite, ' ');

		if (sp != NULL) {
			*sp = '\0';
			snprintf(suite, sizeof(suite), "%s", sp + 1);
		}
		snprintf(proto, sizeof(proto), "%s", g.suite);
	}
	printf("label=%s mode=%s", g.label, mode_names[g.mode]);
	if (g.mode == MODE_UDP || g.mode == MODE_DTLS || g.mode == MODE_IDLE)
		printf(" sessions=%lu up=%zu failed=%zu", g.nsess, g.nup,
		       g.nfailed);
	if (g.mode == MODE_UDP || g.mode == MODE_DTLS) {
		double lost = g.sent_m > g.recv_m
				      ? (double)(g.sent_m - g.recv_m)
				      : 0.0;

		if (g.rate > 0)
			printf(" rate=%.0f", g.rate);
		else
			printf(" window=%lu", g.window);
		printf(" size=%lu duration_s=%.3f sent=%llu rtt=%llu "
		       "lost=%.0f loss_pct=%.3f late=%llu send_err=%llu "
		       "dgrams_per_s=%.0f bytes_per_s=%.0f p50_us=%.1f "
		       "p99_us=%.1f p999_us=%.1f max_us=%.1f",
		       g.size, dur, (unsigned long long)g.sent_m,
		       (unsigned long long)g.recv_m, lost,
		       g.sent_m ? 100.0 * lost / (double)g.sent_m : 0.0,
		       (unsigned long long)g.late,
		       (unsigned long long)g.send_err,
		       dur > 0 ? (double)g.recv_m / dur : 0.0,
		       dur > 0 ? (double)g.recv_m * (double)g.size / dur : 0.0,
		       hist_pct(&g.rtt, 50), hist_pct(&g.rtt, 99),
		       hist_pct(&g.rtt, 99.9), (double)g.rtt.max / 1000.0);
		if (g.pid > 0)
			/* a round trip is two datagrams through the relay */
			printf(" cpu_s=%.3f cpu_stat_s=%.2f cpu_pct=%.1f "
			       "cpu_ns_per_dgram=%.0f",
			       cpu, cpu_stat, dur > 0 ? 100.0 * cpu / dur : 0.0,
			       g.recv_m ? cpu * 1e9 / (2.0 * (double)g.recv_m)
					: 0.0);
		printf(" gen_cpu_pct=%.1f", dur > 0 ? 100.0 * gen_cpu / dur
						    : 0.0);
		print_cpus("cpus_busy_pct", false);
		print_cpus("cpus_steal_pct", true);
	}
	if (g.mode == MODE_HANDSHAKE) {
		printf(" concurrency=%lu duration_s=%.3f handshakes=%llu "
		       "failed=%llu hs_per_s=%.1f hs_p50_ms=%.2f "
		       "hs_p99_ms=%.2f",
		       g.conc, dur, (unsigned long long)g.hs_m,
		       (unsigned long long)g.hs_fail_m,
		       dur > 0 ? (double)g.hs_m / dur : 0.0,
		       hist_pct(&g.hs_time, 50) / 1000.0,
		       hist_pct(&g.hs_time, 99) / 1000.0);
		if (g.pid > 0)
			printf(" cpu_s=%.3f cpu_stat_s=%.2f cpu_pct=%.1f "
			       "hs_per_cpu_s=%.0f",
			       cpu, cpu_stat, dur > 0 ? 100.0 * cpu / dur : 0.0,
			       cpu > 0 ? (double)g.hs_m / cpu : 0.0);
		printf(" gen_cpu_pct=%.1f", dur > 0 ? 100.0 * gen_cpu / dur
						    : 0.0);
		print_cpus("cpus_busy_pct", false);
		print_cpus("cpus_steal_pct", true);
	} else {
		double scpu = (double)(g.cpu_setup1.cpu_ns -
				       g.cpu_setup0.cpu_ns) / 1e9;

		printf(" setup_s=%.3f setup_hs_per_s=%.0f",
		       setup_s, setup_s > 0 ? (double)g.nup / setup_s : 0.0);
		if (g.mode != MODE_UDP)
			printf(" setup_hs_p50_ms=%.2f setup_hs_max_ms=%.2f",
			       hist_pct(&g.setup_time, 50) / 1000.0,
			       (double)g.setup_time.max / 1e6);
		if (g.pid > 0) {
			printf(" setup_cpu_s=%.3f hold_s=%g", scpu, g.hold);
			printf(" procs=%u rss_kb_before=%llu rss_kb_after=%llu "
			       "pss_kb_before=%llu pss_kb_after=%llu "
			       "rss_bytes_per_session=%.0f "
			       "pss_bytes_per_session=%.0f",
			       g.mem1.procs,
			       (unsigned long long)g.mem0.rss_kb,
			       (unsigned long long)g.mem1.rss_kb,
			       (unsigned long long)g.mem0.pss_kb,
			       (unsigned long long)g.mem1.pss_kb,
			       g.nup ? ((double)g.mem1.rss_kb -
					(double)g.mem0.rss_kb) * 1024.0 /
					       (double)g.nup
				     : 0.0,
			       g.nup ? ((double)g.mem1.pss_kb -
					(double)g.mem0.pss_kb) * 1024.0 /
					       (double)g.nup
				     : 0.0);
		}
	}
	getrusage(RUSAGE_SELF, &ru);
	printf(" gen_maxrss_kb=%ld refused=%llu closed=%llu proto=%s "
	       "suite=%s\n",
	       ru.ru_maxrss, (unsigned long long)g.refused,
	       (unsigned long long)g.closed, proto, suite);
	fflush(stdout);
}

/* ---- main ---- */

static void usage(void)
{
	fprintf(stderr,
		"usage: dtlsgw-bench udp|dtls|handshake|idle [-a ADDR] "
		"[-p PORT] [-n N]\n"
		"       [-w W | -r RATE] [-s BYTES] [-d S] [-u S] [-c K] "
		"[-P PID] [-L LABEL]\n"
		"       [-C CIPHERS] [-e ENGINE] [-t MS] [-H S] [-S S] [-B INDEX] [-1]\n"
		"       dtlsgw-bench freeport\n");
	exit(2);
}

static unsigned long num(const char *s, unsigned long lo, unsigned long hi)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < lo || v > hi)
		usage();
	return v;
}

static double fnum(const char *s, double lo, double hi)
{
	char *end;
	double v = strtod(s, &end);

	if (*s == '\0' || *end != '\0' || v < lo || v > hi)
		usage();
	return v;
}

static void parse(int argc, char **argv)
{
	int c;

	size_t m;

	if (argc < 2)
		usage();
	for (m = 0; m < sizeof(mode_names) / sizeof(*mode_names); m++)
		if (strcmp(argv[1], mode_names[m]) == 0)
			break;
	if (m == sizeof(mode_names) / sizeof(*mode_names))
		usage();
	g.mode = (enum mode)m;
	g.host = "127.0.0.1";
	g.port = NULL;
	g.label = mode_names[g.mode];
	g.nsess = 1;
	g.window = 1;
	g.size = 64;
	g.conc = 32;
	g.duration = 3;
	g.warmup = 1;
	g.hold = 1;
	g.setup_max = 120;
	g.loss_ms = 500;
	g.spread = true;
	g.src_next = (uint64_t)(getpid() % 500) * 100000u;
	optind = 2;
	while ((c = getopt(argc, argv, "a:p:n:w:r:s:d:u:c:P:L:C:e:t:H:S:B:1")) !=
	       -1) {
		switch (c) {
		case 'a': g.host = optarg; break;
		case 'p': g.port = optarg; break;
		case 'n': g.nsess = num(optarg, 1, 1000000); break;
		case 'w': g.window = num(optarg, 1, 100000); break;
		case 'r': g.rate = fnum(optarg, 1, 1e8); break;
		case 's': g.size = num(optarg, HDR_LEN, DG_MAX - 64); break;
		case 'd': g.duration = fnum(optarg, 0.1, 600); break;
		case 'u': g.warmup = fnum(optarg, 0, 600); break;
		case 'c': g.conc = num(optarg, 1, 100000); break;
		case 'P': g.pid = (pid_t)num(optarg, 1, 1u << 30); break;
		case 'L': g.label = optarg; break;
		case 'C': g.ciphers = optarg; break;
		case 'e':
			if (strcmp(optarg, "openssl") == 0)
				g.engine = ENGINE_OPENSSL;
			else if (strcmp(optarg, "wolfssl") != 0)
				die("-e: wolfssl or openssl");
			break;
		case 't':
			g.loss_ms = (unsigned int)num(optarg, 1, 60000);
			break;
		case 'H': g.hold = fnum(optarg, 0, 600); break;
		case 'S': g.setup_max = fnum(optarg, 1, 3600); break;
		case 'B': g.src_next = num(optarg, 0, 1ul << 40); break;
		case '1': g.spread = false; break;
		default: usage();
		}
	}
	if (g.port == NULL || optind != argc)
		usage();
}

/* freeport: bind 127.0.0.1:0 and print what the kernel gave. */
static int print_free_port(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd == -1 || bind(fd, (struct sockaddr *)&sin, len) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
		return 1;
	printf("%u\n", ntohs(sin.sin_port));
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM,
				  .ai_flags = AI_NUMERICSERV };
	struct addrinfo *res;
	struct rlimit rl;
	double bound;

	if (argc == 2 && strcmp(argv[1], "freeport") == 0)
		return print_free_port();
	parse(argc, argv);
	signal(SIGPIPE, SIG_IGN);
	if (getaddrinfo(g.host, g.port, &hints, &res) != 0)
		die("cannot resolve the address");
	memcpy(&g.dst, res->ai_addr, res->ai_addrlen);
	g.dstlen = res->ai_addrlen;
	freeaddrinfo(res);
	if (g.dst.ss_family != AF_INET ||
	    (ntohl(((struct sockaddr_in *)&g.dst)->sin_addr.s_addr) >> 24) !=
		    127)
		g.spread = false;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	memset(g.payload, 0x5a, sizeof(g.payload));
	if (g.mode != MODE_UDP) {
		struct tls_config tls = { .verify = VERIFY_NONE,
					  .ciphers = (char *)g.ciphers };
		struct dtls_ctx_params p = { .role = DTLS_ROLE_CLIENT,
					     .tls = &tls, .route = "bench",
					     .engine = g.engine };
		char err[256];

		log_set_level(LOG_LEVEL_ERROR);
		if (dtls_global_init(NULL) != 0 ||
		    dtls_ctx_create(&p, &g.ctx, err, sizeof(err)) != 0)
			die(err);
	}
	g.nslots = g.mode == MODE_HANDSHAKE ? g.conc : g.nsess;
	g.s = calloc(g.nslots, sizeof(*g.s));
	if (g.s == NULL)
		die("out of memory");
	for (size_t i = 0; i < g.nslots; i++) {
		g.s[i].idx = (uint32_t)i;
		g.s[i].fd = -1;
	}
	g.loop = ev_default_loop(EVFLAG_AUTO);

	bound = g.setup_max + g.hold + g.warmup + g.duration +
		g.loss_ms / 1000.0 + 30.0;
	ev_timer_init(&g.watchdog, watchdog_cb, bound, 0.0);
	ev_timer_start(g.loop, &g.watchdog);

	tree_sample(g.pid, true, &g.mem0);
	g.cpu_setup0 = g.mem0;
	g.t_setup0 = now_ns();
	if (g.mode == MODE_HANDSHAKE) {
		g.t_setup1 = g.t_setup0;
		data_begin();
	} else {
		phase_at(g.setup_max, setup_timeout_cb);
		setup_pump();
	}
	if (g.phase != PH_DONE)
		ev_run(g.loop, 0);
	print_result();
	for (size_t i = 0; i < g.nslots; i++)
		sess_close(&g.s[i], true);
	free(g.s);
	if (g.ctx != NULL) {
		dtls_ctx_destroy(g.ctx);
		dtls_global_cleanup();
	}
	return g.mode == MODE_HANDSHAKE ? (g.hs_m > 0 ? 0 : 1)
	       : g.nup > 0		 ? 0
					 : 1;
}
