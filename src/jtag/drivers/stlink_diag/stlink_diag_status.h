/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * ST-LINK status knowledge: the debug status byte, the stlink-server TCP
 * status word and the probe mode byte, each as one table.
 *
 * Depends on the C standard library only, so the same file builds into
 * OpenOCD and into the standalone unit tests.
 *
 * Sources: OpenOCD 0.12.0 src/jtag/drivers/stlink_usb.c: the debug status
 * #defines (STLINK_DEBUG_ERR_OK, STLINK_SWD_AP_WAIT, ...) and
 * stlink_usb_error_check() (what OpenOCD returns for each), the TCP status
 * #defines (STLINK_TCP_SS_*) and stlink_tcp_send_cmd(), the mode #defines
 * (STLINK_DEV_*_MODE) and stlink_usb_current_mode(); pyOCD
 * pyocd/probe/stlink/constants.py (Status) for the codes OpenOCD does not
 * name.
 */

#ifndef OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_STATUS_H
#define OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a status means for the user, not for the driver. */
enum stlink_diag_status_class {
	STLINK_DIAG_ST_OK,          /* 0x80 */
	STLINK_DIAG_ST_WAIT,        /* target busy: retry */
	STLINK_DIAG_ST_NO_TARGET,   /* nothing answered on the wire: 0x05, 0x09, ... */
	STLINK_DIAG_ST_FAULT,       /* target answered FAULT / bus error */
	STLINK_DIAG_ST_LINE_ERROR,  /* parity / protocol error: signal integrity */
	STLINK_DIAG_ST_POWER,       /* debug power-up failed */
	STLINK_DIAG_ST_PROBE,       /* probe-side / firmware / usage error */
};

/* The status byte OpenOCD checks for success (reply byte 0). */
#define STLINK_DIAG_STATUS_OK 0x80

struct stlink_diag_status {
	uint8_t code;
	/* OpenOCD's name without the STLINK_ prefix where it has one, e.g. "SWD_DP_WAIT" */
	const char *token;
	const char *meaning;        /* one plain sentence */
	const char *causes;         /* likely causes in user words */
	enum stlink_diag_status_class class;
	bool named_by_openocd;      /* true where OpenOCD 0.12.0 has a #define for it */
	/* what stlink_usb_error_check() in 0.12.0 turns it into: "ERROR_OK", "ERROR_WAIT" or "ERROR_FAIL" */
	const char *openocd_result;
};

const struct stlink_diag_status *stlink_diag_status_lookup(uint8_t code); /* NULL when unknown */
const char *stlink_diag_status_class_name(enum stlink_diag_status_class c); /* "ok","wait","no_target",... */
extern const struct stlink_diag_status stlink_diag_status_table[];
extern const size_t stlink_diag_status_table_size;

/* stlink-server TCP status word (u32 at the start of most TCP replies). */
#define STLINK_DIAG_TCP_STATUS_OK 0x00000001u

struct stlink_diag_tcp_status {
	uint32_t code;
	const char *token;          /* "SS_OK", "SS_TCP_BUSY", ... (ST's STLinkUSBDriver.h names) */
	const char *meaning;
	bool named_by_openocd;      /* OpenOCD 0.12.0 has a STLINK_TCP_SS_* #define */
	const char *openocd_result; /* "ERROR_OK", "ERROR_WAIT" or "ERROR_FAIL" */
};

const struct stlink_diag_tcp_status *stlink_diag_tcp_status_lookup(uint32_t code); /* NULL when unknown */
extern const struct stlink_diag_tcp_status stlink_diag_tcp_status_table[];
extern const size_t stlink_diag_tcp_status_table_size;

/* Probe mode byte, reply byte 0 of GET_CURRENT_MODE (0xF5). */
struct stlink_diag_mode {
	uint8_t code;
	const char *token;          /* OpenOCD's name without STLINK_, e.g. "DEV_DEBUG_MODE" */
	const char *name;           /* short word: "DFU", "debug", ... */
	const char *meaning;        /* what it means for the user */
};

const struct stlink_diag_mode *stlink_diag_mode_lookup(uint8_t code); /* NULL when unknown */
extern const struct stlink_diag_mode stlink_diag_mode_table[];
extern const size_t stlink_diag_mode_table_size;

/*
 * GETLASTRWSTATUS2 (0xF2 0x3E) reply: [0] status byte, [4..7] fault address
 * (LE). The 2-byte GETLASTRWSTATUS reply of older firmware has no address:
 * then *has_addr is false. Returns 0, or -1 when the reply is too short.
 */
int stlink_diag_rw_status_decode(const uint8_t *reply, size_t len, uint8_t *status,
		uint32_t *fault_addr, bool *has_addr);

#endif /* OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_STATUS_H */
