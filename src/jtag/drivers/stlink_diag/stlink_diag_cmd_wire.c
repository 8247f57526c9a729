// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * stlink_probe speeds, speed, speed_match, configured_speed: the wire clock.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <jtag/adapter.h>

#include <helper/binarybuffer.h>
#include <helper/command.h>
#include <helper/log.h>

#include "stlink_diag_commands.h"
#include "stlink_diag_exchange.h"
#include "stlink_diag_iface.h"
#include "stlink_diag_protocol.h"
#include "stlink_diag_speed.h"
#include "stlink_diag_version.h"

/* The V3 frequency list (GET_COM_FREQ); count 0 on failure. */
static int v3_speeds(struct stlink_diag_session *s, bool jtag, uint32_t *khz, size_t *count)
{
	const uint8_t req[] = { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_GET_COM_FREQ, jtag ? 1 : 0 };
	uint8_t reply[STLINK_DIAG_COM_FREQ_REPLY_SIZE];

	*count = 0;
	if (stlink_diag_session_xfer_in(s, req, sizeof(req), reply, sizeof(reply)) != ERROR_OK)
		return ERROR_FAIL;
	s->last_status = reply[0];
	if (stlink_diag_com_freq_decode(reply, sizeof(reply), khz, STLINK_DIAG_COM_FREQ_MAX, count) != 0)
		return ERROR_FAIL;
	return ERROR_OK;
}

/* The capability flag that says whether V2 firmware can set this clock. */
static unsigned int set_freq_flag_bit(bool jtag)
{
	return jtag ? STLINK_DIAG_F_HAS_JTAG_SET_FREQ : STLINK_DIAG_F_HAS_SWD_SET_FREQ;
}

/*
 * The speed the firmware runs at for a request, by OpenOCD's rule, and where
 * the pick came from: V3 from its own list (one GET_COM_FREQ), V2 from the
 * divisor table, or its fixed default when the firmware cannot set the
 * clock. One place for `speed` (which then sets it) and `speed_match`.
 */
static int pick_speed(struct stlink_diag_session *s, const struct stlink_diag_if_info *info, bool jtag,
	unsigned int khz, uint32_t *pick, const char **source)
{
	if (info->hw == 3) {
		uint32_t list[STLINK_DIAG_COM_FREQ_MAX];
		size_t n;
		if (v3_speeds(s, jtag, list, &n) != ERROR_OK || n == 0)
			return ERROR_FAIL;
		*pick = list[stlink_diag_speed_pick(list, n, khz)];
		*source = "GET_COM_FREQ";
		return ERROR_OK;
	}
	bool settable = info->flags & (1u << set_freq_flag_bit(jtag));
	*pick = settable ? stlink_diag_speed_match(jtag, khz)->khz : stlink_diag_speed_default(jtag)->khz;
	*source = settable ? "V2 divisor table" : "fixed by firmware";
	return ERROR_OK;
}

COMMAND_HANDLER(handle_stlink_probe_speeds)
{
	bool jtag;
	if (CMD_ARGC > 1 || !stlink_diag_cmd_arg_is_jtag(CMD, 0, &jtag))
		return ERROR_COMMAND_SYNTAX_ERROR;

	struct stlink_diag_dict d = stlink_diag_dict_new(CMD);
	struct stlink_diag_session *s = stlink_diag_cmd_session(CMD, &d);
	if (!s)
		return ERROR_OK;

	struct stlink_diag_if_info info;
	stlink_diag_if_get_info(s->handle, &info);
	Jim_Obj *list = Jim_NewListObj(d.interp, NULL, 0);

	if (info.hw == 3) {
		uint32_t khz[STLINK_DIAG_COM_FREQ_MAX];
		size_t n;
		if (v3_speeds(s, jtag, khz, &n) != ERROR_OK) {
			Jim_FreeNewObj(d.interp, list);
			return stlink_diag_dict_fail(CMD, &d, "GET_COM_FREQ failed");
		}
		for (size_t i = 0; i < n; i++)
			Jim_ListAppendElement(d.interp, list, Jim_NewIntObj(d.interp, khz[i]));
		stlink_diag_dict_str(&d, "source", "GET_COM_FREQ");
	} else {
		bool settable = info.flags & (1u << set_freq_flag_bit(jtag));
		size_t n = stlink_diag_speed_table_size(jtag);
		const struct stlink_diag_speed *table = stlink_diag_speed_table(jtag);
		for (size_t i = 0; settable && i < n; i++)
			Jim_ListAppendElement(d.interp, list, Jim_NewIntObj(d.interp, table[i].khz));
		stlink_diag_dict_str(&d, "source", settable ? "V2 divisor table" : "fixed by firmware");
	}
	stlink_diag_dict_int(&d, "ok", 1);
	stlink_diag_dict_obj(&d, "khz", list);
	return stlink_diag_dict_done(CMD, &d);
}

