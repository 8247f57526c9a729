// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Known reasons why the ST-LINK driver of OpenOCD 0.12.0 fails to open a
 * probe, keyed by the exact text it logs (src/jtag/drivers/stlink_usb.c).
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
		.summary = "no stlink-server is listening on 127.0.0.1:%u",
		.fix = "start ST's stlink-server on port %u (or the simulator), "
			"or use the USB backend: hla_stlink_backend usb / st-link backend usb",
	},
	{
		.message = "cannot get the stlink-server version",
		.id = "host.tcp_bad_server",
		.layer = "host",
		.summary = "the program on 127.0.0.1:%u does not answer the stlink-server protocol",
		.fix = "check that port %u belongs to ST's stlink-server and not to another program",
	},
	{
		.message = "no ST-LINK detected",
		.id = "host.no_probe",
		.layer = "host",
		.summary = "the stlink-server sees no ST-LINK",
		.fix = "plug the ST-LINK in (with a data cable, not a charge-only one) and check it is listed by "
			"'lsusb -d 0483:'",
	},
	{
		.message = "ST-LINK open failed (vid/pid mismatch)",
		.id = "host.pid_not_listed",
		.layer = "host",
		.summary = "the stlink-server has an ST-LINK, but its USB PID is not in the interface configuration",
		.fix = "use -f interface/stlink.cfg (it lists every ST-LINK PID OpenOCD knows), "
			"or add the PID with hla_vid_pid / st-link vid_pid",
	},
	{
		.message = "ST-LINK open failed (serial mismatch)",
		.id = "host.serial_mismatch",
		.layer = "host",
		.summary = "no ST-LINK has the serial number given with 'adapter serial'",
		.fix = "list the serial numbers with 'lsusb -v -d 0483: | grep iSerial' and correct 'adapter serial', "
			"or drop it",
	},
	{
		.message = "the selected device is already used",
		.id = "host.busy",
		.layer = "host",
		.summary = "another program holds the ST-LINK (a second OpenOCD, an IDE's GDB server, "
			"STM32CubeProgrammer, st-util)",
		.fix = "stop the other program, or share the probe through ST's stlink-server with "
			"'st-link backend tcp' in every program",
	},
	{
		.message = "open failed",
		.id = "host.usb_open_failed",
		.layer = "host",
		.summary = "no ST-LINK listed in the interface configuration could be opened over USB "
			"(none plugged in, a PID the configuration does not list, or no permission)",
		.fix = "check 'lsusb -d 0483:'; use -f interface/stlink.cfg; install the udev rule "
			"(contrib/60-stlink-diag.rules) and replug",
	},
	{
		.message = "read version failed",
		.id = "probe.no_version",
		.layer = "probe",
		.summary = "the ST-LINK was opened but did not answer GET_VERSION",
		.fix = "unplug and replug the ST-LINK; if it persists, update its firmware with STSW-LINK007",
	},
	{
		.message = "failed to receive USB CMD response",
		.id = "host.tcp_no_answer",
		.layer = "host",
		.summary = "the stlink-server stopped answering",
		.fix = "restart the stlink-server and replug the ST-LINK",
	},
	{
		.message = "TCP error status",
		.id = "host.tcp_error",
		.layer = "host",
		.summary = "the stlink-server reported an error",
		.fix = "restart the stlink-server; check that no other client holds the ST-LINK",
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
