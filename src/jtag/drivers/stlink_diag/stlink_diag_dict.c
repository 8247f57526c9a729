// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * The result of every stlink_probe capability: a Tcl dict, printed as the
 * command's result. See stlink_diag_dict.h.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdarg.h>
#include <stdio.h>

#include <helper/command.h>
#include <helper/log.h>

#include "stlink_diag_dict.h"
#include "stlink_diag_protocol.h"
#include "stlink_diag_status.h"
#include "stlink_diag_version.h"

struct stlink_diag_dict stlink_diag_dict_new(struct command_invocation *cmd)
{
	struct stlink_diag_dict d = { .interp = cmd->ctx->interp };

	d.obj = Jim_NewDictObj(d.interp, NULL, 0);
	Jim_IncrRefCount(d.obj);
	return d;
}

void stlink_diag_dict_obj(struct stlink_diag_dict *d, const char *key, Jim_Obj *value)
{
	Jim_DictAddElement(d->interp, d->obj, Jim_NewStringObj(d->interp, key, -1), value);
}

void stlink_diag_dict_str(struct stlink_diag_dict *d, const char *key, const char *value)
{
	stlink_diag_dict_obj(d, key, Jim_NewStringObj(d->interp, value ? value : "", -1));
}

void stlink_diag_dict_int(struct stlink_diag_dict *d, const char *key, long value)
{
	stlink_diag_dict_obj(d, key, Jim_NewIntObj(d->interp, value));
}

void stlink_diag_dict_fmt(struct stlink_diag_dict *d, const char *key, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	stlink_diag_dict_str(d, key, buf);
}

void stlink_diag_dict_hex32(struct stlink_diag_dict *d, const char *key, uint32_t value)
{
	stlink_diag_dict_fmt(d, key, "0x%08" PRIx32, value);
}

/* Print the dict as the command's result and free it. */
int stlink_diag_dict_done(struct command_invocation *cmd, struct stlink_diag_dict *d)
{
	command_print(cmd, "%s", Jim_String(d->obj));
	Jim_DecrRefCount(d->interp, d->obj);
	return ERROR_OK;
}

/* "ok 0 error <why>": the probe could not be asked */
int stlink_diag_dict_fail(struct command_invocation *cmd, struct stlink_diag_dict *d, const char *why)
{
	stlink_diag_dict_int(d, "ok", 0);
	stlink_diag_dict_str(d, "error", why);
	return stlink_diag_dict_done(cmd, d);
}

/* "ok 0" for an exchange that failed below the ST-LINK protocol: no status
 * byte came back. The keys of a status reply are filled so that callers that
 * read them see "no answer" instead of failing on a missing key. */
int stlink_diag_dict_no_answer(struct command_invocation *cmd, struct stlink_diag_dict *d, const char *why)
{
	stlink_diag_dict_str(d, "status", "none");
	stlink_diag_dict_str(d, "status_name", "NO_ANSWER");
	stlink_diag_dict_str(d, "status_class", "no_answer");
	stlink_diag_dict_str(d, "meaning", "the ST-LINK did not answer (USB or stlink-server transfer failed)");
	stlink_diag_dict_str(d, "causes", "the probe was unplugged, reset or re-enumerated; a loose cable or an unpowered hub");
	stlink_diag_dict_int(d, "lost", 1);
	return stlink_diag_dict_fail(cmd, d, why);
}

/* "ok 0 unsupported 1": the firmware lacks feature @bit; the minimum version
 * comes from the feature table, the one place for it. */
int stlink_diag_dict_unsupported(struct command_invocation *cmd, struct stlink_diag_dict *d, unsigned int bit,
		const char *what)
{
	const struct stlink_diag_feature *f = stlink_diag_feature_lookup(bit);
	char why[160];

	snprintf(why, sizeof(why), "this ST-LINK firmware cannot %s (needs V2J%u)", what, f ? f->min_v2_jtag : 0);
	stlink_diag_dict_int(d, "unsupported", 1);
	return stlink_diag_dict_fail(cmd, d, why);
}

/* The decoded ST-LINK status byte, from the one status table. */
void stlink_diag_dict_status(struct stlink_diag_dict *d, uint8_t code)
{
	const struct stlink_diag_status *st = stlink_diag_status_lookup(code);

	stlink_diag_dict_fmt(d, "status", "0x%02x", code);
	if (st) {
		stlink_diag_dict_str(d, "status_name", st->token);
		stlink_diag_dict_str(d, "status_class", stlink_diag_status_class_name(st->class));
		stlink_diag_dict_str(d, "meaning", st->meaning);
		stlink_diag_dict_str(d, "causes", st->causes);
	} else {
		stlink_diag_dict_str(d, "status_name", "UNKNOWN");
		stlink_diag_dict_str(d, "status_class", "unknown");
		stlink_diag_dict_fmt(d, "meaning", "status 0x%02x is not in any known ST-LINK firmware", code);
		stlink_diag_dict_str(d, "causes", "a probe firmware newer than this table, a clone, or a corrupted reply");
	}
	stlink_diag_dict_int(d, "ok", code == STLINK_DIAG_STATUS_OK);
}
