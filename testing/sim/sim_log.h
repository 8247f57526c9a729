/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Command log (--log) and statistics (--stats). Both are process-wide: the
 * simulator is one process serving one scenario, and every layer (TCP, probe)
 * reports here.
 */
#ifndef SIM_LOG_H
#define SIM_LOG_H

#include <stddef.h>
#include <stdint.h>

int sim_log_open(const char *path);
void sim_log_close(void);
/* printf-style line to the command log (no-op without --log); newline added */
void sim_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* diagnostics to stderr, always */
void sim_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* one ST-LINK command: 16-byte block, OUT data, IN data, status byte or -1 if the reply carries none */
void sim_log_usb(unsigned int dev, const uint8_t cmd[16], const uint8_t *out, size_t out_len,
		const uint8_t *in, size_t in_len, int status);

void sim_stats_count_tcp(uint8_t tcp_cmd);
void sim_stats_count_usb(const uint8_t cmd[16]);
/* physical model: transfers that met the wire and how many failed; simulated time */
void sim_stats_count_transfers(unsigned long n, unsigned long errors);
void sim_stats_sim_time(double us);
int sim_stats_write(const char *path);

#endif /* SIM_LOG_H */
