// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Known reasons why the ST-LINK driver of OpenOCD 0.12.0 fails to open a
 * probe, keyed by the exact text it logs (src/jtag/drivers/stlink_usb.c:
 * stlink_tcp_open(), stlink_usb_usb_open(), stlink_tcp_send_cmd()). Each row names a finding id; what the id means for the
 * user and how to fix it is policy, written once in tcl/layers/host.tcl
 * (stlink_diag_open_findings).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <helper/log.h>

#include "stlink_diag_open_failure.h"

const struct stlink_diag_open_failure stlink_diag_open_failure_table[] = {
	{
		.message = "cannot connect to stlink server",
		.id = "host.tcp_no_server",
		.layer = "host",
	},
	{
		.message = "cannot get the stlink-server version",
		.id = "host.tcp_bad_server",
		.layer = "host",
	},
	{
		.message = "no ST-LINK detected",
		.id = "host.no_probe",
		.layer = "host",
	},
	{
		.message = "ST-LINK open failed (vid/pid mismatch)",
		.id = "host.pid_not_listed",
		.layer = "host",
	},
	{
		.message = "ST-LINK open failed (serial mismatch)",
		.id = "host.serial_mismatch",
		.layer = "host",
	},
	{
		.message = "the selected device is already used",
		.id = "host.busy",
		.layer = "host",
	},
	{
		.message = "open failed",
		.id = "host.usb_open_failed",
		.layer = "host",
	},
	{
		.message = "read version failed",
		.id = "probe.no_version",
		.layer = "probe",
	},
	{
		.message = "failed to receive USB CMD response",
		.id = "host.tcp_no_answer",
		.layer = "host",
	},
	{
		.message = "TCP error status",
		.id = "host.tcp_error",
		.layer = "host",
	},
};

const size_t stlink_diag_open_failure_table_size = ARRAY_SIZE(stlink_diag_open_failure_table);

const struct stlink_diag_open_failure *stlink_diag_open_failure_match(const char *line)
{
	for (size_t i = 0; i < stlink_diag_open_failure_table_size; i++) {
		const char *msg = stlink_diag_open_failure_table[i].message;
		if (!strncmp(line, msg, strlen(msg)))
			return &stlink_diag_open_failure_table[i];
	}
	return NULL;
}

/* The driver logs a handful of lines at most; 4 KiB bounds any surprise. */
static char stlink_diag_open_log_buf[4096];
static size_t stlink_diag_open_log_len;

static void stlink_diag_open_log_cb(void *priv, const char *file, unsigned int line,
		const char *function, const char *string)
{
	size_t room = sizeof(stlink_diag_open_log_buf) - 1 - stlink_diag_open_log_len;
	size_t n = strlen(string);

	if (n > room)
		n = room;
	memcpy(stlink_diag_open_log_buf + stlink_diag_open_log_len, string, n);
	stlink_diag_open_log_len += n;
	stlink_diag_open_log_buf[stlink_diag_open_log_len] = '\0';
}

void stlink_diag_open_log_start(void)
{
	stlink_diag_open_log_len = 0;
	stlink_diag_open_log_buf[0] = '\0';
	log_add_callback(stlink_diag_open_log_cb, NULL);
}

void stlink_diag_open_log_stop(void)
{
	log_remove_callback(stlink_diag_open_log_cb, NULL);
}

const char *stlink_diag_open_log(void)
{
	return stlink_diag_open_log_buf;
}

const struct stlink_diag_open_failure *stlink_diag_open_log_classify(const char **matched)
{
	const char *p = stlink_diag_open_log_buf;

	while (*p) {
		/* log callbacks get the bare text, one "line\n" per message */
		const char *eol = strchr(p, '\n');
		if (!eol)
			eol = p + strlen(p);
		const struct stlink_diag_open_failure *row = stlink_diag_open_failure_match(p);
		if (row) {
			if (matched)
				*matched = p;
			return row;
		}
		p = *eol ? eol + 1 : eol;
	}
	return NULL;
}
