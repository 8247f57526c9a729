/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * The narrow interface between OpenOCD's ST-LINK driver (stlink_usb.c,
 * patched by stlink-diag) and the stlink_diag layer.
 *
 * Everything the diagnostics need from the driver passes through here, so
 * the patch to upstream files stays a handful of hooks:
 *  - open a probe without entering a debug mode (so a dead target still
 *    gets a report), close it;
 *  - the handle OpenOCD itself opened, once `init` succeeded;
 *  - raw exchange of one ST-LINK command, exactly as the driver sends it;
 *  - raw exchange of one stlink-server TCP request (server version, device
 *    list) on a TCP backend;
 *  - the firmware version and feature flags the driver derived;
 *  - the open parameters configured for each driver;
 *  - the last ST-LINK status byte the driver checked.
 *
 * Functions named stlink_diag_if_* are implemented in stlink_usb.c (or
 * hla_interface.c); functions named stlink_diag_hook_* are implemented by
 * stlink_diag and called from the upstream files.
 */

#ifndef OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_IFACE_H
#define OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_IFACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hl_interface_param_s;
struct command_registration;
struct libusb_device_handle;

/* What the driver knows about an open probe. */
struct stlink_diag_if_info {
	int hw;			/* hardware generation from GET_VERSION: 1, 2 or 3 */
	int jtag;		/* J version: the one every feature check uses */
	int swim;
	int jtag_api;		/* 1, 2 or 3 */
	uint32_t flags;		/* STLINK_F_* bits as OpenOCD 0.12.0 computed them */
	uint16_t vid;
	uint16_t pid;
	bool tcp;		/* true: stlink-server TCP backend; false: USB */
	uint32_t tcp_api;	/* stlink-server API and version (TCP only) */
	uint32_t tcp_major;
	uint32_t tcp_minor;
	uint32_t tcp_build;
	uint32_t tcp_device_id;	/* the server's id of the opened device */
	uint32_t tcp_connect_id;
};

/* Open the probe described by @param (USB or TCP), read its version and
 * nothing more: no mode change, no voltage read, no target access. */
int stlink_diag_if_open(struct hl_interface_param_s *param, void **handle);
/* Close a handle from stlink_diag_if_open(): leaves debug mode if the probe
 * is in it (the target keeps running) and releases the probe. */
void stlink_diag_if_close(void *handle);
/* The handle of the probe OpenOCD opened at `init`, or NULL. */
void *stlink_diag_if_live_handle(void);
void stlink_diag_if_get_info(void *handle, struct stlink_diag_if_info *info);

/*
 * Send one ST-LINK command block (@cmd_len <= 16 bytes, zero padded) and run
 * its data phase: @out_len bytes host to probe, or @in_len bytes probe to host
 * (at most one of them non-zero). The reply is not checked: the caller
 * decodes the status byte. Returns an OpenOCD ERROR_* code for transport
 * failures only.
 */
int stlink_diag_if_xfer(void *handle, const uint8_t *cmd, size_t cmd_len,
		const uint8_t *out, size_t out_len, uint8_t *in, size_t in_len);

/* Send one stlink-server request and read exactly @resp_len bytes back.
 * Fails with ERROR_FAIL on a USB backend. */
int stlink_diag_if_tcp_request(void *handle, const uint8_t *req, size_t req_len,
		uint8_t *resp, size_t resp_len);

/* The libusb handle of a USB backend, NULL on TCP. */
struct libusb_device_handle *stlink_diag_if_usb_handle(void *handle);

/* Open parameters configured for the `st-link` (dap-direct) driver; the hla
 * driver's are returned by hl_interface_get_param(). */
struct hl_interface_param_s *stlink_diag_if_dap_param(void);
struct hl_interface_param_s *hl_interface_get_param(void);

/* The last debug status byte the driver checked (0 before any). */
extern uint8_t stlink_diag_if_last_status;

/* Tcl commands of stlink_diag, chained into both drivers' command lists. */
extern const struct command_registration stlink_diag_command_handlers[];

/* Called by stlink_usb.c when entering the debug mode failed at `init`:
 * prints the decoded ST-LINK status and points to stlink_diag. */
void stlink_diag_hook_init_failed(void *handle);
/* Called by openocd_main() at exit: the exit status stlink_diag asked for
 * (one per failing layer, see the manual), or 0 when it asked for none. */
int stlink_diag_hook_exit_status(void);

#endif /* OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_IFACE_H */
