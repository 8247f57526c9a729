// SPDX-License-Identifier: GPL-2.0-or-later
#include "sim_probe.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_log.h"
#include "stlink_const.h"

/* not named by OpenOCD 0.12.0, known from pyOCD's constants */
#define STLINK_ALIGNMENT_ERROR	0x0A

/* V2 SWD/JTAG clock divisors (reference section 4.2) */
static const struct {
	uint16_t divisor;
	uint32_t khz;
} swd_divisors[] = {
	{ 0, 4000 }, { 1, 1800 }, { 2, 1200 }, { 3, 950 }, { 7, 480 }, { 15, 240 },
	{ 31, 125 }, { 40, 100 }, { 79, 50 }, { 158, 25 }, { 265, 15 }, { 798, 5 },
}, jtag_divisors[] = {
	{ 4, 9000 }, { 8, 4500 }, { 16, 2250 }, { 32, 1125 }, { 64, 562 }, { 128, 281 }, { 256, 140 },
};

static uint16_t le16(const uint8_t *b)
{
	return b[0] | b[1] << 8;
}

static uint32_t le32(const uint8_t *b)
{
	return b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
}

static void put_le(uint8_t *in, size_t in_len, size_t off, uint32_t v, unsigned int n)
{
	for (unsigned int i = 0; i < n && off + i < in_len; i++)
		in[off + i] = v >> (8 * i);
}

/* "status + padding" replies: status byte first, rest zero */
static int reply_status(uint8_t *in, size_t in_len, uint8_t status)
{
	if (in_len)
		in[0] = status;
	return status;
}

void sim_probe_config_defaults(struct sim_probe_config *cfg)
{
	static const uint32_t v3_swd[] = { 24000, 8000, 3300, 1000, 200, 50, 5 };
	static const uint32_t v3_jtag[] = { 21333, 16000, 12000, 8000, 6000, 4000, 3000, 2000, 1000, 500 };

	memset(cfg, 0, sizeof(*cfg));
	cfg->vid = 0x0483;
	cfg->pid = 0x374B;
	cfg->hw = 2;
	cfg->jtag = 37;
	cfg->msd = 26;
	strcpy(cfg->serial, "066DFF535254887767184434");
	cfg->mode_at_start = STLINK_DEV_MASS_MODE;
	cfg->vref_adc = 1600;
	cfg->connect_fail_status = STLINK_JTAG_GET_IDCODE_ERROR;
	memcpy(cfg->swd_freqs, v3_swd, sizeof(v3_swd));
	cfg->n_swd_freqs = 7;
	memcpy(cfg->jtag_freqs, v3_jtag, sizeof(v3_jtag));
	cfg->n_jtag_freqs = 10;
}

int sim_probe_parse_firmware(struct sim_probe_config *cfg, const char *s)
{
	unsigned int hw;
	char *end;

	if (s[0] != 'V' || !isdigit((unsigned char)s[1]))
		return -1;
	hw = strtoul(s + 1, &end, 10);
	if (hw < 2 || hw > 3)
		return -1;
	cfg->hw = hw;
	cfg->jtag = cfg->swim = cfg->msd = cfg->bridge = 0;
	while (*end) {
		char field = *end;
		unsigned long v;

		if (!isdigit((unsigned char)end[1]))
			return -1;
		v = strtoul(end + 1, &end, 10);
		if (v > 63)
			return -1;	/* 6-bit fields in the V2 GET_VERSION encoding */
		switch (field) {
		case 'J': cfg->jtag = v; break;
		case 'S': cfg->swim = v; break;
		case 'M': cfg->msd = v; break;
		case 'B': cfg->bridge = v; break;
		default: return -1;
		}
	}
	return 0;
}

void sim_probe_init(struct sim_probe *p, const struct sim_probe_config *cfg, struct sim_target *t,
		struct sim_faults *faults, unsigned int index)
{
	memset(p, 0, sizeof(*p));
	p->cfg = *cfg;
	p->target = t;
	p->faults = faults;
	faults->target = t;
	p->index = index;
	p->mode = cfg->mode_at_start;
	p->swd_khz = 1800;
	p->jtag_khz = 1125;
	p->last_rw_status = STLINK_DEBUG_ERR_OK;
}

void sim_probe_host_closed(struct sim_probe *p)
{
	p->misc_items = 0;
	p->trace_running = false;
}

