/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * The exchange every stlink_probe capability makes: find the session, send
 * one command through the retrying transport, return its reply as a dict.
 */

#ifndef OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_EXCHANGE_H
#define OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_EXCHANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <helper/command.h>

#include "stlink_diag_dict.h"
#include "stlink_diag_session.h"

/* The open session (after init: OpenOCD's connection, borrowed), or NULL
 * after printing "ok 0" in @d when no probe is open. */
struct stlink_diag_session *stlink_diag_cmd_session(struct command_invocation *cmd, struct stlink_diag_dict *d);
/* A command whose reply is a status byte (+ padding), WAIT retried:
 * the decoded status and "waits". */
int stlink_diag_cmd_status_reply(struct command_invocation *cmd, const uint8_t *bytes, size_t len);
/* A command whose reply is a status byte and a 32-bit value at byte 4,
 * WAIT retried: the decoded status, "waits" and the value under @key. */
int stlink_diag_cmd_value_reply(struct command_invocation *cmd, const uint8_t *bytes, size_t len,
		const char *key);
/* The same two with at most @max_retries WAIT retries (see
 * stlink_diag_session_xfer_retry_wait_max). */
int stlink_diag_cmd_status_reply_max(struct command_invocation *cmd, const uint8_t *bytes, size_t len,
		unsigned int max_retries);
int stlink_diag_cmd_value_reply_max(struct command_invocation *cmd, const uint8_t *bytes, size_t len,
		const char *key, unsigned int max_retries);
/* Optional argument @i: "swd" (default) or "jtag"; false on anything else. */
bool stlink_diag_cmd_arg_is_jtag(struct command_invocation *cmd, unsigned int i, bool *jtag);

#endif /* OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_EXCHANGE_H */
