/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * The groups of stlink_probe capabilities, chained in this order into the
 * `stlink_probe` command by stlink_diag_commands.c.
 */

#ifndef OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_COMMANDS_H
#define OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_COMMANDS_H

#include <helper/command.h>

extern const struct command_registration stlink_diag_cmd_session_handlers[];
extern const struct command_registration stlink_diag_cmd_probe_handlers[];
extern const struct command_registration stlink_diag_cmd_wire_handlers[];
extern const struct command_registration stlink_diag_cmd_errrate_handlers[];
extern const struct command_registration stlink_diag_cmd_target_handlers[];
extern const struct command_registration stlink_diag_cmd_offline_handlers[];
extern const struct command_registration stlink_diag_exit_status_handlers[];

#endif /* OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_COMMANDS_H */