static bool is_v2_1_pid(uint16_t pid)
{
	return pid == 0x374B || pid == 0x3752;
}

static uint8_t ack_status(enum sim_ack ack, enum sim_access_kind kind)
{
	switch (ack) {
	case SIM_ACK_OK:
		return STLINK_DEBUG_ERR_OK;
	case SIM_ACK_WAIT:
		return kind == SIM_ACCESS_DP ? STLINK_SWD_DP_WAIT : STLINK_SWD_AP_WAIT;
	case SIM_ACK_FAULT:
		return kind == SIM_ACCESS_DP ? STLINK_SWD_DP_FAULT : STLINK_SWD_AP_FAULT;
	case SIM_ACK_NONE:
	default:
		/* no ACK at all looks like a protocol error at the DP */
		return STLINK_SWD_DP_ERROR;
	}
}

/*
 * Gate for every command that talks to the target over SWD: the link must be up,
 * then faults get their say. Returns the status to answer (0x80 = go ahead).
 */
static uint8_t target_access_n(struct sim_probe *p, enum sim_access_kind kind, bool retryable, unsigned int n,
		bool read, unsigned int *done)
{
	struct sim_fault_event ev = {
		.hook = SIM_HOOK_ACCESS,
		.kind = kind,
		.retryable = retryable,
		.swd_khz = p->jtag_transport ? p->jtag_khz : p->swd_khz,
		.status = STLINK_DEBUG_ERR_OK,
	};

	if (done)
		*done = 0;
	if (!p->connected)
		return STLINK_SWD_DP_ERROR;
	if (p->target->cfg.phys.enabled) {
		/* physical model: every transfer of the command meets the wire and the target's state;
		 * a block stops at its first failed transfer */
		uint8_t st = sim_phys_link(p->target, kind == SIM_ACCESS_DP, n ? n : 1, read, ev.swd_khz, false, 0,
				done);

		if (st != STLINK_DEBUG_ERR_OK)
			return st;
		if (done)
			*done = 0;
	} else if (!p->target->cfg.powered) {
		return STLINK_SWD_DP_ERROR;
	}
	/* a memory block's words each meet the link faults, which stop it at the failed one (W5) */
	if (done)
		ev.transfers = n;
	sim_faults_dispatch(p->faults, &ev);
	if (done)
		*done = ev.status == STLINK_DEBUG_ERR_OK ? n : ev.done;
	return ev.status;
}

static uint8_t target_access(struct sim_probe *p, enum sim_access_kind kind, bool retryable)
{
	return target_access_n(p, kind, retryable, 1, true, NULL);
}

/* status of a memory access that faulted at addr: the physical model may say otherwise (RDP option) */
static uint8_t mem_status(struct sim_probe *p, enum sim_ack ack, uint32_t addr)
{
	uint8_t st = ack_status(ack, SIM_ACCESS_AP);

	if (st == STLINK_SWD_AP_FAULT && p->target->cfg.phys.enabled) {
		uint8_t alt = sim_phys_fault_status(p->target, addr);

		if (alt)
			st = alt;
	}
	return st;
}

/* ---- top-level commands ---- */

static int cmd_get_version(struct sim_probe *p, uint8_t *in, size_t in_len)
{
	const struct sim_probe_config *c = &p->cfg;
	uint16_t v;

	if (c->hw == 3)
		v = 3 << 12;	/* x = y = 0 tells the host to ask GET_VERSION_EX */
	else
		v = c->hw << 12 | (c->jtag & 0x3F) << 6 | ((is_v2_1_pid(c->pid) ? c->msd : c->swim) & 0x3F);
	if (in_len >= 6) {
		in[0] = v >> 8;		/* big-endian, unlike everything else */
		in[1] = v;
		put_le(in, in_len, 2, c->vid, 2);
		put_le(in, in_len, 4, c->pid, 2);
	}
	return -1;
}

static int cmd_get_version_ex(struct sim_probe *p, uint8_t *in, size_t in_len)
{
	const struct sim_probe_config *c = &p->cfg;

	if (c->hw < 3)
		return reply_status(in, in_len, STLINK_UNKNOWN_COMMAND);
	if (in_len >= 12) {
		in[0] = 3;
		in[1] = c->swim;
		in[2] = c->jtag;
		in[3] = c->msd;
		in[4] = c->bridge;
		put_le(in, in_len, 8, c->vid, 2);
		put_le(in, in_len, 10, c->pid, 2);
	}
	return -1;
}

