// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * The Tcl commands of stlink_diag: `stlink_probe <capability>`.
 *
 * Each capability sends the fewest ST-LINK commands it can, decodes the reply
 * with the knowledge tables and returns a Tcl dict, so the Tcl sequence
 * (tcl/stlink_diag*.tcl) decides what the values mean for the user:
 * mechanism here, policy there. A probe that answers badly gives a dict with
 * "ok 0" and the reason, never a Tcl error; Tcl errors are for bad usage.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <libusb.h>
#include <string.h>

#include <helper/binarybuffer.h>
#include <helper/command.h>
#include <helper/log.h>
#include <jtag/adapter.h>
#include <jtag/hla/hla_transport.h>
#include <jtag/hla/hla_interface.h>

#include "stlink_diag_arm.h"
#include "stlink_diag_iface.h"
#include "stlink_diag_link.h"
#include "stlink_diag_probe_once.h"
#include "stlink_diag_open_failure.h"
#include "stlink_diag_probe_models.h"
#include "stlink_diag_protocol.h"
#include "stlink_diag_session.h"
#include "stlink_diag_speed.h"
#include "stlink_diag_status.h"
#include "stlink_diag_stm32_commands.h"
#include "stlink_diag_usb.h"
#include "stlink_diag_version.h"

/* exit status requested by `stlink_probe exit_status`, 0 = none */
static int stlink_diag_exit_status;

/* ---- Tcl dict results ---------------------------------------------------- */

struct stlink_diag_dict {
	Jim_Interp *interp;
	Jim_Obj *obj;
};

static struct stlink_diag_dict dict_new(struct command_invocation *cmd)
{
	struct stlink_diag_dict d = { .interp = cmd->ctx->interp };

	d.obj = Jim_NewDictObj(d.interp, NULL, 0);
	Jim_IncrRefCount(d.obj);
	return d;
}

static void dict_obj(struct stlink_diag_dict *d, const char *key, Jim_Obj *value)
{
	Jim_DictAddElement(d->interp, d->obj, Jim_NewStringObj(d->interp, key, -1), value);
}

static void dict_str(struct stlink_diag_dict *d, const char *key, const char *value)
{
	dict_obj(d, key, Jim_NewStringObj(d->interp, value ? value : "", -1));
}

static void dict_int(struct stlink_diag_dict *d, const char *key, long value)
{
	dict_obj(d, key, Jim_NewIntObj(d->interp, value));
}

static void dict_fmt(struct stlink_diag_dict *d, const char *key, const char *fmt, ...)
	__attribute__ ((format (PRINTF_ATTRIBUTE_FORMAT, 3, 4)));
static void dict_fmt(struct stlink_diag_dict *d, const char *key, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	dict_str(d, key, buf);
}

static void dict_hex32(struct stlink_diag_dict *d, const char *key, uint32_t value)
{
	dict_fmt(d, key, "0x%08" PRIx32, value);
}

/* Print the dict as the command's result and free it. */
static int dict_done(struct command_invocation *cmd, struct stlink_diag_dict *d)
{
	command_print(cmd, "%s", Jim_String(d->obj));
	Jim_DecrRefCount(d->interp, d->obj);
	return ERROR_OK;
}

/* "ok 0 error <why>": the probe could not be asked */
static int dict_fail(struct command_invocation *cmd, struct stlink_diag_dict *d, const char *why)
{
	dict_int(d, "ok", 0);
	dict_str(d, "error", why);
	return dict_done(cmd, d);
}

/* "ok 0" for an exchange that failed below the ST-LINK protocol: no status
 * byte came back. The keys of a status reply are filled so that callers that
 * read them see "no answer" instead of failing on a missing key. */
static int dict_no_answer(struct command_invocation *cmd, struct stlink_diag_dict *d, const char *why)
{
	dict_str(d, "status", "none");
	dict_str(d, "status_name", "NO_ANSWER");
	dict_str(d, "status_class", "no_answer");
	dict_str(d, "meaning", "the ST-LINK did not answer (USB or stlink-server transfer failed)");
	dict_str(d, "causes", "the probe was unplugged, reset or re-enumerated; a loose cable or an unpowered hub");
	dict_int(d, "lost", 1);
	return dict_fail(cmd, d, why);
}

/* "ok 0 unsupported 1": the firmware lacks feature @bit; the minimum version
 * comes from the feature table, the one place for it. */
static int dict_unsupported(struct command_invocation *cmd, struct stlink_diag_dict *d, unsigned int bit,
		const char *what)
{
	const struct stlink_diag_feature *f = stlink_diag_feature_lookup(bit);
	char why[160];

	snprintf(why, sizeof(why), "this ST-LINK firmware cannot %s (needs V2J%u)", what, f ? f->min_v2_jtag : 0);
	dict_int(d, "unsupported", 1);
	return dict_fail(cmd, d, why);
}

/* The decoded ST-LINK status byte, from the one status table. */
static void dict_status(struct stlink_diag_dict *d, uint8_t code)
{
	const struct stlink_diag_status *st = stlink_diag_status_lookup(code);

	dict_fmt(d, "status", "0x%02x", code);
	if (st) {
		dict_str(d, "status_name", st->token);
		dict_str(d, "status_class", stlink_diag_status_class_name(st->class));
		dict_str(d, "meaning", st->meaning);
		dict_str(d, "causes", st->causes);
	} else {
		dict_str(d, "status_name", "UNKNOWN");
		dict_str(d, "status_class", "unknown");
		dict_fmt(d, "meaning", "status 0x%02x is not in any known ST-LINK firmware", code);
		dict_str(d, "causes", "a probe firmware newer than this table, a clone, or a corrupted reply");
	}
	dict_int(d, "ok", code == STLINK_DIAG_STATUS_OK);
}

