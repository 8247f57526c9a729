// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * stlink_probe error_rate: the transfer error rate of the SWD link at the
 * clock set now, from block reads of the ROM table (stlink_diag_errrate.h).
 * Each block is one READMEM_32BIT and one GETLASTRWSTATUS(2), two round
 * trips for up to 256 transfers; the words before a failed one count as
 * transferred. After an error the link is entered again (our own connection
 * only), as a debugger would. Bounded by words, errors and round trips.
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
#include "stlink_diag_errrate.h"
#include "stlink_diag_exchange.h"
#include "stlink_diag_iface.h"
#include "stlink_diag_protocol.h"
#include "stlink_diag_session.h"
#include "stlink_diag_status.h"
#include "stlink_diag_version.h"

#define ERRRATE_WORDS_DEFAULT		1024
#define ERRRATE_WORDS_MAX		65536
#define ERRRATE_TRIPS_DEFAULT		12
#define ERRRATE_TRIPS_MAX		64
#define ERRRATE_ERRORS_DEFAULT		3
/* WAIT: a block read again after 1, 2, 4, 8 ms, at most 8 times in all
 * (OpenOCD's memory reads: 8 retries shared by a request) */
#define ERRRATE_WAIT_RETRIES		4
#define ERRRATE_WAITS_MAX		8

struct errrate_args {
	uint32_t addr;
	uint32_t words;
	unsigned int max_trips;
	unsigned int max_errors;
};

struct errrate_count {
	unsigned int trips;
	unsigned int blocks;		/* block reads, a WAIT's retries not counted */
	uint32_t transfers;		/* words that went through plus the failed ones */
	uint32_t words_ok;
	unsigned int errors;
	unsigned int waits;
	unsigned int target_faults;	/* FAULTs with STICKYERR set: the target's, not the wire's */
	unsigned int data_errors;	/* component ID words that read wrong */
	unsigned int addr_unknown;	/* failed blocks without a fault address inside them */
	unsigned int reconnects;
	unsigned int reconnect_failures;	/* ENTERs that did not get an answer */
	unsigned int per_status[256];
	const char *stopped;
};

static int parse_args(struct command_invocation *cmd, struct errrate_args *a)
{
	*a = (struct errrate_args){ .addr = STLINK_DIAG_ERRRATE_ADDR, .words = ERRRATE_WORDS_DEFAULT,
		.max_trips = ERRRATE_TRIPS_DEFAULT, .max_errors = ERRRATE_ERRORS_DEFAULT };

	if (CMD_ARGC % 2)
		return ERROR_COMMAND_SYNTAX_ERROR;
	for (unsigned int i = 0; i < CMD_ARGC; i += 2) {
		const char *opt = CMD_ARGV[i], *val = CMD_ARGV[i + 1];
		if (!strcmp(opt, "-addr"))
			COMMAND_PARSE_NUMBER(u32, val, a->addr);
		else if (!strcmp(opt, "-words"))
			COMMAND_PARSE_NUMBER(u32, val, a->words);
		else if (!strcmp(opt, "-max_trips"))
			COMMAND_PARSE_NUMBER(uint, val, a->max_trips);
		else if (!strcmp(opt, "-max_errors"))
			COMMAND_PARSE_NUMBER(uint, val, a->max_errors);
		else
			return ERROR_COMMAND_SYNTAX_ERROR;
	}
	if (a->addr & 3) {
		command_print(cmd, "stlink_probe error_rate: address 0x%08" PRIx32 " is not word aligned", a->addr);
		return ERROR_COMMAND_ARGUMENT_INVALID;
	}
	if (a->words == 0 || a->words > ERRRATE_WORDS_MAX || a->max_trips < 2 || a->max_trips > ERRRATE_TRIPS_MAX
			|| a->max_errors == 0) {
		command_print(cmd, "stlink_probe error_rate: -words 1..%d, -max_trips 2..%d, -max_errors 1 or more",
			ERRRATE_WORDS_MAX, ERRRATE_TRIPS_MAX);
		return ERROR_COMMAND_ARGUMENT_INVALID;
	}
	return ERROR_OK;
}

/* ENTER SWD again after a failed block: the firmware's line reset and DPIDR
 * read bring the link back in step; three tries at most. */
static bool reconnect(struct stlink_diag_session *s, struct errrate_count *c, unsigned int max_trips)
{
	const uint8_t req[] = { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_DEBUG_ENTER, STLINK_DIAG_ENTER_SWD };
	uint8_t reply[STLINK_DIAG_STATUS_REPLY_SIZE];

	for (int i = 0; i < 3 && c->trips < max_trips; i++) {
		c->trips++;
		if (stlink_diag_session_xfer_in(s, req, sizeof(req), reply, sizeof(reply)) != ERROR_OK)
			return false;
		c->reconnects++;
		if (reply[0] == STLINK_DIAG_STATUS_OK)
			return true;
		c->reconnect_failures++;
	}
	return false;
}