static int cmd_voltage(struct sim_probe *p, uint8_t *in, size_t in_len)
{
	struct sim_fault_event ev = { .hook = SIM_HOOK_VOLTAGE, .status = STLINK_DEBUG_ERR_OK };
	uint32_t a0 = p->cfg.vref_adc, a1;

	ev.voltage = p->target->cfg.phys.enabled ? sim_phys_voltage(p->target) : p->target->cfg.voltage;
	sim_faults_dispatch(p->faults, &ev);
	if (ev.voltage < 0)
		ev.voltage = 0;
	/* V = 2 * a1 * 1.2 / a0, so a1 = V * a0 / 2.4 */
	a1 = (uint32_t)lround(ev.voltage * a0 / 2.4);
	put_le(in, in_len, 0, a0, 4);
	put_le(in, in_len, 4, a1, 4);
	return -1;
}

/* ---- debug commands ---- */

static int cmd_enter(struct sim_probe *p, const uint8_t *cmd, uint8_t *in, size_t in_len)
{
	struct sim_fault_event ev = { .hook = SIM_HOOK_ENTER, .status = STLINK_DEBUG_ERR_OK };

	if (cmd[2] != STLINK_DEBUG_ENTER_SWD && cmd[2] != STLINK_DEBUG_ENTER_JTAG_NO_RESET)
		return reply_status(in, in_len, STLINK_UNKNOWN_COMMAND);
	p->jtag_transport = cmd[2] == STLINK_DEBUG_ENTER_JTAG_NO_RESET;
	ev.swd_khz = p->jtag_transport ? p->jtag_khz : p->swd_khz;
	if (p->target->cfg.phys.enabled)
		ev.status = sim_phys_link(p->target, true, 1, true, ev.swd_khz, true, p->cfg.connect_fail_status,
				NULL);
	else if (!p->target->cfg.powered)
		ev.status = p->cfg.connect_fail_status;
	sim_faults_dispatch(p->faults, &ev);
	p->mode = STLINK_DEV_DEBUG_MODE;
	if (ev.status != STLINK_DEBUG_ERR_OK) {
		p->connected = false;
		return reply_status(in, in_len, ev.status);
	}
	/* line reset + IDCODE read, then the firmware powers up the debug domain for its own accesses */
	sim_target_line_reset(p->target);
	p->target->dp_ctrl |= (1u << 30) | (1u << 28);
	p->connected = true;
	return reply_status(in, in_len, STLINK_DEBUG_ERR_OK);
}

static int cmd_read_idcodes(struct sim_probe *p, uint8_t *in, size_t in_len)
{
	struct sim_fault_event ev = { .hook = SIM_HOOK_IDCODE, .status = STLINK_DEBUG_ERR_OK };
	const struct sim_target_config *tc = &p->target->cfg;

	ev.swd_khz = p->jtag_transport ? p->jtag_khz : p->swd_khz;
	if (!p->connected)
		ev.status = p->cfg.connect_fail_status;
	else if (tc->phys.enabled)
		ev.status = sim_phys_link(p->target, true, 1, true, ev.swd_khz, true, p->cfg.connect_fail_status,
				NULL);
	else if (!tc->powered)
		ev.status = p->cfg.connect_fail_status;
	sim_faults_dispatch(p->faults, &ev);
	if (ev.status == STLINK_DEBUG_ERR_OK)
		put_le(in, in_len, 4, p->jtag_transport ? tc->jtag_idcode : tc->dpidr, 4);
	return reply_status(in, in_len, ev.status);
}

static int cmd_set_freq(struct sim_probe *p, const uint8_t *cmd, bool jtag, uint8_t *in, size_t in_len)
{
	uint16_t div = le16(cmd + 2);

	if (p->cfg.hw >= 3 || (!jtag && p->cfg.jtag < 22) || (jtag && p->cfg.jtag < 24))
		return reply_status(in, in_len, STLINK_UNKNOWN_COMMAND);
	if (jtag) {
		for (size_t i = 0; i < sizeof(jtag_divisors) / sizeof(jtag_divisors[0]); i++)
			if (jtag_divisors[i].divisor == div)
				p->jtag_khz = jtag_divisors[i].khz;
	} else {
		for (size_t i = 0; i < sizeof(swd_divisors) / sizeof(swd_divisors[0]); i++)
			if (swd_divisors[i].divisor == div)
				p->swd_khz = swd_divisors[i].khz;
	}
	return reply_status(in, in_len, STLINK_DEBUG_ERR_OK);
}

