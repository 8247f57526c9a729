// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * The exit status stlink_diag asks OpenOCD for: `stlink_probe exit_status`
 * records it, openocd_main() returns it at shutdown through
 * stlink_diag_hook_exit_status() (patches/0003-openocd-*.patch).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <helper/command.h>
#include <helper/log.h>

#include "stlink_diag_commands.h"
#include "stlink_diag_iface.h"

/* exit status requested by `stlink_probe exit_status`, 0 = none */
static int stlink_diag_exit_status;

COMMAND_HANDLER(handle_stlink_probe_exit_status)
{
	int status;
	if (CMD_ARGC != 1)
		return ERROR_COMMAND_SYNTAX_ERROR;
	COMMAND_PARSE_NUMBER(int, CMD_ARGV[0], status);
	if (status < 0 || status > 125) {
		command_print(CMD, "stlink_probe exit_status: %d is not in 0..125", status);
		return ERROR_COMMAND_ARGUMENT_INVALID;
	}
	stlink_diag_exit_status = status;
	return ERROR_OK;
}

int stlink_diag_hook_exit_status(void)
{
	return stlink_diag_exit_status;
}

const struct command_registration stlink_diag_exit_status_handlers[] = {
	{ .name = "exit_status", .handler = handle_stlink_probe_exit_status, .mode = COMMAND_ANY,
	  .usage = "status",
	  .help = "exit status OpenOCD returns when it shuts down (stlink_diag before init)" },
	COMMAND_REGISTRATION_DONE
};