/* the statuses seen, each with its count: "0x13 TOKEN x2", the token from the status table */
static void put_statuses(struct stlink_diag_dict *d, const struct errrate_count *c)
{
	Jim_Obj *list = Jim_NewListObj(d->interp, NULL, 0);

	for (unsigned int code = 0; code < 256; code++) {
		if (!c->per_status[code])
			continue;
		const struct stlink_diag_status *st = stlink_diag_status_lookup(code);
		char buf[96];
		snprintf(buf, sizeof(buf), "0x%02x %s x%u", code, st ? st->token : "unknown", c->per_status[code]);
		Jim_ListAppendElement(d->interp, list, Jim_NewStringObj(d->interp, buf, -1));
	}
	stlink_diag_dict_obj(d, "statuses", list);
}

static void put_counts(struct stlink_diag_dict *d, const struct errrate_args *a, const struct errrate_count *c)
{
	stlink_diag_dict_hex32(d, "addr", a->addr);
	stlink_diag_dict_int(d, "words", a->words);
	stlink_diag_dict_int(d, "transfers", c->transfers);
	stlink_diag_dict_int(d, "words_ok", c->words_ok);
	stlink_diag_dict_int(d, "errors", c->errors);
	stlink_diag_dict_int(d, "waits", c->waits);
	stlink_diag_dict_int(d, "target_faults", c->target_faults);
	stlink_diag_dict_int(d, "data_errors", c->data_errors);
	stlink_diag_dict_int(d, "fault_addr_unknown", c->addr_unknown);
	stlink_diag_dict_int(d, "reconnects", c->reconnects);
	stlink_diag_dict_int(d, "reconnect_failures", c->reconnect_failures);
	stlink_diag_dict_int(d, "round_trips", c->trips);
	stlink_diag_dict_int(d, "blocks", c->blocks);
	stlink_diag_dict_fmt(d, "rate", "%.4f", c->transfers ? (double)c->errors / c->transfers : 0.0);
	stlink_diag_dict_str(d, "stopped", c->stopped);
	put_statuses(d, c);
}

/*
 * After a FAULT answer: was it the target's (a sticky error flag set in
 * CTRL/STAT, which a MEM-AP answers with FAULT until it is cleared: ARM IHI
 * 0031 ADIv5, "Sticky flags and DP error responses") or a garbled ACK read
 * as FAULT? One READ_DAP_REG of DP CTRL/STAT (firmware with
 * STLINK_F_HAS_DAP_REG, V2J24 and later). 1: STICKYERR set; 0: clear;
 * -1: cannot tell.
 */
static int sticky_set(struct stlink_diag_session *s, const struct stlink_diag_if_info *info,
		struct errrate_count *c, unsigned int max_trips)
{
	if (!(info->flags & (1u << STLINK_DIAG_F_HAS_DAP_REG)) || c->trips >= max_trips)
		return -1;
	uint8_t req[6] = { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_READ_DAP_REG };
	uint8_t reply[STLINK_DIAG_REG_REPLY_SIZE];
	h_u16_to_le(req + 2, STLINK_DIAG_DP_PORT);
	h_u16_to_le(req + 4, STLINK_DIAG_DP_CTRL_STAT);
	c->trips++;
	if (stlink_diag_session_xfer_in(s, req, sizeof(req), reply, sizeof(reply)) != ERROR_OK
			|| reply[0] != STLINK_DIAG_STATUS_OK)
		return -1;
	/* the bit from the CTRL/STAT table, the one place for it */
	for (size_t i = 0; i < stlink_diag_ctrl_stat_bits_size; i++)
		if (!strcmp(stlink_diag_ctrl_stat_bits[i].name, "STICKYERR"))
			return (le_to_h_u32(reply + 4) >> stlink_diag_ctrl_stat_bits[i].bit) & 1;
	return -1;
}