static int cmd_get_com_freq(struct sim_probe *p, const uint8_t *cmd, uint8_t *in, size_t in_len)
{
	bool jtag = cmd[2] == 1;
	const uint32_t *list = jtag ? p->cfg.jtag_freqs : p->cfg.swd_freqs;
	unsigned int n = jtag ? p->cfg.n_jtag_freqs : p->cfg.n_swd_freqs;

	if (p->cfg.hw < 3)
		return reply_status(in, in_len, STLINK_UNKNOWN_COMMAND);
	put_le(in, in_len, 4, jtag ? p->jtag_khz : p->swd_khz, 4);
	if (in_len > 8)
		in[8] = n;
	for (unsigned int i = 0; i < n; i++)
		put_le(in, in_len, 12 + 4 * i, list[i], 4);
	return reply_status(in, in_len, STLINK_DEBUG_ERR_OK);
}

static int cmd_set_com_freq(struct sim_probe *p, const uint8_t *cmd, uint8_t *in, size_t in_len)
{
	bool jtag = cmd[2] == 1;
	const uint32_t *list = jtag ? p->cfg.jtag_freqs : p->cfg.swd_freqs;
	unsigned int n = jtag ? p->cfg.n_jtag_freqs : p->cfg.n_swd_freqs;
	uint32_t want = le32(cmd + 4), got = n ? list[n - 1] : want;

	if (p->cfg.hw < 3)
		return reply_status(in, in_len, STLINK_UNKNOWN_COMMAND);
	/* the fastest listed clock not above the request, else the slowest */
	for (unsigned int i = 0; i < n; i++) {
		if (list[i] <= want) {
			got = list[i];
			break;
		}
	}
	if (jtag)
		p->jtag_khz = got;
	else
		p->swd_khz = got;
	put_le(in, in_len, 4, got, 4);
	return reply_status(in, in_len, STLINK_DEBUG_ERR_OK);
}

static int cmd_read_debugreg(struct sim_probe *p, const uint8_t *cmd, uint8_t *in, size_t in_len)
{
	uint8_t st = target_access(p, SIM_ACCESS_AP, true);
	uint32_t v = 0;

	if (st == STLINK_DEBUG_ERR_OK)
		st = mem_status(p, sim_target_mem_read(p->target, le32(cmd + 2) & ~3u, 4, &v), le32(cmd + 2));
	put_le(in, in_len, 4, v, 4);
	return reply_status(in, in_len, st);
}

static int cmd_write_debugreg(struct sim_probe *p, const uint8_t *cmd, uint8_t *in, size_t in_len)
{
	uint8_t st = target_access(p, SIM_ACCESS_AP, true);

	if (st == STLINK_DEBUG_ERR_OK)
		st = ack_status(sim_target_mem_write(p->target, le32(cmd + 2) & ~3u, 4, le32(cmd + 6)), SIM_ACCESS_AP);
	return reply_status(in, in_len, st);
}

static int cmd_readreg(struct sim_probe *p, const uint8_t *cmd, uint8_t *in, size_t in_len)
{
	uint8_t st = target_access(p, SIM_ACCESS_AP, true);

	if (st == STLINK_DEBUG_ERR_OK)
		put_le(in, in_len, 4, sim_target_reg_read(p->target, cmd[2]), 4);
	return reply_status(in, in_len, st);
}

static int cmd_writereg(struct sim_probe *p, const uint8_t *cmd, uint8_t *in, size_t in_len)
{
	uint8_t st = target_access(p, SIM_ACCESS_AP, true);

	if (st == STLINK_DEBUG_ERR_OK)
		sim_target_reg_write(p->target, cmd[2], le32(cmd + 3));
	return reply_status(in, in_len, st);
}

static int cmd_readallregs(struct sim_probe *p, uint8_t *in, size_t in_len)
{
	uint8_t st = target_access(p, SIM_ACCESS_AP, false);

	if (st == STLINK_DEBUG_ERR_OK) {
		for (unsigned int i = 0; i < 19; i++)
			put_le(in, in_len, 4 + 4 * i, sim_target_reg_read(p->target, i), 4);
		put_le(in, in_len, 4 + 4 * 19, sim_target_reg_read(p->target, 0x14), 4);
	}
	return reply_status(in, in_len, st);
}

