// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * The Tcl commands of stlink_diag: `stlink_probe <capability>`.
 *
 * Each capability sends the fewest ST-LINK commands it can, decodes the reply
 * with the knowledge tables and returns a Tcl dict, so the Tcl sequence
 * (tcl/stlink_diag*.tcl) decides what the values mean for the user:
 * mechanism here, policy there. A probe that answers badly gives a dict with
 * "ok 0" and the reason, never a Tcl error; Tcl errors are for bad usage.
 *
 * This file only assembles the command table. The capabilities live by job:
 *   stlink_diag_cmd_session.c   open, close, state
 *   stlink_diag_cmd_probe.c     info, mode, leave, voltage
 *   stlink_diag_cmd_wire.c      speeds, speed, speed_match, configured_speed
 *   stlink_diag_cmd_target.c    enter, exit, idcode, read32, dap_read, nrst
 *   stlink_diag_cmd_offline.c   status, decode, stats (nothing sent)
 *   stlink_diag_exit_status.c   exit_status and the exit hook
 *   stlink_diag_link.c          write32
 *   stlink_diag_stm32_commands.c, stlink_diag_usb.c: stm32 tables, USB probes
 * with their shared parts: stlink_diag_dict.c (result dicts),
 * stlink_diag_exchange.c (one exchange as a dict), stlink_diag_session.c (the
 * retrying transport), stlink_diag_probe_query.c (version probing) and
 * stlink_diag_init_hook.c (the init-failure hook).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <helper/command.h>

#include "stlink_diag_commands.h"
#include "stlink_diag_iface.h"
#include "stlink_diag_link.h"
#include "stlink_diag_probe_once.h"
#include "stlink_diag_stm32_commands.h"
#include "stlink_diag_usb.h"

static const struct command_registration stlink_probe_subcommand_handlers[] = {
	{ .chain = stlink_diag_cmd_session_handlers },
	{ .chain = stlink_diag_cmd_probe_handlers },
	{ .chain = stlink_diag_cmd_wire_handlers },
	{ .chain = stlink_diag_cmd_errrate_handlers },
	{ .chain = stlink_diag_cmd_target_handlers },
	{ .chain = stlink_diag_cmd_offline_handlers },
	{ .chain = stlink_diag_exit_status_handlers },
	{ .name = "stm32", .mode = COMMAND_ANY, .usage = "", .help = "STM32 knowledge tables",
	  .chain = stlink_diag_stm32_command_handlers },
	{ .chain = stlink_diag_usb_subcommand_handlers },
	{ .chain = stlink_diag_link_command_handlers },
	{ .chain = stlink_diag_probe_once_command_handlers },
	COMMAND_REGISTRATION_DONE
};

const struct command_registration stlink_diag_command_handlers[] = {
	{
		.name = "stlink_probe",
		.mode = COMMAND_ANY,
		.help = "stlink_diag capabilities: talk to the ST-LINK one command at a time",
		.usage = "",
		.chain = stlink_probe_subcommand_handlers,
	},
	COMMAND_REGISTRATION_DONE
};