/* ---- helpers -------------------------------------------------------------- */

static struct stlink_diag_session *open_session_or_fail(struct command_invocation *cmd,
		struct stlink_diag_dict *d)
{
	struct stlink_diag_session *s = stlink_diag_session();

	/* after init, every capability borrows OpenOCD's connection by itself;
	 * before init the caller opens (and must close) the probe explicitly,
	 * or OpenOCD's own init would find it in use */
	if (!stlink_diag_session_is_open(s) && stlink_diag_if_live_handle())
		stlink_diag_session_open(s);
	if (!stlink_diag_session_is_open(s)) {
		dict_fail(cmd, d, "no probe open: call 'stlink_probe open' first");
		return NULL;
	}
	return s;
}

/* Send @cmd, read @in_len reply bytes; transport failure → "ok 0". */
static int xfer_in(struct stlink_diag_session *s, const uint8_t *cmd, size_t cmd_len,
		uint8_t *in, size_t in_len)
{
	return stlink_diag_session_xfer(s, cmd, cmd_len, NULL, 0, in, in_len);
}

/*
 * Send a command whose reply starts with a status byte, re-sending it while
 * the target answers WAIT, as OpenOCD's driver does: at most 8 retries after
 * 1, 2, 4 ... 128 ms (255 ms in all). *waits counts the WAIT answers.
 */
#define STLINK_DIAG_MAX_WAIT_RETRIES 8

/* the WAIT code (DP or AP) behind the last retries, for the evidence */

static int xfer_retry_wait(struct stlink_diag_session *s, const uint8_t *cmd, size_t cmd_len,
		uint8_t *in, size_t in_len, unsigned int *waits)
{
	*waits = 0;
	for (unsigned int n = 0; ; n++) {
		int retval = xfer_in(s, cmd, cmd_len, in, in_len);
		if (retval != ERROR_OK)
			return retval;
		const struct stlink_diag_status *st = stlink_diag_status_lookup(in[0]);
		if (!st || st->class != STLINK_DIAG_ST_WAIT || n == STLINK_DIAG_MAX_WAIT_RETRIES)
			return ERROR_OK;
		(*waits)++;
		s->wait_retries++;
		s->last_wait_status = in[0];
		alive_sleep(1u << n);
	}
}

/* A command whose reply is just a status byte (+ padding). */
static int status_command(struct command_invocation *cmd, const uint8_t *bytes, size_t len)
{
	struct stlink_diag_dict d = dict_new(cmd);
	struct stlink_diag_session *s = open_session_or_fail(cmd, &d);
	uint8_t reply[STLINK_DIAG_STATUS_REPLY_SIZE];

	unsigned int waits;

	if (!s)
		return ERROR_OK;
	if (xfer_retry_wait(s, bytes, len, reply, sizeof(reply), &waits) != ERROR_OK)
		return dict_no_answer(cmd, &d, "transport failure: the probe did not answer");
	s->last_status = reply[0];
	dict_status(&d, reply[0]);
	dict_int(&d, "waits", waits);
	return dict_done(cmd, &d);
}

static int probe_version(struct stlink_diag_session *s, struct stlink_diag_version *v)
{
	uint8_t reply[STLINK_DIAG_VERSION_EX_REPLY_SIZE];
	const uint8_t f1[] = { STLINK_DIAG_GET_VERSION };
	const uint8_t fb[] = { STLINK_DIAG_GET_VERSION_EX };

	if (xfer_in(s, f1, sizeof(f1), reply, STLINK_DIAG_VERSION_REPLY_SIZE) != ERROR_OK)
		return ERROR_FAIL;
	if (stlink_diag_version_decode(reply, STLINK_DIAG_VERSION_REPLY_SIZE, v) != 0)
		return ERROR_FAIL;
	if (!v->needs_ex)
		return ERROR_OK;
	if (xfer_in(s, fb, sizeof(fb), reply, STLINK_DIAG_VERSION_EX_REPLY_SIZE) != ERROR_OK)
		return ERROR_FAIL;
	return stlink_diag_version_decode_ex(reply, STLINK_DIAG_VERSION_EX_REPLY_SIZE, v) ? ERROR_FAIL : ERROR_OK;
}

/* Serial number of the open probe: USB string descriptor, or the server's
 * device list entry whose id is the opened one. Empty when unknown. */
static void probe_serial(struct stlink_diag_session *s, const struct stlink_diag_if_info *info,
		char *buf, size_t size)
{
	buf[0] = '\0';
	if (!info->tcp) {
		struct libusb_device_handle *usb = stlink_diag_if_usb_handle(s->handle);
		struct libusb_device_descriptor desc;
		if (!usb || libusb_get_device_descriptor(libusb_get_device(usb), &desc) != 0 || !desc.iSerialNumber)
			return;
		if (libusb_get_string_descriptor_ascii(usb, desc.iSerialNumber, (unsigned char *)buf, size) < 0)
			buf[0] = '\0';
		return;
	}

	uint8_t req[8] = { STLINK_DIAG_TCP_GET_NB_DEV };
	uint8_t resp[4 + STLINK_DIAG_TCP_DEV_INFO_SIZE];
	if (stlink_diag_session_tcp_request(s, req, 1, resp, 4) != ERROR_OK)
		return;
	uint32_t count = le_to_h_u32(resp);
	/* a server lists 255 probes at most (OpenOCD clamps the same way) */
	for (uint32_t i = 0; i < count && i < 255; i++) {
		memset(req, 0, sizeof(req));
		req[0] = STLINK_DIAG_TCP_GET_DEV_INFO;
		req[1] = i;
		h_u32_to_le(req + 4, STLINK_DIAG_TCP_DEV_INFO_SIZE);
		if (stlink_diag_session_tcp_request(s, req, sizeof(req), resp, sizeof(resp)) != ERROR_OK)
			return;
		if (le_to_h_u32(resp + 4) != info->tcp_device_id)
			continue;
		size_t n = STLINK_DIAG_TCP_SERIAL_LEN < size - 1 ? STLINK_DIAG_TCP_SERIAL_LEN : size - 1;
		memcpy(buf, resp + 8, n);
		buf[n] = '\0';
		return;
	}
}