COMMAND_HANDLER(handle_stlink_probe_error_rate)
{
	struct errrate_args a;
	int retval = parse_args(CMD, &a);
	if (retval != ERROR_OK)
		return retval;

	struct stlink_diag_dict d = stlink_diag_dict_new(CMD);
	struct stlink_diag_session *s = stlink_diag_cmd_session(CMD, &d);
	if (!s)
		return ERROR_OK;

	struct stlink_diag_if_info info;
	stlink_diag_if_get_info(s->handle, &info);
	if (info.jtag_api < 2)
		return stlink_diag_dict_fail(CMD, &d, "API v1 firmware reports no status for memory reads");
	bool status2 = info.flags & (1u << STLINK_DIAG_F_HAS_GETLASTRWSTATUS2);

	static uint8_t data[STLINK_DIAG_ERRRATE_BLOCK_BYTES];
	struct errrate_count c = { .stopped = "done" };
	const char *fail = NULL;
	unsigned int wait_retries = 0;
	while (c.words_ok < a.words) {
		if (c.errors >= a.max_errors) {
			c.stopped = "max_errors";
			break;
		}
		if (c.trips + 2 > a.max_trips) {
			c.stopped = "max_trips";
			break;
		}
		uint32_t n = stlink_diag_errrate_block_words(a.addr, a.words - c.words_ok);
		uint8_t req[12] = { STLINK_DIAG_DEBUG_COMMAND, STLINK_DIAG_READMEM_32BIT };
		h_u32_to_le(req + 2, a.addr);
		h_u16_to_le(req + 6, 4 * n);
		/* req[8]: AP 0; req[9..11]: CSW 0, the firmware's default (OpenOCD's hla driver sends the same) */
		memset(data, 0, sizeof(data));
		c.trips++;
		if (stlink_diag_session_xfer_in(s, req, sizeof(req), data, 4 * n) != ERROR_OK) {
			fail = "transport failure: READMEM_32BIT not answered";
			c.stopped = "transport";
			break;
		}
		const uint8_t sreq[] = { STLINK_DIAG_DEBUG_COMMAND,
			status2 ? STLINK_DIAG_GETLASTRWSTATUS2 : STLINK_DIAG_GETLASTRWSTATUS };
		uint8_t sreply[STLINK_DIAG_RW_STATUS2_REPLY_SIZE] = { 0 };
		size_t slen = status2 ? STLINK_DIAG_RW_STATUS2_REPLY_SIZE : STLINK_DIAG_RW_STATUS_REPLY_SIZE;
		c.trips++;
		if (stlink_diag_session_xfer_in(s, sreq, sizeof(sreq), sreply, slen) != ERROR_OK) {
			fail = "transport failure: GETLASTRWSTATUS not answered";
			c.stopped = "transport";
			break;
		}
		struct stlink_diag_errrate_block b;
		if (stlink_diag_errrate_block_decode(a.addr, n, sreply, slen, &b) != 0) {
			fail = "GETLASTRWSTATUS reply too short";
			c.stopped = "malformed";
			break;
		}
		s->last_status = b.status;
		if (b.kind == STLINK_DIAG_ERRRATE_MALFORMED) {
			c.per_status[b.status]++;
			fail = "GETLASTRWSTATUS answered a status no ST-LINK firmware sends: the probe's replies are not trusted";
			c.stopped = "malformed";
			break;
		}
		c.words_ok += b.words_ok;
		c.transfers += b.words_ok;
		c.data_errors += stlink_diag_errrate_cidr_mismatches(a.addr, b.words_ok, data);
		if (b.kind == STLINK_DIAG_ERRRATE_OK) {
			c.blocks++;
			wait_retries = 0;
			continue;
		}
		c.per_status[b.status]++;
		if (b.kind == STLINK_DIAG_ERRRATE_WAIT) {
			/* the target is busy: read the rest again after 1, 2, 4 ms, as OpenOCD's
			 * memory reads do (stlink_usb_read_ap_mem()); a stopped clock stays busy */
			c.waits++;
			s->wait_retries++;
			s->last_wait_status = b.status;
			if (wait_retries == ERRRATE_WAIT_RETRIES || c.waits > ERRRATE_WAITS_MAX) {
				c.blocks++;
				c.stopped = "stalled";
				break;
			}
			alive_sleep(1u << wait_retries++);
			continue;
		}
		c.blocks++;
		wait_retries = 0;
		if (b.status == STLINK_DIAG_SWD_AP_FAULT || b.status == STLINK_DIAG_SWD_DP_FAULT) {
			/* a FAULT the target gave (a sticky flag) is not a wire error: leave
			 * the flag for the debug layer to see */
			int sticky = sticky_set(s, &info, &c, a.max_trips);
			if (sticky == 1) {
				c.target_faults++;
				c.stopped = "sticky_error";
				break;
			}
		}
		c.errors++;
		c.transfers++;
		if (!b.addr_in_block)
			c.addr_unknown++;
		if (s->own && !reconnect(s, &c, a.max_trips)) {
			c.stopped = "link_lost";
			break;
		}
	}
	/* the AP's TAR moved behind the dap-direct driver's back */
	stlink_diag_session_invalidate_dap_cache(s);

	put_counts(&d, &a, &c);
	if (fail) {
		LOG_DEBUG("stlink_diag: error_rate: %s", fail);
		return stlink_diag_dict_fail(CMD, &d, fail);
	}
	stlink_diag_dict_int(&d, "ok", 1);
	return stlink_diag_dict_done(CMD, &d);
}

const struct command_registration stlink_diag_cmd_errrate_handlers[] = {
	{ .name = "error_rate", .handler = handle_stlink_probe_error_rate, .mode = COMMAND_ANY,
	  .usage = "[-words N] [-addr ADDRESS] [-max_trips N] [-max_errors N]",
	  .help = "transfer error rate at the clock set now: block reads of the ROM table (1024 words, "
		"12 round trips, 3 errors at most by default)" },
	COMMAND_REGISTRATION_DONE
};