COMMAND_HANDLER(handle_stlink_probe_speed)
{
	bool jtag;
	unsigned int khz;
	if (CMD_ARGC < 1 || CMD_ARGC > 2 || !stlink_diag_cmd_arg_is_jtag(CMD, 1, &jtag))
		return ERROR_COMMAND_SYNTAX_ERROR;
	COMMAND_PARSE_NUMBER(uint, CMD_ARGV[0], khz);

	struct stlink_diag_dict d = stlink_diag_dict_new(CMD);
	struct stlink_diag_session *s = stlink_diag_cmd_session(CMD, &d);
	if (!s)
		return ERROR_OK;

	struct stlink_diag_if_info info;
	stlink_diag_if_get_info(s->handle, &info);
	stlink_diag_dict_int(&d, "requested", khz);

	uint8_t reply[STLINK_DIAG_SET_COM_FREQ_REPLY_SIZE];
	unsigned int bit = set_freq_flag_bit(jtag);
	if (info.hw != 3 && !(info.flags & (1u << bit)))
		return stlink_diag_dict_unsupported(CMD, &d, bit, jtag ? "set the JTAG clock" : "set the SWD clock");
	uint32_t pick;
	const char *source;
	if (pick_speed(s, &info, jtag, khz, &pick, &source) != ERROR_OK)
		return stlink_diag_dict_fail(CMD, &d, "GET_COM_FREQ failed");
	if (info.hw == 3) {
		uint8_t req[8] = { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_SET_COM_FREQ, jtag ? 1 : 0, 0 };
		h_u32_to_le(req + 4, pick);
		if (stlink_diag_session_xfer_in(s, req, sizeof(req), reply, STLINK_DIAG_SET_COM_FREQ_REPLY_SIZE) != ERROR_OK)
			return stlink_diag_dict_fail(CMD, &d, "transport failure: SET_COM_FREQ not answered");
		stlink_diag_dict_int(&d, "khz", pick);
	} else {
		const struct stlink_diag_speed *sp = stlink_diag_speed_match(jtag, pick);
		uint8_t req[4] = { STLINK_DIAG_DEBUG_COMMAND,
			jtag ? STLINK_DIAG_JTAG_SET_FREQ : STLINK_DIAG_SWD_SET_FREQ };
		h_u16_to_le(req + 2, sp->divisor);
		if (stlink_diag_session_xfer_in(s, req, sizeof(req), reply, STLINK_DIAG_STATUS_REPLY_SIZE) != ERROR_OK)
			return stlink_diag_dict_fail(CMD, &d, "transport failure: SET_FREQ not answered");
		stlink_diag_dict_int(&d, "khz", sp->khz);
	}
	s->last_status = reply[0];
	stlink_diag_dict_status(&d, reply[0]);
	return stlink_diag_dict_done(CMD, &d);
}

/*
 * The speed the firmware will run at for a request, by OpenOCD's rule, from
 * the speeds this probe offers: what `adapter speed KHZ` (or `stlink_probe
 * speed`) would give, without setting it. V3: one GET_COM_FREQ; V2: the
 * divisor table, nothing sent.
 */
COMMAND_HANDLER(handle_stlink_probe_speed_match)
{
	bool jtag;
	unsigned int khz;
	if (CMD_ARGC < 1 || CMD_ARGC > 2 || !stlink_diag_cmd_arg_is_jtag(CMD, 1, &jtag))
		return ERROR_COMMAND_SYNTAX_ERROR;
	/* "openocd_default": the request OpenOCD's init makes without adapter speed */
	if (!strcmp(CMD_ARGV[0], "openocd_default"))
		khz = STLINK_DIAG_OPENOCD_DEFAULT_KHZ;
	else
		COMMAND_PARSE_NUMBER(uint, CMD_ARGV[0], khz);

	struct stlink_diag_dict d = stlink_diag_dict_new(CMD);
	struct stlink_diag_session *s = stlink_diag_cmd_session(CMD, &d);
	if (!s)
		return ERROR_OK;

	struct stlink_diag_if_info info;
	stlink_diag_if_get_info(s->handle, &info);
	stlink_diag_dict_int(&d, "requested", khz);

	uint32_t pick;
	const char *source;
	if (pick_speed(s, &info, jtag, khz, &pick, &source) != ERROR_OK)
		return stlink_diag_dict_fail(CMD, &d, "GET_COM_FREQ failed");
	stlink_diag_dict_str(&d, "source", source);
	/* the V2 firmware's clock before any SET_FREQ */
	stlink_diag_dict_int(&d, "default_khz", stlink_diag_speed_default(jtag)->khz);
	/* what OpenOCD's init asks for when no adapter speed is set */
	stlink_diag_dict_int(&d, "openocd_default_khz", STLINK_DIAG_OPENOCD_DEFAULT_KHZ);
	stlink_diag_dict_int(&d, "ok", 1);
	stlink_diag_dict_int(&d, "khz", pick);
	stlink_diag_dict_int(&d, "exact", pick == khz);
	return stlink_diag_dict_done(CMD, &d);
}

/* The `adapter speed` the user configured, 0 when none: `adapter speed`
 * itself logs "BUG: unknown adapter clock mode" when nothing is set. */
COMMAND_HANDLER(handle_stlink_probe_configured_speed)
{
	if (CMD_ARGC != 0)
		return ERROR_COMMAND_SYNTAX_ERROR;
	command_print(CMD, "%u", adapter_get_speed_khz());
	return ERROR_OK;
}

const struct command_registration stlink_diag_cmd_wire_handlers[] = {
	{ .name = "speeds", .handler = handle_stlink_probe_speeds, .mode = COMMAND_ANY, .usage = "[swd|jtag]",
	  .help = "the clock speeds this probe offers, in kHz" },
	{ .name = "speed", .handler = handle_stlink_probe_speed, .mode = COMMAND_ANY, .usage = "khz [swd|jtag]",
	  .help = "set the wire clock (OpenOCD's matching rule); returns the speed set" },
	{ .name = "speed_match", .handler = handle_stlink_probe_speed_match, .mode = COMMAND_ANY,
	  .usage = "(khz|openocd_default) [swd|jtag]",
	  .help = "the speed the firmware would run at for a request (OpenOCD's matching rule), without setting it; "
		"openocd_default: OpenOCD's request without adapter speed" },
	{ .name = "configured_speed", .handler = handle_stlink_probe_configured_speed, .mode = COMMAND_ANY,
	  .usage = "", .help = "the adapter speed configured in kHz, 0 when none" },
	COMMAND_REGISTRATION_DONE
};
