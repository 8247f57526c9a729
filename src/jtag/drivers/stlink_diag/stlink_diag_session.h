/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * One diagnostic session with one ST-LINK: either a probe stlink_diag opened
 * itself before `init` (so a target that cannot be reached still gets a
 * report), or the probe OpenOCD opened at `init`, borrowed for a while.
 * Every ST-LINK command goes through stlink_diag_session_xfer(), which counts
 * round trips and remembers the last status byte.
 */

#ifndef OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_SESSION_H
#define OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stlink_diag_iface.h"

enum stlink_diag_driver {
	STLINK_DIAG_DRIVER_NONE,	/* no ST-LINK adapter driver selected */
	STLINK_DIAG_DRIVER_HLA,		/* adapter driver hla, layout stlink */
	STLINK_DIAG_DRIVER_DAP,		/* adapter driver st-link (dap-direct) */
};

struct stlink_diag_session {
	void *handle;
	bool own;		/* opened by stlink_diag; false: OpenOCD's live handle */
	bool in_debug_mode;	/* stlink_diag entered SWD/JTAG and must leave it */
	enum stlink_diag_driver driver;
	unsigned int round_trips;	/* ST-LINK commands sent by stlink_diag */
	unsigned int server_requests;	/* stlink-server requests sent by stlink_diag */
	uint8_t last_status;		/* status byte of the last checked reply */
	unsigned int transport_errors;	/* exchanges that failed below the ST-LINK protocol (USB/TCP) */
	unsigned int wait_retries;	/* WAIT answers retried through, all commands */
	uint8_t last_wait_status;	/* the status of the last WAIT answer (0x10 AP, 0x14 DP) */
};

/* The single session (there is one ST-LINK driver per OpenOCD). */
struct stlink_diag_session *stlink_diag_session(void);

enum stlink_diag_driver stlink_diag_session_driver(void);
const char *stlink_diag_driver_name(enum stlink_diag_driver driver);
/* Open parameters of the selected driver, NULL when none is selected. */
struct hl_interface_param_s *stlink_diag_session_params(void);

/* Use OpenOCD's live probe when there is one, else open our own.
 * On failure the session stays closed. */
int stlink_diag_session_open(struct stlink_diag_session *s);
/* Leave the debug mode we entered and release a probe we opened. */
void stlink_diag_session_close(struct stlink_diag_session *s);
bool stlink_diag_session_is_open(const struct stlink_diag_session *s);

int stlink_diag_session_xfer(struct stlink_diag_session *s, const uint8_t *cmd, size_t cmd_len,
		const uint8_t *out, size_t out_len, uint8_t *in, size_t in_len);
/* Send @cmd and read @in_len reply bytes (no data sent to the probe). */
static inline int stlink_diag_session_xfer_in(struct stlink_diag_session *s, const uint8_t *cmd, size_t cmd_len,
		uint8_t *in, size_t in_len)
{
	return stlink_diag_session_xfer(s, cmd, cmd_len, NULL, 0, in, in_len);
}

/*
 * Send a command whose reply starts with a status byte and read @in_len reply
 * bytes, re-sending it while the target answers WAIT, as OpenOCD's driver
 * does (stlink_usb.c, stlink_cmd_allow_retry()): at most
 * STLINK_DIAG_MAX_WAIT_RETRIES retries after 1, 2, 4 ... 128 ms (255 ms in
 * all). Every WAIT answer counts in the session's wait_retries and
 * last_wait_status (`stlink_probe stats`); *waits (may be NULL) gets this
 * command's WAIT answers. Returns the transport's error only: the caller
 * decodes in[0].
 */
#define STLINK_DIAG_MAX_WAIT_RETRIES 8
int stlink_diag_session_xfer_retry_wait(struct stlink_diag_session *s, const uint8_t *cmd, size_t cmd_len,
		uint8_t *in, size_t in_len, unsigned int *waits);
/* The same with at most @max_retries retries (after 1, 2, 4 ... ms): the
 * second observations read a core that may have stopped its clock, where
 * OpenOCD's 255 ms ladder per read would cost more than it tells. */
int stlink_diag_session_xfer_retry_wait_max(struct stlink_diag_session *s, const uint8_t *cmd, size_t cmd_len,
		uint8_t *in, size_t in_len, unsigned int max_retries, unsigned int *waits);
int stlink_diag_session_tcp_request(struct stlink_diag_session *s, const uint8_t *req, size_t req_len,
		uint8_t *resp, size_t resp_len);

/* Tell OpenOCD that stlink_diag moved the AP's TAR/CSW behind its back, so
 * the dap-direct driver does not trust a stale cache after our accesses. */
void stlink_diag_session_invalidate_dap_cache(struct stlink_diag_session *s);

#endif /* OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_SESSION_H */
