/* SPDX-License-Identifier: GPL-2.0-or-later */

#ifndef OPENOCD_JTAG_DRIVERS_STLINK_DIAG_LINK_H
#define OPENOCD_JTAG_DRIVERS_STLINK_DIAG_LINK_H

#include <helper/command.h>

/* `stlink_probe write32`: chained into the stlink_probe subcommands */
extern const struct command_registration stlink_diag_link_command_handlers[];

#endif /* OPENOCD_JTAG_DRIVERS_STLINK_DIAG_LINK_H */
