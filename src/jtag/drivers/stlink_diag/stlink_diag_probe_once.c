// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Bounded target accesses for the second observations of stlink_diag:
 * `stlink_probe peek` reads one word and retries a WAIT answer at most
 * PEEK_MAX_RETRIES times (1 + 2 + 4 ms) instead of OpenOCD's 1 + 2 + ... +
 * 128 ms ladder: a core that stopped its clock would cost a quarter of a
 * second per read, and the WAIT itself is the observation.
 * `stlink_probe dbgmcu_write` writes a family's DBGMCU_CR, a debug register
 * outside the 0xE0000000 space write32 is limited to on F0/G0/C0/L0 and H7.
 * Both go through the shared exchange (stlink_diag_exchange.c), so their
 * WAIT answers count in the session statistics like every capability's.
 * Commands: ST-LINK JTAG_READDEBUG_32BIT / JTAG_WRITEDEBUG_32BIT (OpenOCD
 * src/jtag/drivers/stlink_usb.c, stlink_usb_read_reg/stlink_usb_write_debug_reg).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <helper/binarybuffer.h>
#include <helper/command.h>
#include <helper/log.h>

#include "stlink_diag_exchange.h"
#include "stlink_diag_probe_once.h"
#include "stlink_diag_protocol.h"
#include "stlink_diag_stm32.h"

#define PEEK_MAX_RETRIES 3

/* stlink_probe peek address: one read, WAIT retried at most 3 times */
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
	h_u32_to_le(req + 2, addr);
	return stlink_diag_cmd_value_reply_max(CMD, req, sizeof(req), "value", PEEK_MAX_RETRIES);
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
	h_u32_to_le(req + 2, f->dbgmcu_cr);
	h_u32_to_le(req + 6, value);
	return stlink_diag_cmd_status_reply_max(CMD, req, sizeof(req), PEEK_MAX_RETRIES);
}

const struct command_registration stlink_diag_probe_once_command_handlers[] = {
	{ .name = "peek", .handler = handle_stlink_probe_peek, .mode = COMMAND_ANY, .usage = "address",
	  .help = "read one 32-bit word, retrying a WAIT answer at most 3 times (7 ms) instead of 255 ms" },
	{ .name = "dbgmcu_write", .handler = handle_stlink_probe_dbgmcu_write, .mode = COMMAND_ANY,
	  .usage = "family value",
	  .help = "write the family's DBGMCU_CR (low-power debug bits); callers announce it first" },
	COMMAND_REGISTRATION_DONE
};
