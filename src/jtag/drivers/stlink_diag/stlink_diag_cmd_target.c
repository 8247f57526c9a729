// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * stlink_probe enter, exit, idcode, read32, dap_read, nrst: the target through the probe.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <helper/binarybuffer.h>
#include <helper/command.h>
#include <helper/log.h>

#include "stlink_diag_commands.h"
#include "stlink_diag_exchange.h"
#include "stlink_diag_iface.h"
#include "stlink_diag_protocol.h"
#include "stlink_diag_session.h"
#include "stlink_diag_version.h"

COMMAND_HANDLER(handle_stlink_probe_enter)
{
	bool jtag;
	if (CMD_ARGC > 1 || !stlink_diag_cmd_arg_is_jtag(CMD, 0, &jtag))
		return ERROR_COMMAND_SYNTAX_ERROR;

	struct stlink_diag_session *s = stlink_diag_session();
	const uint8_t req[] = { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_DEBUG_ENTER,
		jtag ? STLINK_DIAG_ENTER_JTAG : STLINK_DIAG_ENTER_SWD };
	int retval = stlink_diag_cmd_status_reply(CMD, req, sizeof(req));
	/* DEBUG_EXIT is owed even after a failed ENTER: the firmware may have
	 * switched modes before the target failed to answer */
	if (stlink_diag_session_is_open(s) && s->own)
		s->in_debug_mode = true;
	return retval;
}

COMMAND_HANDLER(handle_stlink_probe_exit)
{
	if (CMD_ARGC != 0)
		return ERROR_COMMAND_SYNTAX_ERROR;

	struct stlink_diag_session *s = stlink_diag_session();
	const uint8_t req[] = { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_DEBUG_EXIT };
	if (!stlink_diag_session_is_open(s))
		return ERROR_OK;
	if (!s->own) {
		command_print(CMD, "stlink_probe exit: OpenOCD owns this connection; not leaving debug mode");
		return ERROR_FAIL;
	}
	stlink_diag_session_xfer(s, req, sizeof(req), NULL, 0, NULL, 0);
	s->in_debug_mode = false;
	return ERROR_OK;
}

COMMAND_HANDLER(handle_stlink_probe_idcode)
{
	if (CMD_ARGC != 0)
		return ERROR_COMMAND_SYNTAX_ERROR;
	const uint8_t req[] = { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_READ_IDCODES };
	return stlink_diag_cmd_value_reply(CMD, req, sizeof(req), "dpidr");
}

/* One 32-bit AHB read through READDEBUGREG: one round trip, where a memory
 * read costs two (READMEM + GETLASTRWSTATUS2). */
COMMAND_HANDLER(handle_stlink_probe_read32)
{
	uint32_t addr;
	if (CMD_ARGC != 1)
		return ERROR_COMMAND_SYNTAX_ERROR;
	COMMAND_PARSE_NUMBER(u32, CMD_ARGV[0], addr);
	if (addr & 3) {
		command_print(CMD, "stlink_probe read32: address 0x%08" PRIx32 " is not word aligned", addr);
		return ERROR_COMMAND_ARGUMENT_INVALID;
	}
	uint8_t req[6] = { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_READDEBUGREG };
	h_u32_to_le(req + 2, addr);
	return stlink_diag_cmd_value_reply(CMD, req, sizeof(req), "value");
}

COMMAND_HANDLER(handle_stlink_probe_dap_read)
{
	uint16_t port, reg;
	if (CMD_ARGC != 2)
		return ERROR_COMMAND_SYNTAX_ERROR;
	if (!strcmp(CMD_ARGV[0], "dp"))
		port = STLINK_DIAG_DP_PORT;
	else
		COMMAND_PARSE_NUMBER(u16, CMD_ARGV[0], port);
	COMMAND_PARSE_NUMBER(u16, CMD_ARGV[1], reg);

	struct stlink_diag_session *s = stlink_diag_session();
	if (stlink_diag_session_is_open(s)) {
		struct stlink_diag_if_info info;
		stlink_diag_if_get_info(s->handle, &info);
		if (!(info.flags & (1u << STLINK_DIAG_F_HAS_DAP_REG))) {
			struct stlink_diag_dict d = stlink_diag_dict_new(CMD);
			return stlink_diag_dict_unsupported(CMD, &d, STLINK_DIAG_F_HAS_DAP_REG, "read DAP registers");
		}
	}
	uint8_t req[6] = { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_READ_DAP_REG };
	h_u16_to_le(req + 2, port);
	h_u16_to_le(req + 4, reg);
	return stlink_diag_cmd_value_reply(CMD, req, sizeof(req), "value");
}

COMMAND_HANDLER(handle_stlink_probe_nrst)
{
	static const char * const levels[] = { "low", "high", "pulse" };
	if (CMD_ARGC != 1)
		return ERROR_COMMAND_SYNTAX_ERROR;
	for (uint8_t i = 0; i < ARRAY_SIZE(levels); i++) {
		if (strcmp(CMD_ARGV[0], levels[i]))
			continue;
		const uint8_t req[] = { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_DRIVE_NRST, i };
		LOG_INFO("stlink_diag: driving NRST %s", levels[i]);
		return stlink_diag_cmd_status_reply(CMD, req, sizeof(req));
	}
	return ERROR_COMMAND_SYNTAX_ERROR;
}

const struct command_registration stlink_diag_cmd_target_handlers[] = {
	{ .name = "enter", .handler = handle_stlink_probe_enter, .mode = COMMAND_ANY, .usage = "[swd|jtag]",
	  .help = "enter SWD or JTAG debug mode: the firmware's line reset and IDCODE read" },
	{ .name = "exit", .handler = handle_stlink_probe_exit, .mode = COMMAND_ANY, .usage = "",
	  .help = "leave the debug mode stlink_diag entered" },
	{ .name = "idcode", .handler = handle_stlink_probe_idcode, .mode = COMMAND_ANY, .usage = "",
	  .help = "read the DPIDR (SWD) or IDCODE (JTAG)" },
	{ .name = "read32", .handler = handle_stlink_probe_read32, .mode = COMMAND_ANY, .usage = "address",
	  .help = "read one 32-bit word through the AHB-AP, without halting" },
	{ .name = "dap_read", .handler = handle_stlink_probe_dap_read, .mode = COMMAND_ANY,
	  .usage = "(dp|ap_number) register",
	  .help = "read a DP or AP register (firmware V2J24 and later)" },
	{ .name = "nrst", .handler = handle_stlink_probe_nrst, .mode = COMMAND_ANY, .usage = "low|high|pulse",
	  .help = "drive the NRST line; resets the target: callers announce it first" },
	COMMAND_REGISTRATION_DONE
};
