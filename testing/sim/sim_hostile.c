// SPDX-License-Identifier: GPL-2.0-or-later
#include "sim_hostile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_log.h"
#include "stlink_const.h"

/* status codes no ST-LINK firmware sends (OpenOCD stlink_usb.c, stlink_usb_error_check, knows none of them) */
static const uint8_t impossible_status[] = { 0x00, 0x7f, 0xee, 0xff };

struct sim_hostile_kind {
	const char *name;
	const char *help;
	/* rewrite the reply; false when this command's reply is not one this kind touches */
	bool (*apply)(struct sim_hostile *h, const uint8_t *cmd, uint8_t *r, size_t len, uint32_t *tcp_status);
};

static void put32(uint8_t *b, size_t len, size_t at, uint32_t v)
{
	for (size_t i = 0; i < 4 && at + i < len; i++)
		b[at + i] = v >> (8 * i);
}

static bool is_debug_cmd(const uint8_t *cmd)
{
	return cmd[0] == STLINK_DEBUG_COMMAND;
}

static bool apply_random(struct sim_hostile *h, const uint8_t *cmd, uint8_t *r, size_t len, uint32_t *st)
{
	(void)cmd;
	(void)st;
	for (size_t i = 0; i < len; i++)
		r[i] = sim_prng_next(&h->prng) >> 56;
	return true;
}

static bool apply_fill(uint8_t *r, size_t len, uint8_t v)
{
	memset(r, v, len);
	return true;
}

static bool apply_zeros(struct sim_hostile *h, const uint8_t *cmd, uint8_t *r, size_t len, uint32_t *st)
{
	(void)h; (void)cmd; (void)st;
	return apply_fill(r, len, 0x00);
}

static bool apply_ones(struct sim_hostile *h, const uint8_t *cmd, uint8_t *r, size_t len, uint32_t *st)
{
	(void)h; (void)cmd; (void)st;
	return apply_fill(r, len, 0xff);
}

/* the probe filled only the first byte: what a short transfer leaves behind */
static bool apply_truncated(struct sim_hostile *h, const uint8_t *cmd, uint8_t *r, size_t len, uint32_t *st)
{
	(void)h; (void)cmd; (void)st;
	if (len < 2)
		return false;
	memset(r + 1, 0, len - 1);
	return true;
}

static bool apply_bad_status(struct sim_hostile *h, const uint8_t *cmd, uint8_t *r, size_t len, uint32_t *st)
{
	(void)st;
	if (!is_debug_cmd(cmd) || len < 2)
		return false;
	r[0] = impossible_status[sim_prng_next(&h->prng) % sizeof(impossible_status)];
	return true;
}

static bool apply_version0(struct sim_hostile *h, const uint8_t *cmd, uint8_t *r, size_t len, uint32_t *st)
{
	(void)h; (void)st;
	if (cmd[0] != STLINK_GET_VERSION && cmd[0] != STLINK_APIV3_GET_VERSION_EX)
		return false;
	memset(r, 0, len);
	return true;
}

static bool apply_voltage(struct sim_hostile *h, const uint8_t *cmd, uint8_t *r, size_t len, uint32_t *st)
{
	(void)h; (void)st;
	if (cmd[0] != STLINK_GET_TARGET_VOLTAGE)
		return false;
	put32(r, len, 0, 0);		/* a0 = 0: the formula divides by it */
	put32(r, len, 4, 0xffffffff);
	return true;
}

static bool apply_com_freq(struct sim_hostile *h, const uint8_t *cmd, uint8_t *r, size_t len, uint32_t *st)
{
	(void)st;
	if (!is_debug_cmd(cmd) || cmd[1] != STLINK_DEBUG_APIV3_GET_COM_FREQ)
		return false;
	r[0] = STLINK_DEBUG_ERR_OK;
	put32(r, len, 8, (sim_prng_next(&h->prng) & 1) ? 0xffffffff : 255);
	for (size_t at = 12; at + 4 <= len; at += 4)
		put32(r, len, at, 0xffffffff);
	return true;
}

static bool apply_idcode(struct sim_hostile *h, const uint8_t *cmd, uint8_t *r, size_t len, uint32_t *st)
{
	(void)st;
	if (!is_debug_cmd(cmd) || cmd[1] != STLINK_DEBUG_APIV2_READ_IDCODES)
		return false;
	r[0] = STLINK_DEBUG_ERR_OK;
	put32(r, len, 4, (sim_prng_next(&h->prng) & 1) ? 0xffffffff : 0);
	return true;
}

/* GETLASTRWSTATUS(2) after a memory command: an impossible status, an error naming an address no block
 * holds, or an error with only its status byte filled (what a short transfer leaves) */
static bool apply_rw_status(struct sim_hostile *h, const uint8_t *cmd, uint8_t *r, size_t len, uint32_t *st)
{
	(void)st;
	if (!is_debug_cmd(cmd) || (cmd[1] != STLINK_DEBUG_APIV2_GETLASTRWSTATUS2
			&& cmd[1] != STLINK_DEBUG_APIV2_GETLASTRWSTATUS) || len < 2)
		return false;
	switch ((sim_prng_next(&h->prng) >> 40) % 3) {
	case 0:
		r[0] = 0xee;
		break;
	case 1:
		r[0] = 0x13;	/* SWD_AP_PARITY_ERROR */
		put32(r, len, 4, 0xfffffffc);
		break;
	default:
		memset(r, 0, len);
		r[0] = STLINK_SWD_AP_ERROR;
		break;
	}
	return true;
}

