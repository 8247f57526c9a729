// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * What the probe says about itself: its version (GET_VERSION, and
 * GET_VERSION_EX where needed), its serial number and its feature lists.
 * See stlink_diag_probe_query.h.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <libusb.h>
#include <string.h>

#include <helper/binarybuffer.h>
#include <helper/command.h>
#include <helper/log.h>

#include "stlink_diag_probe_query.h"
#include "stlink_diag_protocol.h"
#include "stlink_diag_version.h"

int stlink_diag_probe_version(struct stlink_diag_session *s, struct stlink_diag_version *v)
{
	uint8_t reply[STLINK_DIAG_VERSION_EX_REPLY_SIZE];
	const uint8_t f1[] = { STLINK_DIAG_GET_VERSION };
	const uint8_t fb[] = { STLINK_DIAG_GET_VERSION_EX };

	if (stlink_diag_session_xfer_in(s, f1, sizeof(f1), reply, STLINK_DIAG_VERSION_REPLY_SIZE) != ERROR_OK)
		return ERROR_FAIL;
	if (stlink_diag_version_decode(reply, STLINK_DIAG_VERSION_REPLY_SIZE, v) != 0)
		return ERROR_FAIL;
	if (!v->needs_ex)
		return ERROR_OK;
	if (stlink_diag_session_xfer_in(s, fb, sizeof(fb), reply, STLINK_DIAG_VERSION_EX_REPLY_SIZE) != ERROR_OK)
		return ERROR_FAIL;
	return stlink_diag_version_decode_ex(reply, STLINK_DIAG_VERSION_EX_REPLY_SIZE, v) ? ERROR_FAIL : ERROR_OK;
}

/* Serial number of the open probe: USB string descriptor, or the server's
 * device list entry whose id is the opened one. Empty when unknown. */
void stlink_diag_probe_serial(struct stlink_diag_session *s, const struct stlink_diag_if_info *info,
		char *buf, size_t size)
{
	buf[0] = '\0';
	if (!info->tcp) {
		struct libusb_device_handle *usb = stlink_diag_if_usb_handle(s->handle);
		struct libusb_device_descriptor desc;
		if (!usb || libusb_get_device_descriptor(libusb_get_device(usb), &desc) != 0 || !desc.iSerialNumber)
			return;
		if (libusb_get_string_descriptor_ascii(usb, desc.iSerialNumber, (unsigned char *)buf, size) < 0)
			buf[0] = '\0';
		return;
	}

	uint8_t req[8] = { STLINK_DIAG_TCP_GET_NB_DEV };
	uint8_t resp[4 + STLINK_DIAG_TCP_DEV_INFO_SIZE];
	if (stlink_diag_session_tcp_request(s, req, 1, resp, 4) != ERROR_OK)
		return;
	uint32_t count = le_to_h_u32(resp);
	/* a server lists 255 probes at most (OpenOCD clamps the same way) */
	for (uint32_t i = 0; i < count && i < 255; i++) {
		memset(req, 0, sizeof(req));
		req[0] = STLINK_DIAG_TCP_GET_DEV_INFO;
		req[1] = i;
		h_u32_to_le(req + 4, STLINK_DIAG_TCP_DEV_INFO_SIZE);
		if (stlink_diag_session_tcp_request(s, req, sizeof(req), resp, sizeof(resp)) != ERROR_OK)
			return;
		if (le_to_h_u32(resp + 4) != info->tcp_device_id)
			continue;
		size_t n = STLINK_DIAG_TCP_SERIAL_LEN < size - 1 ? STLINK_DIAG_TCP_SERIAL_LEN : size - 1;
		memcpy(buf, resp + 8, n);
		buf[n] = '\0';
		return;
	}
}

Jim_Obj *stlink_diag_probe_feature_list(Jim_Interp *interp, uint32_t flags, bool present)
{
	Jim_Obj *list = Jim_NewListObj(interp, NULL, 0);

	for (size_t i = 0; i < stlink_diag_feature_table_size; i++) {
		const struct stlink_diag_feature *f = &stlink_diag_feature_table[i];
		bool has = flags & (1u << f->bit);
		if (has != present)
			continue;
		/* a quirk that is absent is nothing the user misses */
		if (!present && f->bit == STLINK_DIAG_F_QUIRK_JTAG_DP_READ)
			continue;
		Jim_ListAppendElement(interp, list, Jim_NewStringObj(interp, f->name, -1));
		if (!present)
			Jim_ListAppendElement(interp, list, Jim_NewStringObj(interp, f->without, -1));
	}
	return list;
}
