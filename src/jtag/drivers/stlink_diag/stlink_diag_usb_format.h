/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * How an ST-LINK on USB is named to the user: its serial as text and as
 * `adapter serial` matches it, and its location as `adapter usb location`
 * takes it. Depends on the C standard library only.
 *
 * Sources: OpenOCD 0.12.0 src/jtag/drivers/stlink_usb.c,
 * stlink_usb_get_alternate_serial() (old V2 firmware's 12 binary serial
 * bytes, matched as 24 hex digits); doc/openocd.texi, "adapter usb location"
 * (the bus-port[.port]... form).
 */

#ifndef OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_USB_FORMAT_H
#define OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_USB_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define STLINK_DIAG_SERIAL_HEX_LEN	24	/* 12 bytes as hex digits */

/*
 * The 12-byte binary serial of old ST-LINK/V2 firmware as `adapter serial`
 * matches it (two upper-case hex digits per byte). @raw: the string
 * descriptor as read (bLength 26, bDescriptorType 3, 12 UTF-16 units each
 * carrying one byte). Returns 0 and writes 25 bytes to @out, or -1 when it is
 * not such a descriptor (a normal serial: 50 bytes of UTF-16 hex digits).
 */
int stlink_diag_usb_binary_serial(const uint8_t *raw, size_t len, char *out, size_t size);

/* "BUS-PORT[.PORT]...", the form `adapter usb location` takes; returns the length. */
int stlink_diag_usb_location(uint8_t bus, const uint8_t *ports, int n_ports, char *out, size_t size);

/* The serial as printable text: control bytes, non-ASCII and '\' as "\xNN". */
void stlink_diag_usb_escape_serial(const char *serial, char *out, size_t size);

#endif /* OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_USB_FORMAT_H */