static int cmd_resetsys(struct sim_probe *p, uint8_t *in, size_t in_len)
{
	uint8_t st = target_access(p, SIM_ACCESS_AP, true);
	struct sim_fault_event ev = { .hook = SIM_HOOK_RESET, .status = STLINK_DEBUG_ERR_OK };

	if (st == STLINK_DEBUG_ERR_OK) {
		sim_faults_dispatch(p->faults, &ev);
		if (!ev.suppress)
			sim_target_reset(p->target, false);
	}
	return reply_status(in, in_len, st);
}

static int cmd_drive_nrst(struct sim_probe *p, const uint8_t *cmd, uint8_t *in, size_t in_len)
{
	struct sim_fault_event ev = { .hook = SIM_HOOK_NRST, .status = STLINK_DEBUG_ERR_OK };

	if (cmd[2] > 2)
		return reply_status(in, in_len, STLINK_UNKNOWN_COMMAND);
	ev.nrst_level = cmd[2];
	if (p->target->cfg.phys.enabled && !sim_phys_nrst_wired(p->target))
		ev.suppress = true;	/* wiring.nrst false: the pin goes nowhere */
	sim_faults_dispatch(p->faults, &ev);
	if (ev.suppress)
		return reply_status(in, in_len, ev.status);
	/* 0 = drive low (assert), 1 = release, 2 = pulse */
	if (cmd[2] == 0)
		sim_target_set_nrst(p->target, true);
	else if (cmd[2] == 1)
		sim_target_set_nrst(p->target, false);
	else {
		sim_target_set_nrst(p->target, true);
		sim_target_set_nrst(p->target, false);
	}
	return reply_status(in, in_len, ev.status);
}

static int cmd_mem(struct sim_probe *p, const uint8_t *cmd, const uint8_t *out, size_t out_len,
		uint8_t *in, size_t in_len)
{
	uint32_t addr = le32(cmd + 2), len = le16(cmd + 6);
	unsigned int ap = cmd[8];
	uint32_t csw = cmd[9] | cmd[10] << 8 | cmd[11] << 16;
	unsigned int size;
	bool read, inc = true;
	uint32_t max_len = STLINK_DATA_SIZE;
	uint8_t st = STLINK_DEBUG_ERR_OK, link = STLINK_DEBUG_ERR_OK;
	unsigned int done = 0;

	switch (cmd[1]) {
	case STLINK_DEBUG_READMEM_8BIT: read = true; size = 1; break;
	case STLINK_DEBUG_WRITEMEM_8BIT: read = false; size = 1; break;
	case STLINK_DEBUG_APIV2_READMEM_16BIT: read = true; size = 2; break;
	case STLINK_DEBUG_APIV2_WRITEMEM_16BIT: read = false; size = 2; break;
	case STLINK_DEBUG_READMEM_32BIT: read = true; size = 4; break;
	case STLINK_DEBUG_WRITEMEM_32BIT: read = false; size = 4; break;
	case STLINK_DEBUG_READMEM_32BIT_NO_ADDR_INC: read = true; size = 4; inc = false; break;
	default: read = false; size = 4; inc = false; break;	/* WRITEMEM_32BIT_NO_ADDR_INC */
	}
	if (size == 1)
		max_len = (p->cfg.hw >= 3 && p->cfg.jtag >= 6) ? 512 : 64;

	p->last_rw_fault_addr = 0;
	if (ap >= STLINK_MAX_AP)
		st = STLINK_BAD_AP_ERROR;
	else if (addr % size || len % size || len > max_len)
		st = STLINK_ALIGNMENT_ERROR;
	else
		/*
		 * OpenOCD 0.12.0 retries memory commands on WAIT only in hla mode, which always
		 * sends AP 0 with CSW 0; dap-direct sends its csw_default and gets no retry.
		 * The transfers before a failed one went through (done of them): their data
		 * is in the reply, and GETLASTRWSTATUS2 names the failed one's address.
		 */
		link = target_access_n(p, SIM_ACCESS_AP, ap == 0 && csw == 0, len / size, read, &done);

	for (uint32_t off = 0; st == STLINK_DEBUG_ERR_OK && off < len; off += size) {
		uint32_t a = inc ? addr + off : addr;
		enum sim_ack ack;
		uint32_t v = 0;

		if (off / size >= done) {
			st = link;
			p->last_rw_fault_addr = a;
			break;
		}
		if (ap != 0) {
			ack = SIM_ACK_FAULT;	/* only AP0 is a MEM-AP on this target */
		} else if (read) {
			ack = sim_target_mem_read(p->target, a, size, &v);
			put_le(in, in_len, off, v, size);
		} else {
			for (unsigned int i = 0; i < size && off + i < out_len; i++)
				v |= (uint32_t)out[off + i] << (8 * i);
			ack = sim_target_mem_write(p->target, a, size, v);
		}
		st = mem_status(p, ack, a);
		if (st != STLINK_DEBUG_ERR_OK)
			p->last_rw_fault_addr = a;
	}
	if (len == 0 && st == STLINK_DEBUG_ERR_OK)
		st = link;
	p->last_rw_status = st;
	return -1;	/* memory data phases carry no status: GETLASTRWSTATUS(2) follows */
}

