// SPDX-License-Identifier: GPL-2.0-or-later
#include "sim_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

/* longest data excerpt logged per phase; enough to see headers of memory blocks */
#define LOG_MAX_DATA_BYTES	64

static FILE *log_file;

static struct {
	unsigned long usb_total;
	unsigned long tcp_total;
	unsigned long tcp[256];
	unsigned long top[256];		/* first command byte */
	unsigned long sub[3][256];	/* second byte for F2 (debug), F3 (DFU), F4 (SWIM) */
	unsigned long swd_transfers;	/* physical model: transfers that met the wire */
	unsigned long swd_errors;	/* ... and failed on it */
	double sim_time_us;		/* physical model: simulated time of the last device that ran */
} stats;

int sim_log_open(const char *path)
{
	log_file = fopen(path, "w");
	return log_file ? 0 : -1;
}

void sim_log_close(void)
{
	if (log_file)
		fclose(log_file);
	log_file = NULL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void sim_log(const char *fmt, ...)
{
	static double t0;
	va_list ap;

	if (!log_file)
		return;
	if (t0 == 0)
		t0 = now_s();
	fprintf(log_file, "%10.6f ", now_s() - t0);
	va_start(ap, fmt);
	vfprintf(log_file, fmt, ap);
	va_end(ap);
	fputc('\n', log_file);
	/* flushed per line: tests read the log while the simulator still runs */
	fflush(log_file);
}

void sim_warn(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "stlink-sim: %s\n", buf);
	sim_log("WARN %s", buf);
}

static void hex(char *dst, size_t dst_size, const uint8_t *p, size_t n)
{
	size_t shown = n > LOG_MAX_DATA_BYTES ? LOG_MAX_DATA_BYTES : n;
	size_t pos = 0;

	dst[0] = '\0';
	for (size_t i = 0; i < shown && pos + 4 < dst_size; i++)
		pos += snprintf(dst + pos, dst_size - pos, "%s%02x", i ? " " : "", p[i]);
	if (shown < n && pos + 24 < dst_size)
		snprintf(dst + pos, dst_size - pos, " ...(%zu bytes)", n);
}

void sim_log_usb(unsigned int dev, const uint8_t cmd[16], const uint8_t *out, size_t out_len,
		const uint8_t *in, size_t in_len, int status)
{
	char c[64], o[LOG_MAX_DATA_BYTES * 3 + 32], i[LOG_MAX_DATA_BYTES * 3 + 32];
	char st[16] = "-";

	if (!log_file)
		return;
	hex(c, sizeof(c), cmd, 16);
	hex(o, sizeof(o), out, out_len);
	hex(i, sizeof(i), in, in_len);
	if (status >= 0)
		snprintf(st, sizeof(st), "0x%02x", status);
	sim_log("USB dev=%u cmd=[%s] out=[%s] in=[%s] status=%s", dev, c, o, i, st);
}

void sim_stats_count_tcp(uint8_t tcp_cmd)
{
	stats.tcp_total++;
	stats.tcp[tcp_cmd]++;
}

void sim_stats_count_usb(const uint8_t cmd[16])
{
	stats.usb_total++;
	stats.top[cmd[0]]++;
	if (cmd[0] >= 0xF2 && cmd[0] <= 0xF4)
		stats.sub[cmd[0] - 0xF2][cmd[1]]++;
}

void sim_stats_count_transfers(unsigned long n, unsigned long errors)
{
	stats.swd_transfers += n;
	stats.swd_errors += errors;
}

void sim_stats_sim_time(double us)
{
	stats.sim_time_us = us;
}

int sim_stats_write(const char *path)
{
	json_t *root = json_object();
	json_t *ops = json_object();
	json_t *tcp = json_object();
	char key[16];
	int ret;

	json_object_set_new(root, "stlink_commands", json_integer(stats.usb_total));
	json_object_set_new(root, "tcp_requests", json_integer(stats.tcp_total));
	json_object_set_new(root, "swd_transfers", json_integer(stats.swd_transfers));
	json_object_set_new(root, "swd_transfer_errors", json_integer(stats.swd_errors));
	json_object_set_new(root, "simulated_ms", json_real(stats.sim_time_us / 1000.0));
	for (int b = 0; b < 256; b++) {
		if (stats.tcp[b]) {
			snprintf(key, sizeof(key), "%02x", b);
			json_object_set_new(tcp, key, json_integer(stats.tcp[b]));
		}
		if (!stats.top[b] || (b >= 0xF2 && b <= 0xF4))
			continue;
		snprintf(key, sizeof(key), "%02x", b);
		json_object_set_new(ops, key, json_integer(stats.top[b]));
	}
	for (int g = 0; g < 3; g++) {
		for (int b = 0; b < 256; b++) {
			if (!stats.sub[g][b])
				continue;
			snprintf(key, sizeof(key), "%02x %02x", 0xF2 + g, b);
			json_object_set_new(ops, key, json_integer(stats.sub[g][b]));
		}
	}
	json_object_set_new(root, "per_opcode", ops);
	json_object_set_new(root, "per_tcp_command", tcp);
	ret = json_dump_file(root, path, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(root);
	return ret;
}
