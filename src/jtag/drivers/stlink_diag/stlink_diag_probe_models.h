/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * ST-LINK probe models by USB PID (VID is always 0x0483).
 *
 * Depends on the C standard library only.
 *
 * Sources, per column: PIDs OpenOCD 0.12.0 knows and their names:
 * tcl/interface/stlink.cfg (hla_vid_pid list) and src/jtag/drivers/stlink_usb.c
 * (#define STLINK_*_PID); endpoints: stlink_usb.c, stlink_usb_usb_open();
 * the V2-1 STM8 heuristic: stlink_usb.c, stlink_usb_version(); PIDs only other
 * tools list (V2-1 audio, V3PWR and its loader, ...): pyOCD
 * pyocd/probe/stlink/usb.py (STLinkUSBInterface.USB_PID_EP_MAP) and
 * stlink-org src/stlink-lib/usb.h (STLINK_USB_PID_*).
 */

#ifndef OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_PROBE_MODELS_H
#define OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_PROBE_MODELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STLINK_DIAG_ST_VID 0x0483

struct stlink_diag_probe_model {
	uint16_t pid;
	const char *model;              /* "STLINK-V2-1" */
	const char *openocd_name;       /* 0.12.0 #define, e.g. "STLINK_V2_1_PID"; NULL when it has none */
	unsigned int hw;                /* hardware generation: 1, 2 or 3 */
	/*
	 * Bulk OUT endpoint of the command pipe: 0x02 on V1 and V2, 0x01 on
	 * V2-1 and V3 (OpenOCD 0.12.0 stlink_usb.c, stlink_usb_usb_open():
	 * STLINK_TX_EP / STLINK_V2_1_TX_EP by PID). Replies come on 0x81.
	 */
	uint8_t tx_ep;
	bool known_to_openocd_0_12;     /* listed in tcl/interface/stlink.cfg of 0.12.0 */
	bool has_msd;                   /* enumerates a mass-storage (drag-and-drop) drive */
	/*
	 * OpenOCD 0.12.0 decodes GET_VERSION of this PID with the STM8-only
	 * V2-1 heuristic (x/y may mean MxSy instead of JxMy).
	 */
	bool v21_swim_heuristic;
	const char *note;               /* where it is found, what to know */
};

const struct stlink_diag_probe_model *stlink_diag_probe_model_lookup(uint16_t pid); /* NULL when unknown */
extern const struct stlink_diag_probe_model stlink_diag_probe_model_table[];
extern const size_t stlink_diag_probe_model_table_size;

#endif /* OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_PROBE_MODELS_H */
