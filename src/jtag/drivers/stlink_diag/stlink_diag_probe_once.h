/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Single-attempt accesses: stlink_probe peek and dbgmcu_write (stlink_diag_probe_once.c). */

#ifndef OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_PROBE_ONCE_H
#define OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_PROBE_ONCE_H

#include <helper/command.h>

extern const struct command_registration stlink_diag_probe_once_command_handlers[];

#endif /* OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_PROBE_ONCE_H */
