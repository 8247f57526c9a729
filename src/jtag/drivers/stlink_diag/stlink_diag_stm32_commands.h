/* SPDX-License-Identifier: GPL-2.0-or-later */

#ifndef OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_STM32_COMMANDS_H
#define OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_STM32_COMMANDS_H

#include <helper/command.h>

/* `stlink_probe stm32 ...` subcommands */
extern const struct command_registration stlink_diag_stm32_command_handlers[];

#endif