static Jim_Obj *feature_lists(Jim_Interp *interp, uint32_t flags, bool present)
{
	Jim_Obj *list = Jim_NewListObj(interp, NULL, 0);

	for (size_t i = 0; i < stlink_diag_feature_table_size; i++) {
		const struct stlink_diag_feature *f = &stlink_diag_feature_table[i];
		bool has = flags & (1u << f->bit);
		if (has != present)
			continue;
		/* a quirk that is absent is nothing the user misses */
		if (!present && f->bit == STLINK_DIAG_F_QUIRK_JTAG_DP_READ)
			continue;
		Jim_ListAppendElement(interp, list, Jim_NewStringObj(interp, f->name, -1));
		if (!present)
			Jim_ListAppendElement(interp, list, Jim_NewStringObj(interp, f->without, -1));
	}
	return list;
}

/* ---- command handlers ------------------------------------------------------ */

COMMAND_HANDLER(handle_stlink_probe_open)
{
	if (CMD_ARGC != 0)
		return ERROR_COMMAND_SYNTAX_ERROR;

	struct stlink_diag_dict d = dict_new(CMD);
	struct stlink_diag_session *s = stlink_diag_session();
	enum stlink_diag_driver driver = stlink_diag_session_driver();
	struct hl_interface_param_s *param = stlink_diag_session_params();

	dict_str(&d, "driver", stlink_diag_driver_name(driver));
	if (param) {
		dict_str(&d, "backend", param->use_stlink_tcp ? "tcp" : "usb");
		dict_int(&d, "port", param->use_stlink_tcp ? param->stlink_tcp_port : 0);
	}

	stlink_diag_open_log_start();
	int retval = stlink_diag_session_open(s);
	stlink_diag_open_log_stop();

	if (retval == ERROR_OK) {
		dict_int(&d, "ok", 1);
		dict_int(&d, "own", s->own);
		return dict_done(CMD, &d);
	}

	dict_int(&d, "ok", 0);
	if (driver == STLINK_DIAG_DRIVER_NONE) {
		dict_str(&d, "id", "host.no_driver");
		dict_str(&d, "layer", "host");
		dict_str(&d, "summary", "no ST-LINK adapter driver is selected");
		dict_str(&d, "fix", "put -f interface/stlink.cfg (hla) or -f interface/stlink-dap.cfg "
			"(dap-direct) before -c stlink_diag");
		return dict_done(CMD, &d);
	}

	const char *line = NULL;
	const struct stlink_diag_open_failure *why = stlink_diag_open_log_classify(&line);
	unsigned int port = param ? param->stlink_tcp_port : 0;
	if (why) {
		dict_str(&d, "id", why->id);
		dict_str(&d, "layer", why->layer);
		dict_fmt(&d, "summary", why->summary, port);
		char fix[512];
		snprintf(fix, sizeof(fix), why->fix, port, port);
		dict_str(&d, "fix", fix);
	} else {
		dict_str(&d, "id", "host.open_failed");
		dict_str(&d, "layer", "host");
		dict_str(&d, "summary", "the ST-LINK driver could not open the probe");
		dict_str(&d, "fix", "run openocd with -d3 and look for the first error of the ST-LINK driver");
	}
	dict_str(&d, "log", stlink_diag_open_log());
	return dict_done(CMD, &d);
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
	struct stlink_diag_dict d = dict_new(CMD);
	dict_str(&d, "state", state);
	dict_str(&d, "driver", stlink_diag_driver_name(stlink_diag_session_driver()));
	dict_int(&d, "open", stlink_diag_session_is_open(s));
	dict_int(&d, "in_debug_mode", s->in_debug_mode);
	dict_int(&d, "transport_errors", s->transport_errors);
	return dict_done(CMD, &d);
}

