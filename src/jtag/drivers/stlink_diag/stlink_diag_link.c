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

#include "stlink_diag_exchange.h"
#include "stlink_diag_link.h"
#include "stlink_diag_protocol.h"

#define PPB_FIRST	0xE0000000u
#define PPB_LAST	0xE00FFFFFu

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

	uint8_t req[10] = { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_WRITEDEBUGREG };
	h_u32_to_le(req + 2, addr);
	h_u32_to_le(req + 6, value);
	return stlink_diag_cmd_status_reply(CMD, req, sizeof(req));
}

const struct command_registration stlink_diag_link_command_handlers[] = {
	{ .name = "write32", .handler = handle_stlink_probe_write32, .mode = COMMAND_ANY, .usage = "address value",
	  .help = "write one word of the debug/system control space (DHCSR, AIRCR, DBGMCU): halts or resets; "
		"callers announce it first" },
	COMMAND_REGISTRATION_DONE
};
