// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * The stlink_diag session: which probe we talk to and how we talk to it.
 * See stlink_diag_session.h.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <helper/log.h>
#include <jtag/adapter.h>
#include <jtag/interface.h>
#include <target/arm.h>
#include <target/arm_adi_v5.h>
#include <target/target.h>
#include <target/target_type.h>

#include "stlink_diag_protocol.h"
#include "stlink_diag_session.h"
#include "stlink_diag_status.h"

extern struct adapter_driver *adapter_driver;

static struct stlink_diag_session stlink_diag_the_session;

/* written by the driver's status check (stlink_usb.c), read by our hooks */
uint8_t stlink_diag_if_last_status;

struct stlink_diag_session *stlink_diag_session(void)
{
	return &stlink_diag_the_session;
}

enum stlink_diag_driver stlink_diag_session_driver(void)
{
	if (!adapter_driver)
		return STLINK_DIAG_DRIVER_NONE;
	if (!strcmp(adapter_driver->name, "hla"))
		return STLINK_DIAG_DRIVER_HLA;
	if (!strcmp(adapter_driver->name, "st-link"))
		return STLINK_DIAG_DRIVER_DAP;
	return STLINK_DIAG_DRIVER_NONE;
}

const char *stlink_diag_driver_name(enum stlink_diag_driver driver)
{
	switch (driver) {
	case STLINK_DIAG_DRIVER_HLA:
		return "hla";
	case STLINK_DIAG_DRIVER_DAP:
		return "st-link";
	default:
		return "none";
	}
}

struct hl_interface_param_s *stlink_diag_session_params(void)
{
	switch (stlink_diag_session_driver()) {
	case STLINK_DIAG_DRIVER_HLA:
		return hl_interface_get_param();
	case STLINK_DIAG_DRIVER_DAP:
		return stlink_diag_if_dap_param();
	default:
		return NULL;
	}
}

bool stlink_diag_session_is_open(const struct stlink_diag_session *s)
{
	return s->handle;
}

int stlink_diag_session_open(struct stlink_diag_session *s)
{
	if (stlink_diag_session_is_open(s))
		return ERROR_OK;

	s->driver = stlink_diag_session_driver();
	s->in_debug_mode = false;
	s->round_trips = 0;
	s->server_requests = 0;
	s->wait_retries = 0;
	s->last_wait_status = 0;
	s->last_status = 0;
	s->transport_errors = 0;

	void *live = stlink_diag_if_live_handle();
	if (live) {
		/* OpenOCD is connected: borrow its handle, never close it */
		s->handle = live;
		s->own = false;
		return ERROR_OK;
	}

	struct hl_interface_param_s *param = stlink_diag_session_params();
	if (!param) {
		LOG_ERROR("stlink_diag: no ST-LINK adapter driver selected "
			"(use -f interface/stlink.cfg or -f interface/stlink-dap.cfg first)");
		return ERROR_FAIL;
	}

	void *handle;
	int retval = stlink_diag_if_open(param, &handle);
	if (retval != ERROR_OK)
		return retval;
	s->handle = handle;
	s->own = true;
	return ERROR_OK;
}

void stlink_diag_session_close(struct stlink_diag_session *s)
{
	if (!stlink_diag_session_is_open(s))
		return;

	if (s->own) {
		if (s->in_debug_mode) {
			/* let the target run free again, as before we came */
			const uint8_t cmd[] = { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_DEBUG_EXIT };
			stlink_diag_session_xfer(s, cmd, sizeof(cmd), NULL, 0, NULL, 0);
		}
		stlink_diag_if_close(s->handle);
	} else {
		stlink_diag_session_invalidate_dap_cache(s);
	}
	s->handle = NULL;
	s->in_debug_mode = false;
}

int stlink_diag_session_xfer(struct stlink_diag_session *s, const uint8_t *cmd, size_t cmd_len,
		const uint8_t *out, size_t out_len, uint8_t *in, size_t in_len)
{
	if (!stlink_diag_session_is_open(s))
		return ERROR_FAIL;

	s->round_trips++;
	int retval = stlink_diag_if_xfer(s->handle, cmd, cmd_len, out, out_len, in, in_len);
	if (retval != ERROR_OK) {
		/* unplugged, re-enumerated or a dead server: the layers report it as a lost probe */
		s->transport_errors++;
		LOG_DEBUG("stlink_diag: transfer of command 0x%02x failed (%d)", cmd[0], retval);
	}
	return retval;
}

int stlink_diag_session_xfer_retry_wait(struct stlink_diag_session *s, const uint8_t *cmd, size_t cmd_len,
		uint8_t *in, size_t in_len, unsigned int *waits)
{
	return stlink_diag_session_xfer_retry_wait_max(s, cmd, cmd_len, in, in_len, STLINK_DIAG_MAX_WAIT_RETRIES,
		waits);
}

int stlink_diag_session_xfer_retry_wait_max(struct stlink_diag_session *s, const uint8_t *cmd, size_t cmd_len,
		uint8_t *in, size_t in_len, unsigned int max_retries, unsigned int *waits)
{
	unsigned int n_waits = 0;
	int retval;

	for (unsigned int n = 0; ; n++) {
		retval = stlink_diag_session_xfer(s, cmd, cmd_len, NULL, 0, in, in_len);
		if (retval != ERROR_OK)
			break;
		const struct stlink_diag_status *st = stlink_diag_status_lookup(in[0]);
		if (!st || st->class != STLINK_DIAG_ST_WAIT || n == max_retries)
			break;
		n_waits++;
		s->wait_retries++;
		s->last_wait_status = in[0];
		alive_sleep(1u << n);
	}
	if (waits)
		*waits = n_waits;
	return retval;
}

int stlink_diag_session_tcp_request(struct stlink_diag_session *s, const uint8_t *req, size_t req_len,
		uint8_t *resp, size_t resp_len)
{
	if (!stlink_diag_session_is_open(s))
		return ERROR_FAIL;

	s->server_requests++;
	return stlink_diag_if_tcp_request(s->handle, req, req_len, resp, resp_len);
}

void stlink_diag_session_invalidate_dap_cache(struct stlink_diag_session *s)
{
	if (s->own || s->driver != STLINK_DIAG_DRIVER_DAP)
		return;

	for (struct target *t = all_targets; t; t = t->next) {
		if (strcmp(target_type_name(t), "cortex_m"))
			continue;
		struct arm *arm = target_to_arm(t);
		if (arm && arm->dap)
			dap_invalidate_cache(arm->dap);
	}
}