COMMAND_HANDLER(handle_stlink_probe_info)
{
	if (CMD_ARGC != 0)
		return ERROR_COMMAND_SYNTAX_ERROR;

	struct stlink_diag_dict d = dict_new(CMD);
	struct stlink_diag_session *s = open_session_or_fail(CMD, &d);
	if (!s)
		return ERROR_OK;

	struct stlink_diag_if_info info;
	stlink_diag_if_get_info(s->handle, &info);

	struct stlink_diag_version v;
	if (probe_version(s, &v) != ERROR_OK)
		return dict_fail(CMD, &d, "GET_VERSION failed or its reply is malformed");

	char fw[STLINK_DIAG_VERSION_STRING_SIZE];
	stlink_diag_version_string(&v, fw, sizeof(fw));
	const struct stlink_diag_probe_model *model = stlink_diag_probe_model_lookup(v.pid);
	uint32_t flags = stlink_diag_version_flags(&v);
	char serial[64];
	probe_serial(s, &info, serial, sizeof(serial));

	dict_int(&d, "ok", 1);
	dict_str(&d, "driver", stlink_diag_driver_name(s->driver));
	dict_str(&d, "backend", info.tcp ? "tcp" : "usb");
	dict_fmt(&d, "vid", "0x%04x", v.vid);
	dict_fmt(&d, "pid", "0x%04x", v.pid);
	dict_str(&d, "model", model ? model->model : "unknown ST-LINK");
	dict_int(&d, "known_to_openocd", model && model->known_to_openocd_0_12);
	dict_int(&d, "hw", v.hw);
	dict_int(&d, "jtag", v.jtag);
	dict_int(&d, "swim", v.swim);
	dict_int(&d, "msd", v.msd);
	dict_int(&d, "bridge", v.bridge);
	dict_int(&d, "api", v.api);
	dict_int(&d, "stm8_only", v.stm8_only);
	dict_str(&d, "firmware", fw);
	dict_fmt(&d, "line", "STLINK %s (API v%u) VID:PID %04X:%04X", fw, v.api, v.vid, v.pid);
	dict_fmt(&d, "flags", "0x%03" PRIx32, flags);
	/* both decodings of the same bytes must agree; a mismatch is our bug */
	dict_fmt(&d, "openocd_flags", "0x%03" PRIx32, info.flags);
	dict_obj(&d, "features", feature_lists(d.interp, flags, true));
	dict_obj(&d, "missing", feature_lists(d.interp, flags, false));
	dict_str(&d, "serial", serial);
	if (info.tcp) {
		dict_int(&d, "server_api", info.tcp_api);
		dict_fmt(&d, "server_version", "%" PRIu32 ".%" PRIu32 ".%" PRIu32,
			info.tcp_major, info.tcp_minor, info.tcp_build);
	}
	for (size_t i = 0; i < stlink_diag_fw_minimum_table_size; i++) {
		const struct stlink_diag_fw_minimum *m = &stlink_diag_fw_minimum_table[i];
		if (m->need == STLINK_DIAG_NEED_HLA)
			dict_int(&d, "meets_hla", stlink_diag_fw_meets(m, &v));
		else if (m->need == STLINK_DIAG_NEED_DAP_DIRECT)
			dict_int(&d, "meets_dap_direct", stlink_diag_fw_meets(m, &v));
		else if (m->need == STLINK_DIAG_NEED_RECOMMENDED)
			dict_int(&d, "meets_recommended", stlink_diag_fw_meets(m, &v));
	}
	dict_str(&d, "update_tool", STLINK_DIAG_FW_UPDATE_TOOL);
	return dict_done(CMD, &d);
}

COMMAND_HANDLER(handle_stlink_probe_mode)
{
	if (CMD_ARGC != 0)
		return ERROR_COMMAND_SYNTAX_ERROR;

	struct stlink_diag_dict d = dict_new(CMD);
	struct stlink_diag_session *s = open_session_or_fail(CMD, &d);
	if (!s)
		return ERROR_OK;

	const uint8_t f5[] = { STLINK_DIAG_GET_CURRENT_MODE };
	uint8_t reply[STLINK_DIAG_MODE_REPLY_SIZE];
	if (xfer_in(s, f5, sizeof(f5), reply, sizeof(reply)) != ERROR_OK)
		return dict_fail(CMD, &d, "transport failure: GET_CURRENT_MODE not answered");

	const struct stlink_diag_mode *m = stlink_diag_mode_lookup(reply[0]);
	dict_int(&d, "ok", 1);
	dict_int(&d, "code", reply[0]);
	dict_str(&d, "name", m ? m->name : "unknown");
	dict_str(&d, "meaning", m ? m->meaning : "a mode byte no known firmware sends");
	return dict_done(CMD, &d);
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
	struct stlink_diag_dict d = dict_new(CMD);
	struct stlink_diag_session *s = open_session_or_fail(CMD, &d);
	if (!s)
		return ERROR_OK;

	for (size_t i = 0; i < ARRAY_SIZE(exits); i++) {
		if (strcmp(CMD_ARGV[0], exits[i].mode))
			continue;
		/* these commands have no reply phase */
		if (stlink_diag_session_xfer(s, exits[i].bytes, 2, NULL, 0, NULL, 0) != ERROR_OK)
			return dict_fail(CMD, &d, "transport failure");
		if (i == 0)
			s->in_debug_mode = false;
		dict_int(&d, "ok", 1);
		return dict_done(CMD, &d);
	}
	dict_int(&d, "ok", 1);
	dict_str(&d, "note", "nothing to leave");
	return dict_done(CMD, &d);
}

COMMAND_HANDLER(handle_stlink_probe_voltage)
{
	if (CMD_ARGC != 0)
		return ERROR_COMMAND_SYNTAX_ERROR;

	struct stlink_diag_dict d = dict_new(CMD);
	struct stlink_diag_session *s = open_session_or_fail(CMD, &d);
	if (!s)
		return ERROR_OK;

	struct stlink_diag_if_info info;
	stlink_diag_if_get_info(s->handle, &info);
	if (!(info.flags & (1u << STLINK_DIAG_F_HAS_TRACE)))
		return dict_unsupported(CMD, &d, STLINK_DIAG_F_HAS_TRACE, "measure the target voltage");

	const uint8_t f7[] = { STLINK_DIAG_GET_TARGET_VOLTAGE };
	uint8_t reply[STLINK_DIAG_VOLTAGE_REPLY_SIZE];
	if (xfer_in(s, f7, sizeof(f7), reply, sizeof(reply)) != ERROR_OK)
		return dict_fail(CMD, &d, "transport failure: GET_TARGET_VOLTAGE not answered");

	double volts;
	dict_int(&d, "a0", le_to_h_u32(reply));
	dict_int(&d, "a1", le_to_h_u32(reply + 4));
	if (stlink_diag_voltage_decode(reply, sizeof(reply), &volts) != 0)
		return dict_fail(CMD, &d, "the voltage reply has a zero reference reading");
	dict_int(&d, "ok", 1);
	dict_fmt(&d, "volts", "%.2f", volts);
	return dict_done(CMD, &d);
}