static int cmd_last_rw_status(struct sim_probe *p, bool v2, uint8_t *in, size_t in_len)
{
	uint8_t st = p->last_rw_status;

	if (v2)
		put_le(in, in_len, 4, p->last_rw_fault_addr, 4);
	/* reading the status consumes it, like the firmware's "last" semantics */
	p->last_rw_status = STLINK_DEBUG_ERR_OK;
	return reply_status(in, in_len, st);
}

static int cmd_read_dap_reg(struct sim_probe *p, const uint8_t *cmd, uint8_t *in, size_t in_len)
{
	uint16_t port = le16(cmd + 2), reg = le16(cmd + 4);
	enum sim_access_kind kind = port == STLINK_DEBUG_PORT_ACCESS ? SIM_ACCESS_DP : SIM_ACCESS_AP;
	uint32_t v = 0;
	uint8_t st;

	if (kind == SIM_ACCESS_AP && port >= STLINK_MAX_AP)
		return reply_status(in, in_len, STLINK_BAD_AP_ERROR);
	st = target_access(p, kind, false);
	if (st == STLINK_DEBUG_ERR_OK) {
		enum sim_ack ack = kind == SIM_ACCESS_DP ? sim_target_dp_read(p->target, reg, &v)
			: sim_target_ap_read(p->target, port, reg, &v);

		st = ack_status(ack, kind);
	}
	put_le(in, in_len, 4, v, 4);
	return reply_status(in, in_len, st);
}

static int cmd_write_dap_reg(struct sim_probe *p, const uint8_t *cmd, uint8_t *in, size_t in_len)
{
	uint16_t port = le16(cmd + 2), reg = le16(cmd + 4);
	uint32_t v = le32(cmd + 6);
	enum sim_access_kind kind = port == STLINK_DEBUG_PORT_ACCESS ? SIM_ACCESS_DP : SIM_ACCESS_AP;
	uint8_t st;

	if (kind == SIM_ACCESS_AP && port >= STLINK_MAX_AP)
		return reply_status(in, in_len, STLINK_BAD_AP_ERROR);
	st = target_access_n(p, kind, false, 1, false, NULL);
	if (st == STLINK_DEBUG_ERR_OK) {
		enum sim_ack ack = kind == SIM_ACCESS_DP ? sim_target_dp_write(p->target, reg, v)
			: sim_target_ap_write(p->target, port, reg, v);

		st = ack_status(ack, kind);
	}
	return reply_status(in, in_len, st);
}

static int cmd_ap_open_close(struct sim_probe *p, const uint8_t *cmd, bool open, uint8_t *in, size_t in_len)
{
	unsigned int ap = cmd[2];

	if (ap >= STLINK_MAX_AP)
		return reply_status(in, in_len, STLINK_BAD_AP_ERROR);
	if (open) {
		uint8_t st = target_access(p, SIM_ACCESS_AP, false);

		if (st != STLINK_DEBUG_ERR_OK)
			return reply_status(in, in_len, st);
		p->ap_open |= 1u << ap;
	} else {
		p->ap_open &= ~(1u << ap);
	}
	return reply_status(in, in_len, STLINK_DEBUG_ERR_OK);
}

