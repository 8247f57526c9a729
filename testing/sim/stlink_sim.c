// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stlink-sim: a simulated ST-LINK (V2-1 / V3) with an STM32 target behind it,
 * reachable through ST's stlink-server TCP protocol. See README.md.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim_hostile.h"
#include "sim_log.h"
#include "sim_scenario.h"
#include "sim_server.h"

#define EXIT_USAGE	2
#define DEFAULT_TIMEOUT	60.0

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void usage(FILE *f)
{
	char kinds[2048];

	sim_hostile_list(kinds, sizeof(kinds));
	fprintf(f,
		"Usage: stlink-sim [options]\n"
		"Simulated ST-LINK + STM32 target served over the stlink-server TCP protocol on 127.0.0.1.\n"
		"Use with OpenOCD: -f interface/stlink.cfg -c \"hla_stlink_backend tcp PORT\"\n"
		"              or: -f interface/stlink-dap.cfg -c \"st-link backend tcp PORT\"\n"
		"\n"
		"  --scenario FILE       scenario (JSON, schema in testing/sim/README.md); default: healthy\n"
		"                        STLINK-V2-1 V2J37M26 with an STM32F407\n"
		"  --port N              TCP port on 127.0.0.1 (default 7184; 0 = pick a free port)\n"
		"  --port-file F         write the chosen port to F once listening\n"
		"  --timeout SECONDS     always exit after this long, even with a client connected (default 60)\n"
		"  --exit-on-disconnect  exit when the first client that opened a device disconnects\n"
		"  --log FILE            one line per ST-LINK command (request/reply hex, status) and TCP command\n"
		"  --stats FILE          at exit, write JSON counters: ST-LINK commands, TCP requests, per opcode\n"
		"  --hostile KIND[,seed=N][,rate=R][,after=N]\n"
		"                        answer with malformed replies (same lengths, hostile payloads):\n"
		"%s"
		"  --help                this text\n"
		"\n"
		"Exit status: 0 normal end (timeout, disconnect, SIGINT/SIGTERM), 1 runtime error,\n"
		"2 bad command line or bad scenario file.\n", kinds);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* written to a temporary name and renamed so a reader never sees a partial file */
static int write_port_file(const char *path, unsigned int port)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp%d", path, (int)getpid());
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	fprintf(f, "%u\n", port);
	if (fclose(f) || rename(tmp, path)) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int parse_uint(const char *s, double max, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (!*s || *end || v < 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

static int build_devices(struct sim_server *srv, const struct sim_scenario *sc)
{
	srv->n_devs = sc->server.num_probes;
	srv->devs = calloc(srv->n_devs ? srv->n_devs : 1, sizeof(*srv->devs));
	if (!srv->devs)
		return -1;
	for (unsigned int i = 0; i < srv->n_devs; i++) {
		struct sim_device *d = &srv->devs[i];
		struct sim_probe_config pc = sc->probe;
		size_t len = strlen(pc.serial);

		/* several probes of the same kind differ in the last serial digit */
		if (i && len)
			pc.serial[len - 1] = "0123456789ABCDEF"[(strtoul(pc.serial + len - 1, NULL, 16) + i) & 0xF];
		if (sim_target_init(&d->target, &sc->target))
			return -1;
		sim_prng_seed(&d->faults.prng, sc->seed + i);
		d->faults.count = sc->n_faults;
		for (unsigned int k = 0; k < sc->n_faults; k++) {
			sim_fault_init(&d->faults.list[k], sc->faults[k].type, &d->faults.prng);
			memcpy(d->faults.list[k].param, sc->faults[k].param, sizeof(sc->faults[k].param));
		}
		sim_probe_init(&d->probe, &pc, &d->target, &d->faults, i);
		d->usb_id = 0x00010000 + i;
		d->owner = -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scenario", required_argument, NULL, 's' },
		{ "port", required_argument, NULL, 'p' },
		{ "port-file", required_argument, NULL, 'f' },
		{ "timeout", required_argument, NULL, 't' },
		{ "exit-on-disconnect", no_argument, NULL, 'x' },
		{ "log", required_argument, NULL, 'l' },
		{ "stats", required_argument, NULL, 'S' },
		{ "hostile", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *scenario_path = NULL, *port_file = NULL, *log_path = NULL, *stats_path = NULL;
	double port = 7184, timeout = DEFAULT_TIMEOUT;
	static struct sim_scenario sc;
	static struct sim_hostile hostile;
	struct sim_server srv = { .listen_fd = -1 };
	struct sigaction sa = { .sa_handler = on_signal };
	char err[1024];
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			scenario_path = optarg;
			break;
		case 'p':
			if (parse_uint(optarg, 65535, &port) || port != (int)port) {
				fprintf(stderr, "stlink-sim: --port: '%s' is not a port number (0..65535)\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'f':
			port_file = optarg;
			break;
		case 't':
			if (parse_uint(optarg, 86400, &timeout) || timeout <= 0) {
				fprintf(stderr, "stlink-sim: --timeout: '%s' is not in (0, 86400] seconds\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'x':
			srv.exit_on_disconnect = true;
			break;
		case 'l':
			log_path = optarg;
			break;
		case 'S':
			stats_path = optarg;
			break;
		case 'H':
			if (sim_hostile_parse(&hostile, optarg, err, sizeof(err))) {
				fprintf(stderr, "stlink-sim: %s\n", err);
				return EXIT_USAGE;
			}
			srv.hostile = &hostile;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "stlink-sim: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}

	if (scenario_path) {
		if (sim_scenario_load(scenario_path, &sc, err, sizeof(err))) {
			fprintf(stderr, "stlink-sim: %s\n", err);
			return EXIT_USAGE;
		}
	} else {
		sim_scenario_defaults(&sc);
	}
	if (log_path && sim_log_open(log_path)) {
		fprintf(stderr, "stlink-sim: cannot open log file %s\n", log_path);
		return 1;
	}

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	srv.cfg = sc.server;
	if (build_devices(&srv, &sc)) {
		fprintf(stderr, "stlink-sim: out of memory building the target model\n");
		return 1;
	}
	if (sim_server_listen(&srv, (uint16_t)port)) {
		perror("stlink-sim: cannot listen on 127.0.0.1");
		return 1;
	}
	sim_log("START scenario=%s port=%u probes=%u", scenario_path ? scenario_path : "(default)", srv.port,
		srv.n_devs);
	if (port_file && write_port_file(port_file, srv.port)) {
		perror("stlink-sim: cannot write port file");
		return 1;
	}
	fprintf(stderr, "stlink-sim: listening on 127.0.0.1:%u\n", srv.port);

	ret = sim_server_run(&srv, now_s() + timeout, &stop_requested);
	sim_server_close(&srv);
	if (stop_requested)
		sim_log("STOP signal");
	if (stats_path && sim_stats_write(stats_path))
		fprintf(stderr, "stlink-sim: cannot write stats file %s\n", stats_path);
	for (unsigned int i = 0; i < srv.n_devs; i++)
		sim_target_free(&srv.devs[i].target);
	free(srv.devs);
	sim_log("EXIT");
	sim_log_close();
	return ret ? 1 : 0;
}