static bool arg_is_jtag(struct command_invocation *cmd, unsigned int i, bool *jtag)
{
	if (CMD_ARGC <= i) {
		*jtag = false;
		return true;
	}
	if (!strcmp(CMD_ARGV[i], "swd"))
		*jtag = false;
	else if (!strcmp(CMD_ARGV[i], "jtag"))
		*jtag = true;
	else
		return false;
	return true;
}

/* The V3 frequency list (GET_COM_FREQ); count 0 on failure. */
static int v3_speeds(struct stlink_diag_session *s, bool jtag, uint32_t *khz, size_t *count)
{
	const uint8_t req[] = { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_GET_COM_FREQ, jtag ? 1 : 0 };
	uint8_t reply[STLINK_DIAG_COM_FREQ_REPLY_SIZE];

	*count = 0;
	if (xfer_in(s, req, sizeof(req), reply, sizeof(reply)) != ERROR_OK)
		return ERROR_FAIL;
	s->last_status = reply[0];
	if (stlink_diag_com_freq_decode(reply, sizeof(reply), khz, STLINK_DIAG_COM_FREQ_MAX, count) != 0)
		return ERROR_FAIL;
	return ERROR_OK;
}

COMMAND_HANDLER(handle_stlink_probe_speeds)
{
	bool jtag;
	if (CMD_ARGC > 1 || !arg_is_jtag(CMD, 0, &jtag))
		return ERROR_COMMAND_SYNTAX_ERROR;

	struct stlink_diag_dict d = dict_new(CMD);
	struct stlink_diag_session *s = open_session_or_fail(CMD, &d);
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
			return dict_fail(CMD, &d, "GET_COM_FREQ failed");
		}
		for (size_t i = 0; i < n; i++)
			Jim_ListAppendElement(d.interp, list, Jim_NewIntObj(d.interp, khz[i]));
		dict_str(&d, "source", "GET_COM_FREQ");
	} else {
		unsigned int bit = jtag ? STLINK_DIAG_F_HAS_JTAG_SET_FREQ : STLINK_DIAG_F_HAS_SWD_SET_FREQ;
		bool settable = info.flags & (1u << bit);
		size_t n = stlink_diag_speed_table_size(jtag);
		const struct stlink_diag_speed *table = stlink_diag_speed_table(jtag);
		for (size_t i = 0; settable && i < n; i++)
			Jim_ListAppendElement(d.interp, list, Jim_NewIntObj(d.interp, table[i].khz));
		dict_str(&d, "source", settable ? "V2 divisor table" : "fixed by firmware");
	}
	dict_int(&d, "ok", 1);
	dict_obj(&d, "khz", list);
	return dict_done(CMD, &d);
}

