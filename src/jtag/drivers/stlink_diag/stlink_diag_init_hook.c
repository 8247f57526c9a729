// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * The hook stlink_usb.c calls when entering the debug mode failed at `init`
 * (patches/0001-jtag-drivers-stlink-*.patch): OpenOCD's own message says only
 * "init mode failed"; this adds the decoded ST-LINK status and the command
 * that diagnoses it.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>

#include <helper/command.h>
#include <helper/log.h>
#include <jtag/hla/hla_transport.h>
#include <jtag/hla/hla_interface.h>

#include "stlink_diag_iface.h"
#include "stlink_diag_session.h"
#include "stlink_diag_status.h"

void stlink_diag_hook_init_failed(void *handle)
{
	uint8_t code = stlink_diag_if_last_status;
	const struct stlink_diag_status *st = stlink_diag_status_lookup(code);
	bool dap = stlink_diag_session_driver() == STLINK_DIAG_DRIVER_DAP;
	const struct hl_interface_param_s *param = stlink_diag_session_params();
	char backend[64] = "";

	/* the suggestion must reach the same probe: keep a TCP backend */
	if (param && param->use_stlink_tcp)
		snprintf(backend, sizeof(backend), dap ? " -c \"st-link backend tcp %u\""
			: " -c \"hla_stlink_backend tcp %u\"", param->stlink_tcp_port);

	if (st)
		LOG_ERROR("ST-LINK status 0x%02x (%s): %s Likely causes: %s.", code, st->token, st->meaning,
			st->causes);
	else
		LOG_ERROR("ST-LINK status 0x%02x: not a status any known ST-LINK firmware sends", code);
	LOG_INFO("for a full diagnosis run: openocd -f %s%s -c stlink_diag",
		dap ? "interface/stlink-dap.cfg" : "interface/stlink.cfg", backend);
}
