// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * stlink_probe info, mode, leave, voltage: the probe itself.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <helper/binarybuffer.h>
#include <helper/command.h>
#include <helper/log.h>

#include "stlink_diag_commands.h"
#include "stlink_diag_exchange.h"
#include "stlink_diag_iface.h"
#include "stlink_diag_probe_models.h"
#include "stlink_diag_probe_query.h"
#include "stlink_diag_protocol.h"
#include "stlink_diag_status.h"
#include "stlink_diag_version.h"

COMMAND_HANDLER(handle_stlink_probe_info)
{
	if (CMD_ARGC != 0)
		return ERROR_COMMAND_SYNTAX_ERROR;

	struct stlink_diag_dict d = stlink_diag_dict_new(CMD);
	struct stlink_diag_session *s = stlink_diag_cmd_session(CMD, &d);
	if (!s)
		return ERROR_OK;

	struct stlink_diag_if_info info;
	stlink_diag_if_get_info(s->handle, &info);

	struct stlink_diag_version v;
	if (stlink_diag_probe_version(s, &v) != ERROR_OK)
		return stlink_diag_dict_fail(CMD, &d, "GET_VERSION failed or its reply is malformed");

	char fw[STLINK_DIAG_VERSION_STRING_SIZE];
	stlink_diag_version_string(&v, fw, sizeof(fw));
	const struct stlink_diag_probe_model *model = stlink_diag_probe_model_lookup(v.pid);
	uint32_t flags = stlink_diag_version_flags(&v);
	char serial[64];
	stlink_diag_probe_serial(s, &info, serial, sizeof(serial));

	stlink_diag_dict_int(&d, "ok", 1);
	stlink_diag_dict_str(&d, "driver", stlink_diag_driver_name(s->driver));
	stlink_diag_dict_str(&d, "backend", info.tcp ? "tcp" : "usb");
	stlink_diag_dict_fmt(&d, "vid", "0x%04x", v.vid);
	stlink_diag_dict_fmt(&d, "pid", "0x%04x", v.pid);
	stlink_diag_dict_str(&d, "model", model ? model->model : "unknown ST-LINK");
	stlink_diag_dict_int(&d, "known_to_openocd", model && model->known_to_openocd_0_12);
	stlink_diag_dict_int(&d, "hw", v.hw);
	stlink_diag_dict_int(&d, "jtag", v.jtag);
	stlink_diag_dict_int(&d, "swim", v.swim);
	stlink_diag_dict_int(&d, "msd", v.msd);
	stlink_diag_dict_int(&d, "bridge", v.bridge);
	stlink_diag_dict_int(&d, "api", v.api);
	stlink_diag_dict_int(&d, "stm8_only", v.stm8_only);
	stlink_diag_dict_str(&d, "firmware", fw);
	stlink_diag_dict_fmt(&d, "line", "STLINK %s (API v%u) VID:PID %04X:%04X", fw, v.api, v.vid, v.pid);
	stlink_diag_dict_fmt(&d, "flags", "0x%03" PRIx32, flags);
	/* both decodings of the same bytes must agree; a mismatch is our bug
	 * (compared by testing/integration/test_probe_flags.py) */
	stlink_diag_dict_fmt(&d, "openocd_flags", "0x%03" PRIx32, info.flags);
	stlink_diag_dict_obj(&d, "features", stlink_diag_probe_feature_list(d.interp, flags, true));
	stlink_diag_dict_obj(&d, "missing", stlink_diag_probe_feature_list(d.interp, flags, false));
	stlink_diag_dict_str(&d, "serial", serial);
	if (info.tcp) {
		stlink_diag_dict_int(&d, "server_api", info.tcp_api);
		stlink_diag_dict_fmt(&d, "server_version", "%" PRIu32 ".%" PRIu32 ".%" PRIu32,
			info.tcp_major, info.tcp_minor, info.tcp_build);
	}
	/* meets_X and min_X (the version this probe generation needs) from the
	 * firmware-minimum table, the one place for them */
	static const struct {
		enum stlink_diag_fw_need need;
		const char *name;
	} needs[] = {
		{ STLINK_DIAG_NEED_HLA, "hla" },
		{ STLINK_DIAG_NEED_DAP_DIRECT, "dap_direct" },
		{ STLINK_DIAG_NEED_RECOMMENDED, "recommended" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(needs); i++) {
		const struct stlink_diag_fw_minimum *m = stlink_diag_fw_minimum_lookup(needs[i].need);
		char key[32], min[16];
		snprintf(key, sizeof(key), "meets_%s", needs[i].name);
		stlink_diag_dict_int(&d, key, stlink_diag_fw_meets(m, &v));
		snprintf(key, sizeof(key), "min_%s", needs[i].name);
		stlink_diag_fw_minimum_string(m, v.hw, min, sizeof(min));
		stlink_diag_dict_str(&d, key, min);
	}
	stlink_diag_dict_str(&d, "update_tool", STLINK_DIAG_FW_UPDATE_TOOL);
	return stlink_diag_dict_done(CMD, &d);
}

COMMAND_HANDLER(handle_stlink_probe_mode)
{
	if (CMD_ARGC != 0)
		return ERROR_COMMAND_SYNTAX_ERROR;

	struct stlink_diag_dict d = stlink_diag_dict_new(CMD);
	struct stlink_diag_session *s = stlink_diag_cmd_session(CMD, &d);
	if (!s)
		return ERROR_OK;

	const uint8_t f5[] = { STLINK_DIAG_GET_CURRENT_MODE };
	uint8_t reply[STLINK_DIAG_MODE_REPLY_SIZE];
	if (stlink_diag_session_xfer_in(s, f5, sizeof(f5), reply, sizeof(reply)) != ERROR_OK)
		return stlink_diag_dict_fail(CMD, &d, "transport failure: GET_CURRENT_MODE not answered");

	const struct stlink_diag_mode *m = stlink_diag_mode_lookup(reply[0]);
	stlink_diag_dict_int(&d, "ok", 1);
	stlink_diag_dict_int(&d, "code", reply[0]);
	stlink_diag_dict_str(&d, "name", m ? m->name : "unknown");
	stlink_diag_dict_str(&d, "meaning", m ? m->meaning : "a mode byte no known firmware sends");
	return stlink_diag_dict_done(CMD, &d);
}

/* Leave DFU, SWIM or debug mode as OpenOCD does before entering its own. */
COMMAND_HANDLER(handle_stlink_probe_leave)
{
	if (CMD_ARGC != 1)
		return ERROR_COMMAND_SYNTAX_ERROR;

	static const struct {
		const char *mode;
		uint8_t bytes[2];
	} exits[] = {
		{ "debug", { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_DEBUG_EXIT } },
		{ "DFU", { STLINK_DIAG_DFU_COMMAND, STLINK_DIAG_DFU_EXIT } },
		{ "SWIM", { STLINK_DIAG_SWIM_COMMAND, STLINK_DIAG_SWIM_EXIT } },
	};
	struct stlink_diag_dict d = stlink_diag_dict_new(CMD);
	struct stlink_diag_session *s = stlink_diag_cmd_session(CMD, &d);
	if (!s)
		return ERROR_OK;

	for (size_t i = 0; i < ARRAY_SIZE(exits); i++) {
		if (strcmp(CMD_ARGV[0], exits[i].mode))
			continue;
		/* these commands have no reply phase */
		if (stlink_diag_session_xfer(s, exits[i].bytes, 2, NULL, 0, NULL, 0) != ERROR_OK)
			return stlink_diag_dict_fail(CMD, &d, "transport failure");
		if (i == 0)
			s->in_debug_mode = false;
		stlink_diag_dict_int(&d, "ok", 1);
		return stlink_diag_dict_done(CMD, &d);
	}
	stlink_diag_dict_int(&d, "ok", 1);
	stlink_diag_dict_str(&d, "note", "nothing to leave");
	return stlink_diag_dict_done(CMD, &d);
}

COMMAND_HANDLER(handle_stlink_probe_voltage)
{
	if (CMD_ARGC != 0)
		return ERROR_COMMAND_SYNTAX_ERROR;

	struct stlink_diag_dict d = stlink_diag_dict_new(CMD);
	struct stlink_diag_session *s = stlink_diag_cmd_session(CMD, &d);
	if (!s)
		return ERROR_OK;

	struct stlink_diag_if_info info;
	stlink_diag_if_get_info(s->handle, &info);
	if (!(info.flags & (1u << STLINK_DIAG_F_HAS_TRACE)))
		return stlink_diag_dict_unsupported(CMD, &d, STLINK_DIAG_F_HAS_TRACE, "measure the target voltage");

	const uint8_t f7[] = { STLINK_DIAG_GET_TARGET_VOLTAGE };
	uint8_t reply[STLINK_DIAG_VOLTAGE_REPLY_SIZE];
	if (stlink_diag_session_xfer_in(s, f7, sizeof(f7), reply, sizeof(reply)) != ERROR_OK)
		return stlink_diag_dict_fail(CMD, &d, "transport failure: GET_TARGET_VOLTAGE not answered");

	double volts;
	stlink_diag_dict_int(&d, "a0", le_to_h_u32(reply));
	stlink_diag_dict_int(&d, "a1", le_to_h_u32(reply + 4));
	if (stlink_diag_voltage_decode(reply, sizeof(reply), &volts) != 0)
		return stlink_diag_dict_fail(CMD, &d, "the voltage reply has a zero reference reading");
	stlink_diag_dict_int(&d, "ok", 1);
	stlink_diag_dict_fmt(&d, "volts", "%.2f", volts);
	return stlink_diag_dict_done(CMD, &d);
}

const struct command_registration stlink_diag_cmd_probe_handlers[] = {
	{ .name = "info", .handler = handle_stlink_probe_info, .mode = COMMAND_ANY, .usage = "",
	  .help = "probe model, firmware, API, feature flags, serial, server version" },
	{ .name = "mode", .handler = handle_stlink_probe_mode, .mode = COMMAND_ANY, .usage = "",
	  .help = "the probe's current mode (DFU, mass storage, debug, SWIM, bootloader)" },
	{ .name = "leave", .handler = handle_stlink_probe_leave, .mode = COMMAND_ANY, .usage = "debug|DFU|SWIM",
	  .help = "leave the given probe mode" },
	{ .name = "voltage", .handler = handle_stlink_probe_voltage, .mode = COMMAND_ANY, .usage = "",
	  .help = "measure the target voltage now" },
	COMMAND_REGISTRATION_DONE
};