COMMAND_HANDLER(handle_stlink_probe_speed)
{
	bool jtag;
	unsigned int khz;
	if (CMD_ARGC < 1 || CMD_ARGC > 2 || !arg_is_jtag(CMD, 1, &jtag))
		return ERROR_COMMAND_SYNTAX_ERROR;
	COMMAND_PARSE_NUMBER(uint, CMD_ARGV[0], khz);

	struct stlink_diag_dict d = dict_new(CMD);
	struct stlink_diag_session *s = open_session_or_fail(CMD, &d);
	if (!s)
		return ERROR_OK;

	struct stlink_diag_if_info info;
	stlink_diag_if_get_info(s->handle, &info);
	dict_int(&d, "requested", khz);

	uint8_t reply[STLINK_DIAG_SET_COM_FREQ_REPLY_SIZE];
	if (info.hw == 3) {
		uint32_t list[STLINK_DIAG_COM_FREQ_MAX];
		size_t n;
		if (v3_speeds(s, jtag, list, &n) != ERROR_OK || n == 0)
			return dict_fail(CMD, &d, "GET_COM_FREQ failed");
		/* OpenOCD's rule: the fastest at or below the request, else the slowest */
		uint32_t pick = list[0];
		for (size_t i = 0; i < n; i++) {
			if (list[i] < pick)
				pick = list[i];
		}
		uint32_t best = 0;
		for (size_t i = 0; i < n; i++) {
			if (list[i] <= khz && list[i] > best)
				best = list[i];
		}
		if (best)
			pick = best;
		uint8_t req[8] = { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_SET_COM_FREQ, jtag ? 1 : 0, 0 };
		h_u32_to_le(req + 4, pick);
		if (xfer_in(s, req, sizeof(req), reply, STLINK_DIAG_SET_COM_FREQ_REPLY_SIZE) != ERROR_OK)
			return dict_fail(CMD, &d, "transport failure: SET_COM_FREQ not answered");
		dict_int(&d, "khz", pick);
	} else {
		unsigned int bit = jtag ? STLINK_DIAG_F_HAS_JTAG_SET_FREQ : STLINK_DIAG_F_HAS_SWD_SET_FREQ;
		if (!(info.flags & (1u << bit)))
			return dict_unsupported(CMD, &d, bit, jtag ? "set the JTAG clock" : "set the SWD clock");
		const struct stlink_diag_speed *sp = stlink_diag_speed_match(jtag, khz);
		uint8_t req[4] = { STLINK_DIAG_DEBUG_COMMAND,
			jtag ? STLINK_DIAG_JTAG_SET_FREQ : STLINK_DIAG_SWD_SET_FREQ };
		h_u16_to_le(req + 2, sp->divisor);
		if (xfer_in(s, req, sizeof(req), reply, STLINK_DIAG_STATUS_REPLY_SIZE) != ERROR_OK)
			return dict_fail(CMD, &d, "transport failure: SET_FREQ not answered");
		dict_int(&d, "khz", sp->khz);
	}
	s->last_status = reply[0];
	dict_status(&d, reply[0]);
	return dict_done(CMD, &d);
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

COMMAND_HANDLER(handle_stlink_probe_enter)
{
	bool jtag;
	if (CMD_ARGC > 1 || !arg_is_jtag(CMD, 0, &jtag))
		return ERROR_COMMAND_SYNTAX_ERROR;

	struct stlink_diag_session *s = stlink_diag_session();
	const uint8_t req[] = { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_DEBUG_ENTER,
		jtag ? STLINK_DIAG_ENTER_JTAG : STLINK_DIAG_ENTER_SWD };
	int retval = status_command(CMD, req, sizeof(req));
	/* DEBUG_EXIT is owed even after a failed ENTER: the firmware may have
	 * switched modes before the target failed to answer */
	if (stlink_diag_session_is_open(s) && s->own)
		s->in_debug_mode = true;
	return retval;
}

COMMAND_HANDLER(handle_stlink_probe_exit)
{
	if (CMD_ARGC != 0)
		return ERROR_COMMAND_SYNTAX_ERROR;

	struct stlink_diag_session *s = stlink_diag_session();
	const uint8_t req[] = { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_DEBUG_EXIT };
	if (!stlink_diag_session_is_open(s))
		return ERROR_OK;
	if (!s->own) {
		command_print(CMD, "stlink_probe exit: OpenOCD owns this connection; not leaving debug mode");
		return ERROR_FAIL;
	}
	stlink_diag_session_xfer(s, req, sizeof(req), NULL, 0, NULL, 0);
	s->in_debug_mode = false;
	return ERROR_OK;
}

/* A command whose reply is status + one 32-bit value at byte 4. */
static int value_command(struct command_invocation *cmd, const uint8_t *bytes, size_t len, const char *key)
{
	struct stlink_diag_dict d = dict_new(cmd);
	struct stlink_diag_session *s = open_session_or_fail(cmd, &d);
	uint8_t reply[STLINK_DIAG_IDCODES_REPLY_SIZE];
	size_t reply_len = bytes[1] == STLINK_DIAG_READ_IDCODES ? STLINK_DIAG_IDCODES_REPLY_SIZE
		: STLINK_DIAG_REG_REPLY_SIZE;

	unsigned int waits;

	if (!s)
		return ERROR_OK;
	if (xfer_retry_wait(s, bytes, len, reply, reply_len, &waits) != ERROR_OK)
		return dict_no_answer(cmd, &d, "transport failure: the probe did not answer");
	s->last_status = reply[0];
	dict_status(&d, reply[0]);
	dict_int(&d, "waits", waits);
	if (waits)
		dict_fmt(&d, "wait_status", "0x%02x", s->last_wait_status);
	dict_hex32(&d, key, le_to_h_u32(reply + 4));
	stlink_diag_session_invalidate_dap_cache(s);
	return dict_done(cmd, &d);
}

COMMAND_HANDLER(handle_stlink_probe_idcode)
{
	if (CMD_ARGC != 0)
		return ERROR_COMMAND_SYNTAX_ERROR;
	const uint8_t req[] = { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_READ_IDCODES };
	return value_command(CMD, req, sizeof(req), "dpidr");
}

/* One 32-bit AHB read through READDEBUGREG: one round trip, where a memory
 * read costs two (READMEM + GETLASTRWSTATUS2). */
COMMAND_HANDLER(handle_stlink_probe_read32)
{
	uint32_t addr;
	if (CMD_ARGC != 1)
		return ERROR_COMMAND_SYNTAX_ERROR;
	COMMAND_PARSE_NUMBER(u32, CMD_ARGV[0], addr);
	if (addr & 3) {
		command_print(CMD, "stlink_probe read32: address 0x%08" PRIx32 " is not word aligned", addr);
		return ERROR_COMMAND_ARGUMENT_INVALID;
	}
	uint8_t req[6] = { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_READDEBUGREG };
	h_u32_to_le(req + 2, addr);
	return value_command(CMD, req, sizeof(req), "value");
}

COMMAND_HANDLER(handle_stlink_probe_dap_read)
{
	uint16_t port, reg;
	if (CMD_ARGC != 2)
		return ERROR_COMMAND_SYNTAX_ERROR;
	if (!strcmp(CMD_ARGV[0], "dp"))
		port = STLINK_DIAG_DP_PORT;
	else
		COMMAND_PARSE_NUMBER(u16, CMD_ARGV[0], port);
	COMMAND_PARSE_NUMBER(u16, CMD_ARGV[1], reg);

	struct stlink_diag_session *s = stlink_diag_session();
	if (stlink_diag_session_is_open(s)) {
		struct stlink_diag_if_info info;
		stlink_diag_if_get_info(s->handle, &info);
		if (!(info.flags & (1u << STLINK_DIAG_F_HAS_DAP_REG))) {
			struct stlink_diag_dict d = dict_new(CMD);
			return dict_unsupported(CMD, &d, STLINK_DIAG_F_HAS_DAP_REG, "read DAP registers");
		}
	}
	uint8_t req[6] = { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_READ_DAP_REG };
	h_u16_to_le(req + 2, port);
	h_u16_to_le(req + 4, reg);
	return value_command(CMD, req, sizeof(req), "value");
}

COMMAND_HANDLER(handle_stlink_probe_nrst)
{
	static const char * const levels[] = { "low", "high", "pulse" };
	if (CMD_ARGC != 1)
		return ERROR_COMMAND_SYNTAX_ERROR;
	for (uint8_t i = 0; i < ARRAY_SIZE(levels); i++) {
		if (strcmp(CMD_ARGV[0], levels[i]))
			continue;
		const uint8_t req[] = { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_DRIVE_NRST, i };
		LOG_INFO("stlink_diag: driving NRST %s", levels[i]);
		return status_command(CMD, req, sizeof(req));
	}
	return ERROR_COMMAND_SYNTAX_ERROR;
}

COMMAND_HANDLER(handle_stlink_probe_status)
{
	uint8_t code;
	if (CMD_ARGC != 1)
		return ERROR_COMMAND_SYNTAX_ERROR;
	COMMAND_PARSE_NUMBER(u8, CMD_ARGV[0], code);

	struct stlink_diag_dict d = dict_new(CMD);
	dict_status(&d, code);
	return dict_done(CMD, &d);
}

COMMAND_HANDLER(handle_stlink_probe_decode)
{
	uint32_t value;
	if (CMD_ARGC != 2)
		return ERROR_COMMAND_SYNTAX_ERROR;
	COMMAND_PARSE_NUMBER(u32, CMD_ARGV[1], value);

	struct stlink_diag_dict d = dict_new(CMD);
	dict_hex32(&d, "raw", value);
	char text[256];
	if (!strcmp(CMD_ARGV[0], "dpidr")) {
		struct stlink_diag_dpidr id;
		dict_int(&d, "valid", stlink_diag_dpidr_decode(value, &id) == 0);
		dict_fmt(&d, "designer", "0x%03x", id.designer);
		dict_str(&d, "designer_name", id.designer_name ? id.designer_name : "unknown");
		dict_str(&d, "version", stlink_diag_dp_version_name(id.version));
		dict_int(&d, "mindp", id.mindp);
		dict_fmt(&d, "partno", "0x%02x", id.partno);
		dict_int(&d, "revision", id.revision);
	} else if (!strcmp(CMD_ARGV[0], "cpuid")) {
		struct stlink_diag_cpuid id;
		dict_int(&d, "valid", stlink_diag_cpuid_decode(value, &id) == 0);
		dict_fmt(&d, "implementer", "0x%02x", id.implementer);
		dict_fmt(&d, "partno", "0x%03x", id.partno);
		dict_str(&d, "core", id.core ? id.core->name : "unknown");
		dict_str(&d, "arch", id.core ? id.core->arch : "unknown");
		dict_str(&d, "profile", stlink_diag_core_profile(id.core));
		stlink_diag_cpuid_revision_string(&id, text, sizeof(text));
		dict_str(&d, "revision", text);
	} else if (!strcmp(CMD_ARGV[0], "apidr")) {
		struct stlink_diag_ap_idr id;
		dict_int(&d, "valid", stlink_diag_ap_idr_decode(value, &id) == 0);
		dict_str(&d, "type", id.type_name ? id.type_name : "unknown");
		dict_int(&d, "mem_ap", id.is_mem_ap);
		dict_str(&d, "designer_name", id.designer_name ? id.designer_name : "unknown");
		dict_int(&d, "revision", id.revision);
	} else if (!strcmp(CMD_ARGV[0], "dhcsr")) {
		dict_str(&d, "state", stlink_diag_dhcsr_state(value));
		stlink_diag_bits_format(stlink_diag_dhcsr_bits, stlink_diag_dhcsr_bits_size, value, text, sizeof(text));
		dict_str(&d, "bits", text);
		stlink_diag_bits_fields(stlink_diag_dhcsr_bits, stlink_diag_dhcsr_bits_size, value, text, sizeof(text));
		dict_str(&d, "fields", text);
	} else if (!strcmp(CMD_ARGV[0], "ctrlstat")) {
		stlink_diag_bits_format(stlink_diag_ctrl_stat_bits, stlink_diag_ctrl_stat_bits_size, value,
			text, sizeof(text));
		dict_str(&d, "bits", text);
		stlink_diag_bits_fields(stlink_diag_ctrl_stat_bits, stlink_diag_ctrl_stat_bits_size, value,
			text, sizeof(text));
		dict_str(&d, "fields", text);
	} else {
		Jim_DecrRefCount(d.interp, d.obj);
		return ERROR_COMMAND_SYNTAX_ERROR;
	}
	return dict_done(CMD, &d);
}

COMMAND_HANDLER(handle_stlink_probe_stats)
{
	if (CMD_ARGC != 0)
		return ERROR_COMMAND_SYNTAX_ERROR;

	struct stlink_diag_session *s = stlink_diag_session();
	struct stlink_diag_dict d = dict_new(CMD);
	dict_int(&d, "round_trips", s->round_trips);
	dict_int(&d, "server_requests", s->server_requests);
	dict_int(&d, "waits", s->wait_retries);
	dict_fmt(&d, "wait_status", "0x%02x", s->last_wait_status);
	return dict_done(CMD, &d);
}

COMMAND_HANDLER(handle_stlink_probe_exit_status)
{
	int status;
	if (CMD_ARGC != 1)
		return ERROR_COMMAND_SYNTAX_ERROR;
	COMMAND_PARSE_NUMBER(int, CMD_ARGV[0], status);
	if (status < 0 || status > 125) {
		command_print(CMD, "stlink_probe exit_status: %d is not in 0..125", status);
		return ERROR_COMMAND_ARGUMENT_INVALID;
	}
	stlink_diag_exit_status = status;
	return ERROR_OK;
}

int stlink_diag_hook_exit_status(void)
{
	return stlink_diag_exit_status;
}

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

static const struct command_registration stlink_probe_subcommand_handlers[] = {
	{ .name = "open", .handler = handle_stlink_probe_open, .mode = COMMAND_ANY, .usage = "",
	  .help = "open the ST-LINK (or borrow OpenOCD's connection); returns a dict, ok 0 with the reason on failure" },
	{ .name = "close", .handler = handle_stlink_probe_close, .mode = COMMAND_ANY, .usage = "",
	  .help = "leave the debug mode stlink_diag entered and release a probe it opened" },
	{ .name = "state", .handler = handle_stlink_probe_state, .mode = COMMAND_ANY, .usage = "",
	  .help = "closed, own (opened by stlink_diag) or live (OpenOCD's connection)" },
	{ .name = "info", .handler = handle_stlink_probe_info, .mode = COMMAND_ANY, .usage = "",
	  .help = "probe model, firmware, API, feature flags, serial, server version" },
	{ .name = "mode", .handler = handle_stlink_probe_mode, .mode = COMMAND_ANY, .usage = "",
	  .help = "the probe's current mode (DFU, mass storage, debug, SWIM, bootloader)" },
	{ .name = "leave", .handler = handle_stlink_probe_leave, .mode = COMMAND_ANY, .usage = "debug|DFU|SWIM",
	  .help = "leave the given probe mode" },
	{ .name = "voltage", .handler = handle_stlink_probe_voltage, .mode = COMMAND_ANY, .usage = "",
	  .help = "measure the target voltage now" },
	{ .name = "speeds", .handler = handle_stlink_probe_speeds, .mode = COMMAND_ANY, .usage = "[swd|jtag]",
	  .help = "the clock speeds this probe offers, in kHz" },
	{ .name = "speed", .handler = handle_stlink_probe_speed, .mode = COMMAND_ANY, .usage = "khz [swd|jtag]",
	  .help = "set the wire clock (OpenOCD's matching rule); returns the speed set" },
	{ .name = "configured_speed", .handler = handle_stlink_probe_configured_speed, .mode = COMMAND_ANY,
	  .usage = "", .help = "the adapter speed configured in kHz, 0 when none" },
	{ .name = "enter", .handler = handle_stlink_probe_enter, .mode = COMMAND_ANY, .usage = "[swd|jtag]",
	  .help = "enter SWD or JTAG debug mode: the firmware's line reset and IDCODE read" },
	{ .name = "exit", .handler = handle_stlink_probe_exit, .mode = COMMAND_ANY, .usage = "",
	  .help = "leave the debug mode stlink_diag entered" },
	{ .name = "idcode", .handler = handle_stlink_probe_idcode, .mode = COMMAND_ANY, .usage = "",
	  .help = "read the DPIDR (SWD) or IDCODE (JTAG)" },
	{ .name = "read32", .handler = handle_stlink_probe_read32, .mode = COMMAND_ANY, .usage = "address",
	  .help = "read one 32-bit word through the AHB-AP, without halting" },
	{ .name = "dap_read", .handler = handle_stlink_probe_dap_read, .mode = COMMAND_ANY,
	  .usage = "(dp|ap_number) register",
	  .help = "read a DP or AP register (firmware V2J24 and later)" },
	{ .name = "nrst", .handler = handle_stlink_probe_nrst, .mode = COMMAND_ANY, .usage = "low|high|pulse",
	  .help = "drive the NRST line; resets the target: callers announce it first" },
	{ .name = "status", .handler = handle_stlink_probe_status, .mode = COMMAND_ANY, .usage = "code",
	  .help = "decode an ST-LINK status byte from the status table" },
	{ .name = "decode", .handler = handle_stlink_probe_decode, .mode = COMMAND_ANY,
	  .usage = "(dpidr|cpuid|apidr|dhcsr|ctrlstat) value",
	  .help = "decode an ARM debug identification or status register" },
	{ .name = "stats", .handler = handle_stlink_probe_stats, .mode = COMMAND_ANY, .usage = "",
	  .help = "ST-LINK round trips and stlink-server requests stlink_diag sent since 'open'" },
	{ .name = "exit_status", .handler = handle_stlink_probe_exit_status, .mode = COMMAND_ANY,
	  .usage = "status",
	  .help = "exit status OpenOCD returns when it shuts down (stlink_diag before init)" },
	{ .name = "stm32", .mode = COMMAND_ANY, .usage = "", .help = "STM32 knowledge tables",
	  .chain = stlink_diag_stm32_command_handlers },
	{ .chain = stlink_diag_usb_subcommand_handlers },
	{ .chain = stlink_diag_link_command_handlers },
	{ .chain = stlink_diag_probe_once_command_handlers },
	COMMAND_REGISTRATION_DONE
};

const struct command_registration stlink_diag_command_handlers[] = {
	{
		.name = "stlink_probe",
		.mode = COMMAND_ANY,
		.help = "stlink_diag capabilities: talk to the ST-LINK one command at a time",
		.usage = "",
		.chain = stlink_probe_subcommand_handlers,
	},
	COMMAND_REGISTRATION_DONE
};
