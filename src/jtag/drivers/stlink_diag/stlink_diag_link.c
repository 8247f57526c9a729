// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Target-link capabilities of stlink_diag that write: `stlink_probe write32`.
 *
 * Only the core's debug and system control registers (the Private Peripheral
 * Bus, 0xE0000000..0xE00FFFFF: DHCSR, DEMCR, AIRCR, DBGMCU on most parts) may
 * be written, so no check can ever touch flash, option bytes or RAM. Whether a
 * write is worth its side effect (a halt, a reset) is the Tcl layer's call,
 * which announces it first.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <helper/binarybuffer.h>
#include <helper/command.h>
#include <helper/log.h>

#include "stlink_diag_link.h"
#include "stlink_diag_protocol.h"
#include "stlink_diag_session.h"
#include "stlink_diag_status.h"

#define PPB_FIRST	0xE0000000u
#define PPB_LAST	0xE00FFFFFu

static void set_str(Jim_Interp *interp, Jim_Obj *d, const char *k, const char *v)
{
	Jim_DictAddElement(interp, d, Jim_NewStringObj(interp, k, -1), Jim_NewStringObj(interp, v, -1));
}

static void set_int(Jim_Interp *interp, Jim_Obj *d, const char *k, long v)
{
	Jim_DictAddElement(interp, d, Jim_NewStringObj(interp, k, -1), Jim_NewIntObj(interp, v));
}

/* the result of a capability is its printed dict, like the other stlink_probe commands */
static int dict_print(struct command_invocation *cmd, Jim_Obj *d)
{
	command_print(cmd, "%s", Jim_String(d));
	Jim_DecrRefCount(cmd->ctx->interp, d);
	return ERROR_OK;
}

COMMAND_HANDLER(handle_stlink_probe_write32)
{
	uint32_t addr, value;
	if (CMD_ARGC != 2)
		return ERROR_COMMAND_SYNTAX_ERROR;
	COMMAND_PARSE_NUMBER(u32, CMD_ARGV[0], addr);
	COMMAND_PARSE_NUMBER(u32, CMD_ARGV[1], value);
	if ((addr & 3) || addr < PPB_FIRST || addr > PPB_LAST) {
		command_print(CMD, "stlink_probe write32: 0x%08" PRIx32
			" is not a word in the debug/system control space 0xE0000000..0xE00FFFFF", addr);
		return ERROR_COMMAND_ARGUMENT_INVALID;
	}

	Jim_Interp *interp = CMD_CTX->interp;
	Jim_Obj *d = Jim_NewDictObj(interp, NULL, 0);
	Jim_IncrRefCount(d);
	struct stlink_diag_session *s = stlink_diag_session();
	if (!stlink_diag_session_is_open(s)) {
		set_int(interp, d, "ok", 0);
		set_str(interp, d, "error", "no probe open: call 'stlink_probe open' first");
		return dict_print(CMD, d);
	}

	uint8_t req[10] = { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_WRITEDEBUGREG };
	uint8_t reply[STLINK_DIAG_STATUS_REPLY_SIZE];
	h_u32_to_le(req + 2, addr);
	h_u32_to_le(req + 6, value);
	unsigned int waits;
	if (stlink_diag_session_xfer_retry_wait(s, req, sizeof(req), reply, sizeof(reply), &waits) != ERROR_OK) {
		set_int(interp, d, "ok", 0);
		set_str(interp, d, "error", "transport failure: the probe did not answer");
		return dict_print(CMD, d);
	}
	s->last_status = reply[0];
	const struct stlink_diag_status *st = stlink_diag_status_lookup(reply[0]);
	char code[8];
	snprintf(code, sizeof(code), "0x%02x", reply[0]);
	set_str(interp, d, "status", code);
	set_str(interp, d, "status_name", st ? st->token : "UNKNOWN");
	set_str(interp, d, "status_class", st ? stlink_diag_status_class_name(st->class) : "unknown");
	set_int(interp, d, "waits", waits);
	if (waits) {
		snprintf(code, sizeof(code), "0x%02x", s->last_wait_status);
		set_str(interp, d, "wait_status", code);
	}
	set_int(interp, d, "ok", reply[0] == STLINK_DIAG_STATUS_OK);
	return dict_print(CMD, d);
}

const struct command_registration stlink_diag_link_command_handlers[] = {
	{ .name = "write32", .handler = handle_stlink_probe_write32, .mode = COMMAND_ANY, .usage = "address value",
	  .help = "write one word of the debug/system control space (DHCSR, AIRCR, DBGMCU): halts or resets; "
		"callers announce it first" },
	COMMAND_REGISTRATION_DONE
};
