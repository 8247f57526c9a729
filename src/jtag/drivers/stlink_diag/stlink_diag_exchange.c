// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * One capability's exchange with the probe, as a dict: the session to use,
 * and the two reply shapes most commands have (a status byte; a status byte
 * and a 32-bit value). The retrying itself is the session's
 * (stlink_diag_session_xfer_retry_wait()). See stlink_diag_exchange.h.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <helper/binarybuffer.h>
#include <helper/command.h>
#include <helper/log.h>

#include "stlink_diag_dict.h"
#include "stlink_diag_exchange.h"
#include "stlink_diag_iface.h"
#include "stlink_diag_protocol.h"
#include "stlink_diag_session.h"

struct stlink_diag_session *stlink_diag_cmd_session(struct command_invocation *cmd,
		struct stlink_diag_dict *d)
{
	struct stlink_diag_session *s = stlink_diag_session();

	/* after init, every capability borrows OpenOCD's connection by itself;
	 * before init the caller opens (and must close) the probe explicitly,
	 * or OpenOCD's own init would find it in use */
	if (!stlink_diag_session_is_open(s) && stlink_diag_if_live_handle())
		stlink_diag_session_open(s);
	if (!stlink_diag_session_is_open(s)) {
		stlink_diag_dict_fail(cmd, d, "no probe open: call 'stlink_probe open' first");
		return NULL;
	}
	return s;
}

/* A command whose reply is just a status byte (+ padding). */
int stlink_diag_cmd_status_reply(struct command_invocation *cmd, const uint8_t *bytes, size_t len)
{
	return stlink_diag_cmd_status_reply_max(cmd, bytes, len, STLINK_DIAG_MAX_WAIT_RETRIES);
}

int stlink_diag_cmd_status_reply_max(struct command_invocation *cmd, const uint8_t *bytes, size_t len,
		unsigned int max_retries)
{
	struct stlink_diag_dict d = stlink_diag_dict_new(cmd);
	struct stlink_diag_session *s = stlink_diag_cmd_session(cmd, &d);
	uint8_t reply[STLINK_DIAG_STATUS_REPLY_SIZE];

	unsigned int waits;

	if (!s)
		return ERROR_OK;
	if (stlink_diag_session_xfer_retry_wait_max(s, bytes, len, reply, sizeof(reply), max_retries, &waits)
			!= ERROR_OK)
		return stlink_diag_dict_no_answer(cmd, &d, "transport failure: the probe did not answer");
	s->last_status = reply[0];
	stlink_diag_dict_status(&d, reply[0]);
	stlink_diag_dict_int(&d, "waits", waits);
	if (waits)
		stlink_diag_dict_fmt(&d, "wait_status", "0x%02x", s->last_wait_status);
	return stlink_diag_dict_done(cmd, &d);
}

/* A command whose reply is status + one 32-bit value at byte 4. */
int stlink_diag_cmd_value_reply(struct command_invocation *cmd, const uint8_t *bytes, size_t len, const char *key)
{
	return stlink_diag_cmd_value_reply_max(cmd, bytes, len, key, STLINK_DIAG_MAX_WAIT_RETRIES);
}

int stlink_diag_cmd_value_reply_max(struct command_invocation *cmd, const uint8_t *bytes, size_t len,
		const char *key, unsigned int max_retries)
{
	struct stlink_diag_dict d = stlink_diag_dict_new(cmd);
	struct stlink_diag_session *s = stlink_diag_cmd_session(cmd, &d);
	uint8_t reply[STLINK_DIAG_IDCODES_REPLY_SIZE];
	size_t reply_len = bytes[1] == STLINK_DIAG_READ_IDCODES ? STLINK_DIAG_IDCODES_REPLY_SIZE
		: STLINK_DIAG_REG_REPLY_SIZE;

	unsigned int waits;

	if (!s)
		return ERROR_OK;
	if (stlink_diag_session_xfer_retry_wait_max(s, bytes, len, reply, reply_len, max_retries, &waits) != ERROR_OK)
		return stlink_diag_dict_no_answer(cmd, &d, "transport failure: the probe did not answer");
	s->last_status = reply[0];
	stlink_diag_dict_status(&d, reply[0]);
	stlink_diag_dict_int(&d, "waits", waits);
	if (waits)
		stlink_diag_dict_fmt(&d, "wait_status", "0x%02x", s->last_wait_status);
	stlink_diag_dict_hex32(&d, key, le_to_h_u32(reply + 4));
	stlink_diag_session_invalidate_dap_cache(s);
	return stlink_diag_dict_done(cmd, &d);
}

bool stlink_diag_cmd_arg_is_jtag(struct command_invocation *cmd, unsigned int i, bool *jtag)
{
	if (CMD_ARGC <= i) {
		*jtag = false;
		return true;
	}
	if (!strcmp(CMD_ARGV[i], "swd"))
		*jtag = false;
	else if (!strcmp(CMD_ARGV[i], "jtag"))
		*jtag = true;
	else
		return false;
	return true;
}
