/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * `stlink_probe list`: every ST-LINK on USB (VID 0x0483, any PID of the probe
 * model table), with what a user needs to pick one and to know why it cannot
 * be used: serial (as text and as `adapter serial` wants it), USB location,
 * firmware, mode, permission, busy (and who holds it), and whether the
 * selected interface configuration lists its PID.
 */

#ifndef OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_USB_H
#define OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_USB_H

struct command_registration;

/* Subcommands of `stlink_probe` added by this file (chained in stlink_diag_commands.c). */
extern const struct command_registration stlink_diag_usb_subcommand_handlers[];

#endif /* OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_USB_H */
