/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * Why opening the probe failed. The driver reports open failures only as log
 * lines ("no ST-LINK detected", "the selected device is already used", ...),
 * so stlink_diag listens to the log while it opens the probe and matches the
 * lines against a table of the driver's own messages.
 */

#ifndef OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_OPEN_FAILURE_H
#define OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_OPEN_FAILURE_H

#include <stddef.h>

struct stlink_diag_open_failure {
	const char *message;	/* the driver's log text, matched as a prefix */
	const char *id;		/* stable finding id, e.g. "host.no_probe" */
	const char *layer;	/* "host" or "probe" */
};

extern const struct stlink_diag_open_failure stlink_diag_open_failure_table[];
extern const size_t stlink_diag_open_failure_table_size;

/* The row whose message starts @line, or NULL. */
const struct stlink_diag_open_failure *stlink_diag_open_failure_match(const char *line);

/* Collect the log lines printed while the probe is being opened. */
void stlink_diag_open_log_start(void);
void stlink_diag_open_log_stop(void);
/* The collected lines, '\n'-separated ("" when none). */
const char *stlink_diag_open_log(void);
/* The first collected line that matches a table row, or NULL. */
const struct stlink_diag_open_failure *stlink_diag_open_log_classify(const char **line);

#endif /* OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_OPEN_FAILURE_H */
