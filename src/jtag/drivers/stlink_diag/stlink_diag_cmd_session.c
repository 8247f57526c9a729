// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * stlink_probe open, close, state: the session with the probe.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <helper/binarybuffer.h>
#include <helper/command.h>
#include <helper/log.h>
#include <jtag/hla/hla_transport.h>
#include <jtag/hla/hla_interface.h>

#include "stlink_diag_commands.h"
#include "stlink_diag_dict.h"
#include "stlink_diag_iface.h"
#include "stlink_diag_open_failure.h"
#include "stlink_diag_session.h"

COMMAND_HANDLER(handle_stlink_probe_open)
{
	if (CMD_ARGC != 0)
		return ERROR_COMMAND_SYNTAX_ERROR;

	struct stlink_diag_dict d = stlink_diag_dict_new(CMD);
	struct stlink_diag_session *s = stlink_diag_session();
	enum stlink_diag_driver driver = stlink_diag_session_driver();
	struct hl_interface_param_s *param = stlink_diag_session_params();

	stlink_diag_dict_str(&d, "driver", stlink_diag_driver_name(driver));
	if (param) {
		stlink_diag_dict_str(&d, "backend", param->use_stlink_tcp ? "tcp" : "usb");
		stlink_diag_dict_int(&d, "port", param->use_stlink_tcp ? param->stlink_tcp_port : 0);
	}

	stlink_diag_open_log_start();
	int retval = stlink_diag_session_open(s);
	stlink_diag_open_log_stop();

	if (retval == ERROR_OK) {
		stlink_diag_dict_int(&d, "ok", 1);
		stlink_diag_dict_int(&d, "own", s->own);
		return stlink_diag_dict_done(CMD, &d);
	}

	/* facts only: the id of what failed and the driver's own words; the
	 * host layer (tcl/layers/host.tcl) says what it means and what to do */
	stlink_diag_dict_int(&d, "ok", 0);
	if (driver == STLINK_DIAG_DRIVER_NONE) {
		stlink_diag_dict_str(&d, "id", "host.no_driver");
		stlink_diag_dict_str(&d, "layer", "host");
		return stlink_diag_dict_done(CMD, &d);
	}

	const char *line = NULL;
	const struct stlink_diag_open_failure *why = stlink_diag_open_log_classify(&line);
	stlink_diag_dict_str(&d, "id", why ? why->id : "host.open_failed");
	stlink_diag_dict_str(&d, "layer", why ? why->layer : "host");
	if (why) {
		const char *eol = strchr(line, '\n');
		stlink_diag_dict_obj(&d, "matched", Jim_NewStringObj(d.interp, line, eol ? (int)(eol - line) : -1));
	}
	stlink_diag_dict_str(&d, "log", stlink_diag_open_log());
	return stlink_diag_dict_done(CMD, &d);
}

COMMAND_HANDLER(handle_stlink_probe_close)
{
	if (CMD_ARGC != 0)
		return ERROR_COMMAND_SYNTAX_ERROR;
	stlink_diag_session_close(stlink_diag_session());
	return ERROR_OK;
}

COMMAND_HANDLER(handle_stlink_probe_state)
{
	if (CMD_ARGC != 0)
		return ERROR_COMMAND_SYNTAX_ERROR;

	struct stlink_diag_session *s = stlink_diag_session();
	const char *state = !stlink_diag_session_is_open(s) ? (stlink_diag_if_live_handle() ? "live" : "closed")
		: s->own ? "own" : "live";
	struct stlink_diag_dict d = stlink_diag_dict_new(CMD);
	stlink_diag_dict_str(&d, "state", state);
	stlink_diag_dict_str(&d, "driver", stlink_diag_driver_name(stlink_diag_session_driver()));
	stlink_diag_dict_int(&d, "open", stlink_diag_session_is_open(s));
	stlink_diag_dict_int(&d, "in_debug_mode", s->in_debug_mode);
	stlink_diag_dict_int(&d, "transport_errors", s->transport_errors);
	return stlink_diag_dict_done(CMD, &d);
}

const struct command_registration stlink_diag_cmd_session_handlers[] = {
	{ .name = "open", .handler = handle_stlink_probe_open, .mode = COMMAND_ANY, .usage = "",
	  .help = "open the ST-LINK (or borrow OpenOCD's connection); returns a dict, ok 0 with the reason on failure" },
	{ .name = "close", .handler = handle_stlink_probe_close, .mode = COMMAND_ANY, .usage = "",
	  .help = "leave the debug mode stlink_diag entered and release a probe it opened" },
	{ .name = "state", .handler = handle_stlink_probe_state, .mode = COMMAND_ANY, .usage = "",
	  .help = "closed, own (opened by stlink_diag) or live (OpenOCD's connection)" },
	COMMAND_REGISTRATION_DONE
};
