// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Single-attempt target accesses for the second observations of
 * stlink_diag: `stlink_probe peek` reads one word and returns a WAIT answer
 * as it is (no 1+2+...+128 ms retry ladder: a stopped core would cost a
 * quarter of a second per read), so the Tcl layers decide how long to wait.
 * `stlink_probe dbgmcu_write` writes a family's DBGMCU_CR, a debug register
 * outside the 0xE0000000 space write32 is limited to on F0/G0/C0/L0 and H7.
 * Both count WAIT answers in the session statistics like every capability.
 * Commands: ST-LINK JTAG_READDEBUG_32BIT / JTAG_WRITEDEBUG_32BIT (OpenOCD
 * src/jtag/drivers/stlink_usb.c, stlink_usb_read_reg/stlink_usb_write_debug_reg).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <helper/binarybuffer.h>
#include <helper/command.h>
#include <helper/log.h>

#include "stlink_diag_probe_once.h"
#include "stlink_diag_protocol.h"
#include "stlink_diag_session.h"
#include "stlink_diag_status.h"
#include "stlink_diag_stm32.h"

static void put_str(Jim_Interp *in, Jim_Obj *d, const char *k, const char *v)
{
	Jim_DictAddElement(in, d, Jim_NewStringObj(in, k, -1), Jim_NewStringObj(in, v ? v : "", -1));
}

static void put_int(Jim_Interp *in, Jim_Obj *d, const char *k, long v)
{
	Jim_DictAddElement(in, d, Jim_NewStringObj(in, k, -1), Jim_NewIntObj(in, v));
}

static int print_dict(struct command_invocation *cmd, Jim_Obj *d)
{
	command_print(cmd, "%s", Jim_String(d));
	Jim_DecrRefCount(cmd->ctx->interp, d);
	return ERROR_OK;
}

/* status fields of a reply's first byte; counts a WAIT in the session */
static void put_status(Jim_Interp *in, Jim_Obj *d, struct stlink_diag_session *s, uint8_t code)
{
	char buf[8];
	const struct stlink_diag_status *st = stlink_diag_status_lookup(code);
	bool wait = st && st->class == STLINK_DIAG_ST_WAIT;

	snprintf(buf, sizeof(buf), "0x%02x", code);
	put_int(in, d, "ok", st && st->class == STLINK_DIAG_ST_OK);
	put_str(in, d, "status", buf);
	put_str(in, d, "status_name", st ? st->token : "unknown");
	put_int(in, d, "wait", wait);
	put_int(in, d, "waits", 0);
	if (wait) {
		s->wait_retries++;
		s->last_wait_status = code;
	}
}

static int one_xfer(struct command_invocation *cmd, const uint8_t *req, size_t len, uint8_t *reply,
		size_t reply_len, Jim_Obj **out)
{
	Jim_Interp *in = CMD_CTX->interp;
	Jim_Obj *d = Jim_NewDictObj(in, NULL, 0);
	Jim_IncrRefCount(d);
	*out = d;
	struct stlink_diag_session *s = stlink_diag_session();
	if (!stlink_diag_session_is_open(s)) {
		put_int(in, d, "ok", 0);
		put_str(in, d, "error", "no probe open: call 'stlink_probe open' first");
		return ERROR_FAIL;
	}
	if (stlink_diag_session_xfer(s, req, len, NULL, 0, reply, reply_len) != ERROR_OK) {
		put_int(in, d, "ok", 0);
		put_str(in, d, "error", "transport failure: the probe did not answer");
		return ERROR_FAIL;
	}
	put_status(in, d, s, reply[0]);
	return ERROR_OK;
}

/* stlink_probe peek address: one read, no WAIT retry */
COMMAND_HANDLER(handle_stlink_probe_peek)
{
	uint32_t addr;
	if (CMD_ARGC != 1)
		return ERROR_COMMAND_SYNTAX_ERROR;
	COMMAND_PARSE_NUMBER(u32, CMD_ARGV[0], addr);
	if (addr & 3) {
		command_print(CMD, "stlink_probe peek: address 0x%08" PRIx32 " is not word aligned", addr);
		return ERROR_COMMAND_ARGUMENT_INVALID;
	}
	uint8_t req[6] = { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_READDEBUGREG };
	uint8_t reply[STLINK_DIAG_REG_REPLY_SIZE] = { 0 };
	Jim_Obj *d;
	h_u32_to_le(req + 2, addr);
	if (one_xfer(CMD, req, sizeof(req), reply, sizeof(reply), &d) == ERROR_OK) {
		char buf[16];
		snprintf(buf, sizeof(buf), "0x%08" PRIx32, le_to_h_u32(reply + 4));
		if (reply[0] == 0x80)
			put_str(CMD_CTX->interp, d, "value", buf);
	}
	return print_dict(CMD, d);
}

/* stlink_probe dbgmcu_write family value: the family's DBGMCU_CR, nothing else */
COMMAND_HANDLER(handle_stlink_probe_dbgmcu_write)
{
	uint32_t value;
	if (CMD_ARGC != 2)
		return ERROR_COMMAND_SYNTAX_ERROR;
	const struct stlink_diag_stm32_power *f = stlink_diag_stm32_power_lookup(CMD_ARGV[0]);
	if (!f || !f->dbgmcu_cr) {
		command_print(CMD, "stlink_probe dbgmcu_write: unknown family '%s'", CMD_ARGV[0]);
		return ERROR_COMMAND_ARGUMENT_INVALID;
	}
	COMMAND_PARSE_NUMBER(u32, CMD_ARGV[1], value);
	uint8_t req[10] = { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_WRITEDEBUGREG };
	uint8_t reply[STLINK_DIAG_STATUS_REPLY_SIZE] = { 0 };
	Jim_Obj *d;
	h_u32_to_le(req + 2, f->dbgmcu_cr);
	h_u32_to_le(req + 6, value);
	one_xfer(CMD, req, sizeof(req), reply, sizeof(reply), &d);
	return print_dict(CMD, d);
}

const struct command_registration stlink_diag_probe_once_command_handlers[] = {
	{ .name = "peek", .handler = handle_stlink_probe_peek, .mode = COMMAND_ANY, .usage = "address",
	  .help = "read one 32-bit word once: a WAIT answer is returned, not retried" },
	{ .name = "dbgmcu_write", .handler = handle_stlink_probe_dbgmcu_write, .mode = COMMAND_ANY,
	  .usage = "family value",
	  .help = "write the family's DBGMCU_CR (low-power debug bits); callers announce it first" },
	COMMAND_REGISTRATION_DONE
};
