/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * Tcl dict results of the stlink_probe capabilities. A probe that answers
 * badly gives a dict with "ok 0" and the reason, never a Tcl error; Tcl
 * errors are for bad usage. Decoded values come from the knowledge tables
 * (status table, feature table): the one place for each.
 */

#ifndef OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_DICT_H
#define OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_DICT_H

#include <stdint.h>

#include <helper/command.h>

struct stlink_diag_dict {
	Jim_Interp *interp;
	Jim_Obj *obj;
};

struct stlink_diag_dict stlink_diag_dict_new(struct command_invocation *cmd);
void stlink_diag_dict_obj(struct stlink_diag_dict *d, const char *key, Jim_Obj *value);
/* NULL is stored as "" */
void stlink_diag_dict_str(struct stlink_diag_dict *d, const char *key, const char *value);
void stlink_diag_dict_int(struct stlink_diag_dict *d, const char *key, long value);
void stlink_diag_dict_fmt(struct stlink_diag_dict *d, const char *key, const char *fmt, ...)
	__attribute__ ((format (PRINTF_ATTRIBUTE_FORMAT, 3, 4)));
/* "0x%08x" */
void stlink_diag_dict_hex32(struct stlink_diag_dict *d, const char *key, uint32_t value);
/* Print the dict as the command's result and free it; returns ERROR_OK. */
int stlink_diag_dict_done(struct command_invocation *cmd, struct stlink_diag_dict *d);
/* "ok 0 error <why>": the probe could not be asked. */
int stlink_diag_dict_fail(struct command_invocation *cmd, struct stlink_diag_dict *d, const char *why);
/* "ok 0 lost 1" with the status keys saying "no answer": the exchange
 * failed below the ST-LINK protocol (USB or stlink-server transfer). */
int stlink_diag_dict_no_answer(struct command_invocation *cmd, struct stlink_diag_dict *d, const char *why);
/* "ok 0 unsupported 1": the firmware lacks feature @bit (STLINK_DIAG_F_*);
 * the minimum version in the message comes from the feature table. */
int stlink_diag_dict_unsupported(struct command_invocation *cmd, struct stlink_diag_dict *d, unsigned int bit,
		const char *what);
/* status, status_name, status_class, meaning, causes and ok of an ST-LINK
 * status byte, from the status table. */
void stlink_diag_dict_status(struct stlink_diag_dict *d, uint8_t code);

#endif /* OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_DICT_H */