static bool apply_tcp_status(struct sim_hostile *h, const uint8_t *cmd, uint8_t *r, size_t len, uint32_t *st)
{
	(void)h; (void)cmd; (void)r; (void)len;
	*st = 0xdead0bad;	/* no stlink-server status has this value */
	return true;
}

static const struct sim_hostile_kind kinds[] = {
	{ "random", "every reply payload is random bytes (seeded)", apply_random },
	{ "zeros", "every reply is all zeros (version 0, a0 = 0, status 0x00)", apply_zeros },
	{ "ones", "every reply is all 0xFF (status 0xFF, IDCODE 0xFFFFFFFF, huge counts)", apply_ones },
	{ "truncated", "only the first byte of each reply is filled, the rest is zero", apply_truncated },
	{ "bad-status", "debug command replies carry an impossible status byte (0x00, 0x7F, 0xEE, 0xFF)",
	  apply_bad_status },
	{ "version0", "GET_VERSION and GET_VERSION_EX answer all zeros", apply_version0 },
	{ "voltage-a0-zero", "GET_TARGET_VOLTAGE answers a0 = 0, a1 = 0xFFFFFFFF", apply_voltage },
	{ "com-freq-absurd", "GET_COM_FREQ answers OK with a count of 255 or 0xFFFFFFFF", apply_com_freq },
	{ "idcode-absurd", "READ_IDCODES answers OK with IDCODE 0 or 0xFFFFFFFF", apply_idcode },
	{ "tcp-status", "SEND_USB_CMD replies carry an unknown stlink-server status word", apply_tcp_status },
	{ "rw-status-bad", "GETLASTRWSTATUS(2) answers 0xEE, or an error at address 0xFFFFFFFC, or an error with a "
	  "zero tail", apply_rw_status },
};

void sim_hostile_list(char *buf, size_t size)
{
	size_t used = 0;

	if (size)
		buf[0] = '\0';
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]) && used < size; i++) {
		int n = snprintf(buf + used, size - used, "  %-16s %s\n", kinds[i].name, kinds[i].help);

		if (n < 0)
			break;
		used += (size_t)n;
	}
}

int sim_hostile_parse(struct sim_hostile *h, const char *spec, char *err, size_t err_size)
{
	char copy[256], *save = NULL, *tok;

	memset(h, 0, sizeof(*h));
	h->rate = 1.0;
	sim_prng_seed(&h->prng, 1);
	if (strlen(spec) >= sizeof(copy)) {
		snprintf(err, err_size, "--hostile: specification too long");
		return -1;
	}
	strcpy(copy, spec);
	tok = strtok_r(copy, ",", &save);
	for (size_t i = 0; tok && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(tok, kinds[i].name))
			h->kind = &kinds[i];
	if (!h->kind) {
		snprintf(err, err_size, "--hostile: unknown kind '%s' (see --help)", tok ? tok : "");
		return -1;
	}
	while ((tok = strtok_r(NULL, ",", &save))) {
		char *eq = strchr(tok, '='), *end;
		double v;

		if (!eq) {
			snprintf(err, err_size, "--hostile: '%s' is not NAME=VALUE", tok);
			return -1;
		}
		*eq = '\0';
		v = strtod(eq + 1, &end);
		if (!eq[1] || *end || v < 0) {
			snprintf(err, err_size, "--hostile: %s: '%s' is not a number >= 0", tok, eq + 1);
			return -1;
		}
		if (!strcmp(tok, "seed") && v < 9007199254740992.0) {
			sim_prng_seed(&h->prng, (uint64_t)v);
		} else if (!strcmp(tok, "rate") && v <= 1) {
			h->rate = v;
		} else if (!strcmp(tok, "after") && v < 1e9) {
			h->after = (unsigned long)v;
		} else {
			snprintf(err, err_size, "--hostile: unknown or out-of-range parameter '%s' (seed, rate 0..1, after)",
				tok);
			return -1;
		}
	}
	return 0;
}

void sim_hostile_reply(struct sim_hostile *h, const uint8_t cmd[16], uint8_t *reply, size_t len,
		uint32_t *tcp_status)
{
	if (!h || !h->kind)
		return;
	/* write commands have no reply payload: only the stlink-server status word can be hostile */
	if (!len && h->kind->apply != apply_tcp_status)
		return;
	if (h->seen++ < h->after)
		return;
	if (h->rate < 1.0 && sim_prng_unit(&h->prng) >= h->rate)
		return;
	if (h->kind->apply(h, cmd, reply, len, tcp_status)) {
		h->rewritten++;
		sim_log("HOSTILE %s #%lu cmd=%02x %02x len=%zu", h->kind->name, h->rewritten, cmd[0], cmd[1], len);
	}
}