/* RW_MISC_OUT: a batch of AP-select / address / write / read items, results kept for RW_MISC_IN */
static int cmd_rw_misc_out(struct sim_probe *p, const uint8_t *cmd, const uint8_t *out, size_t out_len)
{
	uint32_t items = le32(cmd + 2);
	size_t ops_len = (items + 3) & ~3u;
	unsigned int ap = 0;
	uint32_t addr = 0;
	uint8_t st;

	p->misc_items = 0;
	if (items > SIM_RW_MISC_MAX_ITEMS || out_len < ops_len + 4 * (size_t)items) {
		sim_warn("RW_MISC_OUT: %u items do not fit %zu bytes of data", items, out_len);
		return -1;
	}
	st = target_access_n(p, SIM_ACCESS_AP, false, items, true, NULL);
	for (uint32_t i = 0; i < items; i++) {
		uint32_t operand = le32(out + ops_len + 4 * i);
		enum sim_ack ack = SIM_ACK_OK;
		uint32_t v = 0;

		switch (out[i]) {
		case 1:		/* ADDRESS */
			addr = operand;
			break;
		case 2:		/* WRITE */
			if (st == STLINK_DEBUG_ERR_OK)
				ack = ap ? SIM_ACK_FAULT : sim_target_mem_write(p->target, addr, 4, operand);
			break;
		case 3:		/* READ */
			if (st == STLINK_DEBUG_ERR_OK)
				ack = ap ? SIM_ACK_FAULT : sim_target_mem_read(p->target, operand, 4, &v);
			break;
		case 5:		/* APNUM */
			ap = operand;
			break;
		default:
			ack = SIM_ACK_NONE;
			break;
		}
		p->misc_value[i] = v;
		p->misc_status[i] = st != STLINK_DEBUG_ERR_OK ? st : ack_status(ack, SIM_ACCESS_AP);
	}
	p->misc_items = items;
	return -1;
}

static int cmd_rw_misc_in(struct sim_probe *p, uint8_t *in, size_t in_len)
{
	unsigned int n = p->misc_items;

	for (unsigned int i = 0; i < n; i++) {
		put_le(in, in_len, 4 * i, p->misc_value[i], 4);
		put_le(in, in_len, 4 * (n + i), p->misc_status[i], 4);
	}
	p->misc_items = 0;
	return -1;
}

