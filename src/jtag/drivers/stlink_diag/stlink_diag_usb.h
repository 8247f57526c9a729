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

#include <stddef.h>
#include <stdint.h>

struct command_registration;

/* Subcommands of `stlink_probe` added by this file (chained in stlink_diag_commands.c). */
extern const struct command_registration stlink_diag_usb_subcommand_handlers[];

/*
 * The 12-byte binary serial of old ST-LINK/V2 firmware as `adapter serial`
 * matches it (OpenOCD's alternate serial: two upper-case hex digits per byte).
 * @raw: the string descriptor (bLength, bDescriptorType, UTF-16LE units);
 * returns 0 and writes 25 bytes to @out, or -1 when it is not such a descriptor.
 */
int stlink_diag_usb_binary_serial(const uint8_t *raw, size_t len, char *out, size_t size);

/* "B-P.P.P", the form `adapter usb location` takes; returns the length written. */
int stlink_diag_usb_location(uint8_t bus, const uint8_t *ports, int n_ports, char *out, size_t size);

#endif /* OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_USB_H */
