// SPDX-License-Identifier: GPL-2.0-or-later

/* Naming an ST-LINK on USB. See stlink_diag_usb_format.h for the sources. */

#include <stdio.h>

#include "stlink_diag_usb_format.h"

#define USB_DT_STRING	3

int stlink_diag_usb_binary_serial(const uint8_t *raw, size_t len, char *out, size_t size)
{
	if (!raw || !out || len < 2 + STLINK_DIAG_SERIAL_HEX_LEN || raw[0] != 2 + STLINK_DIAG_SERIAL_HEX_LEN ||
			raw[1] != USB_DT_STRING || size < STLINK_DIAG_SERIAL_HEX_LEN + 1)
		return -1;
	for (unsigned int i = 0; i < STLINK_DIAG_SERIAL_HEX_LEN / 2; i++)
		snprintf(out + 2 * i, 3, "%02X", raw[2 + 2 * i]);
	out[STLINK_DIAG_SERIAL_HEX_LEN] = '\0';
	return 0;
}

int stlink_diag_usb_location(uint8_t bus, const uint8_t *ports, int n_ports, char *out, size_t size)
{
	int n = snprintf(out, size, "%u", bus);

	for (int i = 0; i < n_ports && n >= 0 && (size_t)n < size; i++)
		n += snprintf(out + n, size - n, "%c%u", i ? '.' : '-', ports[i]);
	return n;
}

void stlink_diag_usb_escape_serial(const char *serial, char *out, size_t size)
{
	size_t k = 0;

	if (!size)
		return;
	/* room for the longest escape and the NUL is checked before each byte */
	for (size_t i = 0; serial[i] && k + 5 < size; i++) {
		unsigned char c = serial[i];
		k += snprintf(out + k, size - k, c < 0x20 || c > 0x7e || c == '\\' ? "\\x%02X" : "%c", c);
	}
	out[k] = '\0';
}