static int debug_command(struct sim_probe *p, const uint8_t *cmd, const uint8_t *out, size_t out_len,
		uint8_t *in, size_t in_len)
{
	switch (cmd[1]) {
	case STLINK_DEBUG_EXIT:
		p->mode = STLINK_DEV_MASS_MODE;
		p->connected = false;
		return -1;
	case STLINK_DEBUG_APIV2_ENTER:
		return cmd_enter(p, cmd, in, in_len);
	case STLINK_DEBUG_APIV2_READ_IDCODES:
		return cmd_read_idcodes(p, in, in_len);
	case STLINK_DEBUG_APIV2_SWD_SET_FREQ:
		return cmd_set_freq(p, cmd, false, in, in_len);
	case STLINK_DEBUG_APIV2_JTAG_SET_FREQ:
		return cmd_set_freq(p, cmd, true, in, in_len);
	case STLINK_DEBUG_APIV3_GET_COM_FREQ:
		return cmd_get_com_freq(p, cmd, in, in_len);
	case STLINK_DEBUG_APIV3_SET_COM_FREQ:
		return cmd_set_com_freq(p, cmd, in, in_len);
	case STLINK_DEBUG_APIV2_READDEBUGREG:
		return cmd_read_debugreg(p, cmd, in, in_len);
	case STLINK_DEBUG_APIV2_WRITEDEBUGREG:
		return cmd_write_debugreg(p, cmd, in, in_len);
	case STLINK_DEBUG_APIV2_READREG:
		return cmd_readreg(p, cmd, in, in_len);
	case STLINK_DEBUG_APIV2_WRITEREG:
		return cmd_writereg(p, cmd, in, in_len);
	case STLINK_DEBUG_APIV2_READALLREGS:
		return cmd_readallregs(p, in, in_len);
	case STLINK_DEBUG_APIV2_RESETSYS:
		return cmd_resetsys(p, in, in_len);
	case STLINK_DEBUG_APIV2_DRIVE_NRST:
		return cmd_drive_nrst(p, cmd, in, in_len);
	case STLINK_DEBUG_READMEM_8BIT:
	case STLINK_DEBUG_WRITEMEM_8BIT:
	case STLINK_DEBUG_APIV2_READMEM_16BIT:
	case STLINK_DEBUG_APIV2_WRITEMEM_16BIT:
	case STLINK_DEBUG_READMEM_32BIT:
	case STLINK_DEBUG_WRITEMEM_32BIT:
	case STLINK_DEBUG_READMEM_32BIT_NO_ADDR_INC:
	case STLINK_DEBUG_WRITEMEM_32BIT_NO_ADDR_INC:
		return cmd_mem(p, cmd, out, out_len, in, in_len);
	case STLINK_DEBUG_APIV2_GETLASTRWSTATUS2:
		return cmd_last_rw_status(p, true, in, in_len);
	case STLINK_DEBUG_APIV2_GETLASTRWSTATUS:
		return cmd_last_rw_status(p, false, in, in_len);
	case STLINK_DEBUG_APIV2_READ_DAP_REG:
		return cmd_read_dap_reg(p, cmd, in, in_len);
	case STLINK_DEBUG_APIV2_WRITE_DAP_REG:
		return cmd_write_dap_reg(p, cmd, in, in_len);
	case STLINK_DEBUG_APIV2_INIT_AP:
		return cmd_ap_open_close(p, cmd, true, in, in_len);
	case STLINK_DEBUG_APIV2_CLOSE_AP_DBG:
		return cmd_ap_open_close(p, cmd, false, in, in_len);
	case STLINK_DEBUG_APIV2_RW_MISC_OUT:
		return cmd_rw_misc_out(p, cmd, out, out_len);
	case STLINK_DEBUG_APIV2_RW_MISC_IN:
		return cmd_rw_misc_in(p, in, in_len);
	case STLINK_DEBUG_APIV2_START_TRACE_RX:
		p->trace_running = true;
		return reply_status(in, in_len, STLINK_DEBUG_ERR_OK);
	case STLINK_DEBUG_APIV2_STOP_TRACE_RX:
		p->trace_running = false;
		return reply_status(in, in_len, STLINK_DEBUG_ERR_OK);
	case STLINK_DEBUG_APIV2_GET_TRACE_NB:
		return -1;	/* u16 byte count, always 0: no SWO data is produced */
	default:
		return reply_status(in, in_len, STLINK_UNKNOWN_COMMAND);
	}
}

int sim_probe_command(struct sim_probe *p, const uint8_t cmd[16], const uint8_t *out, size_t out_len,
		uint8_t *in, size_t in_len)
{
	int st;

	if (in_len)
		memset(in, 0, in_len);
	if (p->target->cfg.phys.enabled)
		sim_phys_command(p->target, p->cfg.hw);	/* simulated time runs on to this command */
	switch (cmd[0]) {
	case STLINK_GET_VERSION:
		st = cmd_get_version(p, in, in_len);
		break;
	case STLINK_APIV3_GET_VERSION_EX:
		st = cmd_get_version_ex(p, in, in_len);
		break;
	case STLINK_GET_CURRENT_MODE:
		if (in_len)
			in[0] = p->mode;
		st = -1;
		break;
	case STLINK_GET_TARGET_VOLTAGE:
		st = cmd_voltage(p, in, in_len);
		break;
	case STLINK_DFU_COMMAND:
		if (cmd[1] == STLINK_DFU_EXIT) {
			p->mode = STLINK_DEV_MASS_MODE;
			st = -1;
		} else {
			st = reply_status(in, in_len, STLINK_UNKNOWN_COMMAND);
		}
		break;
	case STLINK_SWIM_COMMAND:
		if (cmd[1] == STLINK_SWIM_EXIT) {
			p->mode = STLINK_DEV_MASS_MODE;
			st = -1;
		} else {
			st = reply_status(in, in_len, STLINK_UNKNOWN_COMMAND);	/* no STM8 behind this probe */
		}
		break;
	case STLINK_DEBUG_COMMAND:
		st = debug_command(p, cmd, out, out_len, in, in_len);
		break;
	default:
		st = reply_status(in, in_len, STLINK_UNKNOWN_COMMAND);
		break;
	}
	sim_stats_count_usb(cmd);
	sim_log_usb(p->index, cmd, out, out_len, in, in_len, st);
	return st;
}
