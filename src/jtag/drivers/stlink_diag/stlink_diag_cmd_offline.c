// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * stlink_probe status, decode, stats: answers from the tables and the session's
 * counters, without sending anything to the probe.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <helper/binarybuffer.h>
#include <helper/command.h>
#include <helper/log.h>

#include "stlink_diag_arm.h"
#include "stlink_diag_commands.h"
#include "stlink_diag_dict.h"
#include "stlink_diag_session.h"

COMMAND_HANDLER(handle_stlink_probe_status)
{
	uint8_t code;
	if (CMD_ARGC != 1)
		return ERROR_COMMAND_SYNTAX_ERROR;
	COMMAND_PARSE_NUMBER(u8, CMD_ARGV[0], code);

	struct stlink_diag_dict d = stlink_diag_dict_new(CMD);
	stlink_diag_dict_status(&d, code);
	return stlink_diag_dict_done(CMD, &d);
}

COMMAND_HANDLER(handle_stlink_probe_decode)
{
	uint32_t value;
	if (CMD_ARGC != 2)
		return ERROR_COMMAND_SYNTAX_ERROR;
	COMMAND_PARSE_NUMBER(u32, CMD_ARGV[1], value);

	struct stlink_diag_dict d = stlink_diag_dict_new(CMD);
	stlink_diag_dict_hex32(&d, "raw", value);
	char text[256];
	if (!strcmp(CMD_ARGV[0], "dpidr")) {
		struct stlink_diag_dpidr id;
		stlink_diag_dict_int(&d, "valid", stlink_diag_dpidr_decode(value, &id) == 0);
		stlink_diag_dict_fmt(&d, "designer", "0x%03x", id.designer);
		stlink_diag_dict_str(&d, "designer_name", id.designer_name ? id.designer_name : "unknown");
		stlink_diag_dict_str(&d, "version", stlink_diag_dp_version_name(id.version));
		stlink_diag_dict_int(&d, "mindp", id.mindp);
		stlink_diag_dict_fmt(&d, "partno", "0x%02x", id.partno);
		stlink_diag_dict_int(&d, "revision", id.revision);
	} else if (!strcmp(CMD_ARGV[0], "cpuid")) {
		struct stlink_diag_cpuid id;
		stlink_diag_dict_int(&d, "valid", stlink_diag_cpuid_decode(value, &id) == 0);
		stlink_diag_dict_fmt(&d, "implementer", "0x%02x", id.implementer);
		stlink_diag_dict_fmt(&d, "partno", "0x%03x", id.partno);
		stlink_diag_dict_str(&d, "core", id.core ? id.core->name : "unknown");
		stlink_diag_dict_str(&d, "arch", id.core ? id.core->arch : "unknown");
		stlink_diag_dict_str(&d, "profile", stlink_diag_core_profile(id.core));
		stlink_diag_cpuid_revision_string(&id, text, sizeof(text));
		stlink_diag_dict_str(&d, "revision", text);
	} else if (!strcmp(CMD_ARGV[0], "apidr")) {
		struct stlink_diag_ap_idr id;
		stlink_diag_dict_int(&d, "valid", stlink_diag_ap_idr_decode(value, &id) == 0);
		stlink_diag_dict_str(&d, "type", id.type_name ? id.type_name : "unknown");
		stlink_diag_dict_int(&d, "mem_ap", id.is_mem_ap);
		stlink_diag_dict_str(&d, "designer_name", id.designer_name ? id.designer_name : "unknown");
		stlink_diag_dict_int(&d, "revision", id.revision);
	} else if (!strcmp(CMD_ARGV[0], "dhcsr")) {
		stlink_diag_dict_str(&d, "state", stlink_diag_dhcsr_state(value));
		stlink_diag_bits_format(stlink_diag_dhcsr_bits, stlink_diag_dhcsr_bits_size, value, text, sizeof(text));
		stlink_diag_dict_str(&d, "bits", text);
		stlink_diag_bits_fields(stlink_diag_dhcsr_bits, stlink_diag_dhcsr_bits_size, value, text, sizeof(text));
		stlink_diag_dict_str(&d, "fields", text);
	} else if (!strcmp(CMD_ARGV[0], "icsr")) {
		bool fault;
		unsigned int n = stlink_diag_icsr_vectactive(value);
		stlink_diag_dict_int(&d, "vectactive", n);
		stlink_diag_dict_str(&d, "exception", stlink_diag_exception_name(n, &fault));
		stlink_diag_dict_int(&d, "fault", fault);
	} else if (!strcmp(CMD_ARGV[0], "ctrlstat")) {
		stlink_diag_bits_format(stlink_diag_ctrl_stat_bits, stlink_diag_ctrl_stat_bits_size, value,
			text, sizeof(text));
		stlink_diag_dict_str(&d, "bits", text);
		stlink_diag_bits_fields(stlink_diag_ctrl_stat_bits, stlink_diag_ctrl_stat_bits_size, value,
			text, sizeof(text));
		stlink_diag_dict_str(&d, "fields", text);
	} else {
		Jim_DecrRefCount(d.interp, d.obj);
		return ERROR_COMMAND_SYNTAX_ERROR;
	}
	return stlink_diag_dict_done(CMD, &d);
}

COMMAND_HANDLER(handle_stlink_probe_stats)
{
	if (CMD_ARGC != 0)
		return ERROR_COMMAND_SYNTAX_ERROR;

	struct stlink_diag_session *s = stlink_diag_session();
	struct stlink_diag_dict d = stlink_diag_dict_new(CMD);
	stlink_diag_dict_int(&d, "round_trips", s->round_trips);
	stlink_diag_dict_int(&d, "server_requests", s->server_requests);
	stlink_diag_dict_int(&d, "waits", s->wait_retries);
	stlink_diag_dict_fmt(&d, "wait_status", "0x%02x", s->last_wait_status);
	return stlink_diag_dict_done(CMD, &d);
}

const struct command_registration stlink_diag_cmd_offline_handlers[] = {
	{ .name = "status", .handler = handle_stlink_probe_status, .mode = COMMAND_ANY, .usage = "code",
	  .help = "decode an ST-LINK status byte from the status table" },
	{ .name = "decode", .handler = handle_stlink_probe_decode, .mode = COMMAND_ANY,
	  .usage = "(dpidr|cpuid|apidr|dhcsr|icsr|ctrlstat) value",
	  .help = "decode an ARM debug identification or status register" },
	{ .name = "stats", .handler = handle_stlink_probe_stats, .mode = COMMAND_ANY, .usage = "",
	  .help = "ST-LINK round trips and stlink-server requests stlink_diag sent since 'open'" },
	COMMAND_REGISTRATION_DONE
};
