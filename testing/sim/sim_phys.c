// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Physical model (see sim_phys.h). Each fact below carries the tag of its row in
 * testing/sim/SILICON.md, where the public source (ST RM/DS/AN section, ARM
 * document, HAL header, public issue) is given.
 */
#include "sim_phys.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include "sim_log.h"
#include "sim_target.h"
#include "stlink_const.h"

#define ST_AP_PARITY	0x13	/* SILICON.md W3: SWD_AP_PARITY_ERROR */
#define ST_DP_PARITY	0x17	/* SWD_DP_PARITY_ERROR */
#define ST_AP_ERROR	0x12	/* SWD_AP_ERROR */

enum pwr_kind { PWR_F4, PWR_L4, PWR_H7 };
enum syscfg_kind { SYSCFG_NONE, SYSCFG_MEMRMP2, SYSCFG_MEMRMP3 };

struct sim_family {
	const char *model;
	bool v6m;
	double hsi_hz, lsi_hz;			/* T1, T2 */
	double vdd_min, vdd_max;		/* S1 */
	double pdr_fall, pdr_rise, tempo_us;	/* S2 */
	uint32_t dbg_cr, dbg_cr_mask;		/* L1 */
	uint32_t dbg_fz, dbg_fz_iwdg;		/* I3: freeze register and IWDG bit */
	bool has_dbg_sleep;
	bool sleep_stops_hclk;			/* L3 (documented set) */
	uint32_t rcc_csr, rmvf, f_pin, f_por, f_bor, f_sft, f_iwdg;	/* R1 */
	enum pwr_kind pwr;			/* P1 */
	uint32_t gpioa, moder_reset;		/* G1; gpioa 0 = F1 AFIO */
	uint32_t iwdg;				/* I1 */
	enum syscfg_kind syscfg;		/* B3 */
	uint32_t syscfg_addr;
	bool empty_check;			/* B2 */
	bool idcode_reset_q;			/* D4: DBGMCU_IDCODE under reset uncertain (F7) */
	bool rdp1_sram_q;			/* X2: main SRAM at RDP1 uncertain on F1 and G0 */
};

#define B(n) (1u << (n))

static const struct sim_family families[] = {
	{ .model = "f0", .v6m = true, .hsi_hz = 8e6, .lsi_hz = 40e3, .vdd_min = 2.0, .vdd_max = 3.6,
		.pdr_fall = 1.88, .pdr_rise = 1.92, .tempo_us = 2500,
		.dbg_cr = 0x40015804, .dbg_cr_mask = 0x6, .dbg_fz = 0x40015808, .dbg_fz_iwdg = B(12),
		.rcc_csr = 0x40021024, .rmvf = B(24), .f_pin = B(26), .f_por = B(27), .f_sft = B(28), .f_iwdg = B(29),
		.pwr = PWR_F4, .gpioa = 0x48000000, .moder_reset = 0x28000000, .iwdg = 0x40003000,
		.syscfg = SYSCFG_MEMRMP2, .syscfg_addr = 0x40010000 },
	{ .model = "f1", .hsi_hz = 8e6, .lsi_hz = 40e3, .vdd_min = 2.0, .vdd_max = 3.6,
		.pdr_fall = 1.88, .pdr_rise = 1.92, .tempo_us = 2500,
		.dbg_cr = 0xE0042004, .dbg_cr_mask = 0x3E7 | B(8) | B(9), .dbg_fz = 0xE0042004, .dbg_fz_iwdg = B(8),
		.has_dbg_sleep = true,
		.rcc_csr = 0x40021024, .rmvf = B(24), .f_pin = B(26), .f_por = B(27), .f_sft = B(28), .f_iwdg = B(29),
		.pwr = PWR_F4, .iwdg = 0x40003000, .rdp1_sram_q = true },
	{ .model = "cks32f103", .hsi_hz = 8e6, .lsi_hz = 40e3, .vdd_min = 2.0, .vdd_max = 3.6,
		.pdr_fall = 1.88, .pdr_rise = 1.92, .tempo_us = 2500,
		.dbg_cr = 0xE0042004, .dbg_cr_mask = 0x3E7 | B(8) | B(9), .dbg_fz = 0xE0042004, .dbg_fz_iwdg = B(8),
		.has_dbg_sleep = true,
		.rcc_csr = 0x40021024, .rmvf = B(24), .f_pin = B(26), .f_por = B(27), .f_sft = B(28), .f_iwdg = B(29),
		.pwr = PWR_F4, .iwdg = 0x40003000, .rdp1_sram_q = true },
	{ .model = "f4", .hsi_hz = 16e6, .lsi_hz = 32e3, .vdd_min = 1.8, .vdd_max = 3.6,
		.pdr_fall = 1.70, .pdr_rise = 1.74, .tempo_us = 2600,
		.dbg_cr = 0xE0042004, .dbg_cr_mask = 0xE7, .dbg_fz = 0xE0042008, .dbg_fz_iwdg = B(12),
		.has_dbg_sleep = true, .sleep_stops_hclk = true,
		.rcc_csr = 0x40023874, .rmvf = B(24), .f_pin = B(26), .f_por = B(27), .f_bor = B(25), .f_sft = B(28),
		.f_iwdg = B(29), .pwr = PWR_F4, .gpioa = 0x40020000, .moder_reset = 0xA8000000, .iwdg = 0x40003000,
		.syscfg = SYSCFG_MEMRMP2, .syscfg_addr = 0x40013800 },
	{ .model = "f7", .hsi_hz = 16e6, .lsi_hz = 32e3, .vdd_min = 1.7, .vdd_max = 3.6,
		.pdr_fall = 1.70, .pdr_rise = 1.74, .tempo_us = 2600,
		.dbg_cr = 0xE0042004, .dbg_cr_mask = 0xE7, .dbg_fz = 0xE0042008, .dbg_fz_iwdg = B(12),
		.has_dbg_sleep = true, .sleep_stops_hclk = true,
		.rcc_csr = 0x40023874, .rmvf = B(24), .f_pin = B(26), .f_por = B(27), .f_bor = B(25), .f_sft = B(28),
		.f_iwdg = B(29), .pwr = PWR_F4, .gpioa = 0x40020000, .moder_reset = 0xA8000000, .iwdg = 0x40003000,
		.idcode_reset_q = true },
	{ .model = "l4", .hsi_hz = 4e6, .lsi_hz = 32e3, .vdd_min = 1.71, .vdd_max = 3.6,
		.pdr_fall = 1.64, .pdr_rise = 1.66, .tempo_us = 400,
		.dbg_cr = 0xE0042004, .dbg_cr_mask = 0xE7, .dbg_fz = 0xE0042008, .dbg_fz_iwdg = B(12),
		.has_dbg_sleep = true,
		.rcc_csr = 0x40021094, .rmvf = B(23), .f_pin = B(26), .f_bor = B(27), .f_sft = B(28), .f_iwdg = B(29),
		.pwr = PWR_L4, .gpioa = 0x48000000, .moder_reset = 0xABFFFFFF, .iwdg = 0x40003000,
		.syscfg = SYSCFG_MEMRMP3, .syscfg_addr = 0x40010000 },
	{ .model = "g0", .v6m = true, .hsi_hz = 16e6, .lsi_hz = 32e3, .vdd_min = 1.7, .vdd_max = 3.6,
		.pdr_fall = 1.64, .pdr_rise = 1.66, .tempo_us = 400,
		.dbg_cr = 0x40015804, .dbg_cr_mask = 0x6, .dbg_fz = 0x40015808, .dbg_fz_iwdg = B(12),
		.rcc_csr = 0x40021060, .rmvf = B(23), .f_pin = B(26), .f_por = B(27), .f_sft = B(28), .f_iwdg = B(29),
		.pwr = PWR_L4, .gpioa = 0x50000000, .moder_reset = 0xEBFFFFFF, .iwdg = 0x40003000,
		.syscfg = SYSCFG_MEMRMP2, .syscfg_addr = 0x40010000, .empty_check = true, .rdp1_sram_q = true },
	{ .model = "h7", .hsi_hz = 64e6, .lsi_hz = 32e3, .vdd_min = 1.62, .vdd_max = 3.6,
		.pdr_fall = 1.70, .pdr_rise = 1.74, .tempo_us = 2600,
		.dbg_cr = 0x5C001004, .dbg_cr_mask = 0x006001FF, .dbg_fz = 0x5C001054, .dbg_fz_iwdg = B(18),
		.has_dbg_sleep = true, .sleep_stops_hclk = true,
		.rcc_csr = 0x580244D0, .rmvf = B(16), .f_pin = B(22), .f_por = B(23), .f_bor = B(21), .f_sft = B(24),
		.f_iwdg = B(26), .pwr = PWR_H7, .gpioa = 0x58020000, .moder_reset = 0xABFFFFFF, .iwdg = 0x58004800 },
};

#define N_FAMILIES (sizeof(families) / sizeof(families[0]))

const struct sim_family *sim_phys_family(const char *model)
{
	for (size_t i = 0; model && i < N_FAMILIES; i++)
		if (!strcmp(families[i].model, model))
			return &families[i];
	return NULL;
}

const char *sim_phys_family_names(void)
{
	return "f0, f1, cks32f103, f4, f7, l4, g0, h7";
}

bool sim_phys_is_f1(const char *model)
{
	return !strcmp(model, "f1") || !strcmp(model, "cks32f103");
}

void sim_phys_config_defaults(struct sim_phys_config *c)
{
	memset(c, 0, sizeof(*c));
	c->vdd = 3.3;
	c->dip_hz = 100;
	c->vapp_wired = true;
	c->ground = true;
	c->no_ground_rate = 0.3;
	c->cable_cm = 10;
	c->nrst_wired = true;
	c->wall_clock = true;
}

/* ---- helpers ---- */

static struct sim_phys *P(struct sim_target *t)
{
	return &t->phys;
}

static const struct sim_phys_config *C(const struct sim_target *t)
{
	return &t->cfg.phys;
}

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double core_hz(const struct sim_target *t)
{
	return C(t)->core_hz > 0 ? C(t)->core_hz : t->phys.fam->hsi_hz;
}

static double lsi_hz(const struct sim_target *t)
{
	return C(t)->lsi_hz > 0 ? C(t)->lsi_hz : t->phys.fam->lsi_hz;
}

static bool unpowered(const struct sim_target *t)
{
	/* below about 1 V no logic works at all (S3); RDP2 clears cfg.powered (X3) */
	return C(t)->vdd < 1.0 || !t->cfg.powered;
}

/* the SW-DP pins belong to the debugger (G1, G2) */
static bool swd_pins_free(const struct sim_target *t)
{
	const struct sim_phys *ph = &t->phys;

	if (t->nrst_low)
		return true;	/* GPIO and AFIO in their reset state (G3) */
	if (!ph->fam->gpioa)
		return ph->swj_cfg != 4;
	return ((ph->gpioa_moder >> 26) & 0xF) == 0xA && ((ph->gpioa_afrh >> 20) & 0xFF) == 0;
}

static bool dbg_bit(const struct sim_target *t, enum sim_lp_mode m)
{
	/* DBGMCU_CR DBG_SLEEP b0, DBG_STOP b1, DBG_STANDBY b2 (H7: the D1 bits at the same places) (L1) */
	return t->dbgmcu_cr & (1u << (m - LP_SLEEP));
}

/* HCLK to the AHB-AP stopped by a low-power mode (L2, L3) */
static bool hclk_stopped(const struct sim_target *t)
{
	const struct sim_phys *ph = &t->phys;

	if (t->nrst_low)
		return false;
	switch (ph->lp) {
	case LP_SLEEP:
		if (!ph->fam->has_dbg_sleep || dbg_bit(t, LP_SLEEP))
			return false;
		switch (C(t)->opt.sleep_stops_hclk) {
		case 0: return ph->fam->sleep_stops_hclk;
		case 1: return true;
		default: return false;
		}
	case LP_STOP:
		return !dbg_bit(t, LP_STOP);
	case LP_STANDBY:
		return !dbg_bit(t, LP_STANDBY);
	default:
		return false;
	}
}

/* the DP itself is silent (L4, L5, S3) */
static bool dp_silent(const struct sim_target *t)
{
	const struct sim_phys *ph = &t->phys;

	if (t->nrst_low && (ph->below_pdr || ph->reset_until_us > 0))
		return C(t)->opt.below_pdr_dp == 0;
	if (t->nrst_low)
		return false;
	if (ph->lp == LP_STOP && !dbg_bit(t, LP_STOP))
		return C(t)->opt.stop_dp == 1;
	if (ph->lp == LP_STANDBY && !dbg_bit(t, LP_STANDBY))
		return C(t)->opt.standby_dp == 0;
	return false;
}

static bool core_runs(const struct sim_target *t)
{
	const struct sim_phys *ph = &t->phys;

	return !t->halted && !t->nrst_low && ph->stuck == STUCK_NONE && ph->lp == LP_NONE;
}

static double iwdg_period_us(const struct sim_target *t)
{
	const struct sim_phys *ph = &t->phys;

	return 1e6 * ph->iwdg_pr * (ph->iwdg_rlr + 1.0) / lsi_hz(t);	/* I2 */
}

static bool iwdg_counts(const struct sim_target *t)
{
	const struct sim_phys *ph = &t->phys;

	if (!ph->iwdg_on || t->nrst_low)
		return false;
	/* frozen only while the core is halted and the freeze bit is set (I3) */
	if (t->halted && ph->fam->dbg_fz &&
	    ((ph->fam->dbg_fz == ph->fam->dbg_cr ? t->dbgmcu_cr : t->dbgmcu_apb1_fz) & ph->fam->dbg_fz_iwdg))
		return false;
	return true;
}

/* ---- the effective NRST line: probe, board, internal (brown-out) ---- */

static void nrst_update(struct sim_target *t)
{
	struct sim_phys *ph = P(t);
	bool low = ph->probe_nrst || C(t)->nrst_held_low || ph->below_pdr || ph->reset_until_us > 0;

	sim_target_nrst_line(t, low);
}

/* ---- firmware actions (README "firmware") ---- */

static void take_pins(struct sim_target *t)
{
	struct sim_phys *ph = P(t);

	if (!ph->fam->gpioa)
		ph->swj_cfg = 4;			/* AFIO_MAPR.SWJ_CFG = 100 (G2) */
	else
		ph->gpioa_moder &= ~(0xFu << 26);	/* PA13/PA14 = 00 input (G1) */
}

static void enter_lowpower(struct sim_target *t, enum sim_lp_mode m)
{
	struct sim_phys *ph = P(t);

	if (m != LP_SLEEP)
		t->scr |= 1u << 2;	/* SCB_SCR.SLEEPDEEP */
	switch (ph->fam->pwr) {
	case PWR_F4:	/* PWR_CR: LPDS b0, PDDS b1 */
		ph->pwr_cr = m == LP_STANDBY ? B(1) : m == LP_STOP ? B(0) : 0;
		break;
	case PWR_L4:	/* PWR_CR1.LPMS: 001 Stop1, 011 Standby */
		ph->pwr_cr = m == LP_STANDBY ? 3 : m == LP_STOP ? 1 : 0;
		break;
	case PWR_H7:	/* PWR_CPUCR.PDDS_D1 b0 */
		ph->pwr_cr = m == LP_STANDBY ? B(0) : 0;
		break;
	}
	ph->lp = m;
	if (m == LP_STANDBY)
		ph->pwr_sbf = 1;	/* P2: SBF set on entry to Standby */
	t->sleeping = m != LP_STANDBY;
	sim_log("TARGET application enters %s (DBGMCU_CR 0x%08x)",
		m == LP_SLEEP ? "sleep" : m == LP_STOP ? "stop" : "standby", t->dbgmcu_cr);
}

static void hardfault(struct sim_target *t, uint32_t addr, bool handler_faults)
{
	struct sim_phys *ph = P(t);

	if (!ph->fam->v6m) {
		ph->cfsr |= B(9) | B(15);	/* PRECISERR, BFARVALID (C2) */
		ph->bfar = addr;
		ph->hfsr |= B(30);		/* FORCED: escalated to HardFault */
	}
	t->regs[0x10] = 0x01000003;		/* IPSR = 3 HardFault */
	if (handler_faults) {
		ph->stuck = STUCK_LOCKUP;
		t->lockup = true;
		sim_log("TARGET fault in the HardFault handler: lockup");
	} else {
		ph->stuck = STUCK_SPIN;
		t->idle_pc = t->fault_pc;
		t->regs[0x0F] = t->fault_pc;
		sim_log("TARGET HardFault (BFAR 0x%08x): handler spins at 0x%08x", addr, t->fault_pc);
	}
}

static void run_action(struct sim_target *t, const struct sim_fw_action *a)
{
	struct sim_phys *ph = P(t);

	switch (a->what) {
	case FW_TAKE_SWD_PINS:
		take_pins(t);
		sim_log("TARGET application reconfigures PA13/PA14");
		break;
	case FW_SWJ_CFG:
		ph->swj_cfg = a->value;
		break;
	case FW_DBGMCU_CR:
		t->dbgmcu_cr = a->value & ph->fam->dbg_cr_mask;
		break;
	case FW_SLEEP:
		enter_lowpower(t, a->mode);
		break;
	case FW_IWDG_START:
		ph->iwdg_on = true;
		ph->iwdg_pr = a->prescaler;
		ph->iwdg_rlr = a->reload;
		ph->iwdg_refresh_us = a->refresh_us;
		ph->iwdg_count_us = 0;
		break;
	case FW_BAD_POINTER:
		hardfault(t, a->value, a->mode == 1);
		break;
	case FW_SYSRESET:
		/* C4: AIRCR.SYSRESETREQ, a system reset: SFTRSTF + PINRSTF (R1, R2);
		 * the application starts again, so it resets again after at_us */
		sim_log("TARGET application writes AIRCR.SYSRESETREQ: software reset");
		sim_target_reset_cause(t, RST_SOFT);
		break;
	}
}

/* ---- time ---- */

static void brownout(struct sim_target *t)
{
	struct sim_phys *ph = P(t);

	if (ph->reset_until_us > ph->now_us) {
		/* a dip during the reset temporization only prolongs the reset (S2) */
		ph->reset_until_us = ph->now_us + ph->fam->tempo_us;
		return;
	}
	sim_log("TARGET supply dip to %.2f V: brown-out reset", C(t)->vdd - C(t)->dip_v);
	ph->reset_until_us = ph->now_us + ph->fam->tempo_us;
	sim_phys_reset(t, RST_BOR);
	nrst_update(t);
}

static void advance(struct sim_target *t, double dt)
{
	struct sim_phys *ph = P(t);
	double end = ph->now_us + dt;

	/* dips left behind by an earlier bounded run: keep their phase, drop the missed ones */
	if (ph->next_dip_us > 0 && ph->next_dip_us < ph->now_us) {
		double period = 1e6 / C(t)->dip_hz;

		ph->next_dip_us += period * ceil((ph->now_us - ph->next_dip_us) / period);
	}
	/* bounded: every iteration consumes time or an event */
	for (int guard = 0; ph->now_us < end && guard < 1000000; guard++) {
		double step = end - ph->now_us;
		bool runs = core_runs(t);
		const struct sim_fw_action *a = ph->next_action < C(t)->n_actions ?
			&C(t)->actions[ph->next_action] : NULL;

		if (ph->next_dip_us > 0 && ph->next_dip_us - ph->now_us < step)
			step = fmax(0, ph->next_dip_us - ph->now_us);
		if (ph->reset_until_us > 0 && ph->reset_until_us - ph->now_us < step)
			step = fmax(0, ph->reset_until_us - ph->now_us);
		if (runs && a && a->at_us - ph->fw_us < step)
			step = fmax(0, a->at_us - ph->fw_us);
		bool refreshed = runs && ph->iwdg_refresh_us > 0 && ph->iwdg_refresh_us < iwdg_period_us(t);
		bool counting = iwdg_counts(t) && !refreshed;
		if (counting && iwdg_period_us(t) - ph->iwdg_count_us < step)
			step = fmax(0, iwdg_period_us(t) - ph->iwdg_count_us);

		ph->now_us += step;
		if (runs) {
			ph->fw_us += step;
			/* DWT_CYCCNT counts core clocks when enabled (T1) */
			if ((t->dwt_ctrl & 1) && (t->demcr & (1u << 24)))
				t->dwt_cyccnt += (uint32_t)(step * core_hz(t) / 1e6);
		}
		if (refreshed)
			ph->iwdg_count_us = 0;
		else if (counting)
			ph->iwdg_count_us += step;

		if (ph->reset_until_us > 0 && ph->now_us >= ph->reset_until_us) {
			ph->reset_until_us = 0;
			nrst_update(t);
		}
		if (ph->next_dip_us > 0 && ph->now_us >= ph->next_dip_us) {
			ph->next_dip_us += 1e6 / C(t)->dip_hz;
			brownout(t);
			continue;
		}
		if (counting && ph->iwdg_count_us >= iwdg_period_us(t)) {
			sim_log("TARGET IWDG timeout after %.1f ms: reset", iwdg_period_us(t) / 1000);
			ph->iwdg_count_us = 0;
			sim_target_reset_cause(t, RST_IWDG);
			continue;
		}
		if (core_runs(t) && a && ph->fw_us >= a->at_us) {
			ph->next_action++;
			run_action(t, a);
		}
	}
	ph->now_us = end;
}

void sim_phys_command(struct sim_target *t, unsigned int probe_hw)
{
	struct sim_phys *ph = P(t);
	double model = (C(t)->probe_us > 0 ? C(t)->probe_us : probe_hw >= 3 ? 150 : 1000) + ph->pending_us;
	double now = wall_now(), dt = model;

	if (C(t)->wall_clock && ph->wall_last > 0 && (now - ph->wall_last) * 1e6 > dt)
		dt = (now - ph->wall_last) * 1e6;
	ph->wall_last = now;
	ph->pending_us = 0;
	advance(t, dt);
	sim_stats_sim_time(ph->now_us);
}

/* ---- the wire ---- */

static double crit_khz(const struct sim_target *t)
{
	return C(t)->crit_given ? C(t)->crit_khz : 120000.0 / C(t)->cable_cm;	/* W2 */
}

static double error_prob(const struct sim_target *t, uint32_t khz)
{
	double speed = 1.0 / (1.0 + pow(crit_khz(t) / (khz ? khz : 1), 8));

	if (C(t)->ground)
		return speed;
	if (C(t)->opt.no_ground_errors == 0)
		return C(t)->no_ground_rate;		/* W4, uncertain */
	return C(t)->no_ground_rate + (1 - C(t)->no_ground_rate) * speed;
}

static uint8_t no_ack(const struct sim_target *t, bool dp, bool connect, uint8_t fail_status)
{
	if (connect)
		return fail_status;
	if (C(t)->opt.no_ack_status == 1)
		return dp ? STLINK_SWD_DP_FAULT : STLINK_SWD_AP_FAULT;
	return dp ? STLINK_SWD_DP_ERROR : ST_AP_ERROR;
}

uint8_t sim_phys_link(struct sim_target *t, bool dp, unsigned int n, bool read, uint32_t khz, bool connect,
		uint8_t fail_status, unsigned int *done)
{
	struct sim_phys *ph = P(t);
	const struct sim_phys_config *c = C(t);
	unsigned int sent = n;
	uint8_t st = STLINK_DEBUG_ERR_OK;

	if (done)
		*done = 0;
	if (unpowered(t) || c->swdio_open || c->swclk_open || c->swapped || dp_silent(t) || !swd_pins_free(t)) {
		sent = 1;
		st = no_ack(t, dp, connect, fail_status);
		goto out;
	}
	double pe = error_prob(t, khz);
	for (unsigned int i = 0; pe > 0 && i < n; i++) {
		if (sim_prng_unit(&ph->prng) >= pe)
			continue;
		/* a block stops at its first failed transfer (W5): i words went through */
		sent = i + 1;
		if (done)
			*done = i;
		ph->link_errors++;
		sim_stats_count_transfers(0, 1);
		bool parity = read && sim_prng_unit(&ph->prng) < 0.5;	/* W3 */
		if (!parity || c->opt.parity_status == 1)
			st = no_ack(t, dp, connect, fail_status);
		else if (connect)
			st = ST_DP_PARITY;
		else
			st = dp ? ST_DP_PARITY : ST_AP_PARITY;
		goto out;
	}
	if (!dp && hclk_stopped(t)) {
		/* AP accesses stall while HCLK is off (L2): WAIT, first as AP then as DP WAIT */
		sent = 1;
		if (c->opt.stall_status == 1)
			st = STLINK_SWD_AP_FAULT;
		else
			st = ph->stalls++ ? STLINK_SWD_DP_WAIT : STLINK_SWD_AP_WAIT;
		goto out;
	}
	ph->stalls = 0;
	if (done)
		*done = n;
out:
	ph->transfers += sent;
	sim_stats_count_transfers(sent, 0);
	/* about 46 SWCLK cycles per transfer: 8 request, 1+3 turnaround/ACK, 33 data, idle (T3) */
	ph->pending_us += sent * 46.0 * 1000.0 / (khz ? khz : 1);
	return st;
}

double sim_phys_voltage(struct sim_target *t)
{
	/* the probe's VAPP sense sees the supply; open sense reads 0 V (S4) */
	return C(t)->vapp_wired ? C(t)->vdd : 0.0;
}

bool sim_phys_nrst_wired(struct sim_target *t)
{
	return C(t)->nrst_wired;
}

void sim_phys_set_probe_nrst(struct sim_target *t, bool low)
{
	P(t)->probe_nrst = low;
	nrst_update(t);
}

/* ---- resets ---- */

void sim_phys_reset(struct sim_target *t, enum sim_reset_cause cause)
{
	struct sim_phys *ph = P(t);
	const struct sim_family *f = ph->fam;

	/* R1, R2: the cause's flag, and PINRSTF with every internal reset (NRST driven low) */
	switch (cause) {
	case RST_POR:
		ph->rcc_flags |= f->f_por | f->f_bor | f->f_pin;
		ph->pwr_sbf = 0;	/* P2: SBF cleared by POR */
		break;
	case RST_BOR:
		ph->rcc_flags |= (f->f_bor ? f->f_bor : f->f_por) | f->f_pin;
		break;
	case RST_PIN:
		ph->rcc_flags |= f->f_pin;
		break;
	case RST_SOFT:
		ph->rcc_flags |= f->f_sft | f->f_pin;
		break;
	case RST_IWDG:
		ph->rcc_flags |= f->f_iwdg | f->f_pin;
		break;
	case RST_CORE:
		break;
	}
	if (cause != RST_CORE) {
		/* system reset: GPIO/AFIO/PWR/IWDG/SCB fault status back to reset values */
		ph->gpioa_moder = f->moder_reset;
		ph->gpioa_afrh = 0;
		ph->swj_cfg = 0;
		ph->pwr_cr = 0;
		ph->cfsr = ph->hfsr = ph->bfar = 0;
		ph->iwdg_on = false;
		ph->iwdg_count_us = 0;
	}
	ph->lp = LP_NONE;
	ph->stuck = STUCK_NONE;
	ph->stalls = 0;
	ph->fw_us = 0;
	ph->next_action = 0;
	t->sleeping = false;
	t->lockup = false;
}

static bool executable(const struct sim_target *t, uint32_t a)
{
	const struct sim_target_config *c = &t->cfg;

	return (a >= c->flash_base && a < c->flash_base + c->flash_kb * 1024) ||
		(a < c->flash_kb * 1024) ||
		(a >= c->sram_base && a < c->sram_base + c->sram_kb * 1024) ||
		(a >= c->sysmem_base && a < c->sysmem_base + c->sysmem_kb * 1024);
}

/* which memory is at 0 after this reset (B1, B2) */
static const uint8_t *boot_table(struct sim_target *t, bool *sysmem)
{
	*sysmem = false;
	if (!strcmp(t->cfg.boot, "sram"))
		return t->sram;
	if (!strcmp(t->cfg.boot, "sysmem")) {
		*sysmem = true;
		return t->sysmem;
	}
	/* empty check: a blank flash boots the ROM (B2) */
	if (P(t)->fam->empty_check && t->flash[4] == 0xFF && t->flash[5] == 0xFF && t->flash[6] == 0xFF &&
	    t->flash[7] == 0xFF) {
		*sysmem = true;
		return t->sysmem;
	}
	return t->flash;
}

void sim_phys_reset_exit(struct sim_target *t)
{
	struct sim_phys *ph = P(t);
	bool sysmem;
	const uint8_t *vt = boot_table(t, &sysmem);
	uint32_t sp = vt[0] | vt[1] << 8 | vt[2] << 16 | (uint32_t)vt[3] << 24;
	uint32_t pc = vt[4] | vt[5] << 8 | vt[6] << 16 | (uint32_t)vt[7] << 24;

	t->regs[0x11] = sp & ~3u;
	t->regs[0x0F] = pc & ~1u;
	t->idle_pc = sysmem ? t->cfg.sysmem_base + 0x100 : t->app_idle_pc;
	if (!(pc & 1) || !executable(t, pc & ~1u)) {
		/* C1: no Thumb bit (INVSTATE) or a fetch from a non-executable address: HardFault,
		 * whose vector is just as bad, so the core locks up at reset */
		if (!ph->fam->v6m) {
			ph->cfsr |= (pc & 1) ? B(0) : B(17);	/* IACCVIOL / INVSTATE */
			ph->hfsr |= B(30);
		}
		ph->stuck = STUCK_LOCKUP;
		t->lockup = true;
		t->regs[0x10] = 0x01000003;
		sim_log("TARGET vector table at boot: SP 0x%08x PC 0x%08x: lockup", sp, pc);
	}
	if (t->cfg.hw_watchdog) {
		/* I1: option-byte hardware watchdog starts with the reset values PR /4, RLR 0xFFF */
		ph->iwdg_on = true;
		ph->iwdg_pr = 4;
		ph->iwdg_rlr = 0xFFF;
		ph->iwdg_refresh_us = 0;
		ph->iwdg_count_us = 0;
	}
}

uint32_t sim_phys_halt_pc(struct sim_target *t, uint32_t running_pc)
{
	struct sim_phys *ph = P(t);

	if (ph->stuck == STUCK_LOCKUP) {
		t->lockup = false;	/* C3: lockup clears on entry to Debug state */
		return 0xFFFFFFFE;
	}
	return running_pc;
}

uint32_t sim_phys_dhcsr(struct sim_target *t, uint32_t v)
{
	/* D1: S_LOCKUP without C_DEBUGEN, per option */
	if (C(t)->opt.s_lockup_needs_debugen && !(v & 1))
		v &= ~(1u << 19);
	return v;
}

uint32_t sim_phys_pcsr(struct sim_target *t)
{
	const struct sim_phys_config *c = C(t);

	/* D2 */
	if (P(t)->fam->v6m && c->opt.pcsr_v6m == 0)
		return 0;
	if (t->halted || t->nrst_low)
		return 0xFFFFFFFF;
	if (t->lockup || P(t)->stuck == STUCK_LOCKUP)
		return c->opt.pcsr_lockup ? 0xFFFFFFFE : 0xFFFFFFFF;
	if (!(t->demcr & (1u << 24)) && c->opt.pcsr_without_trcena)
		return 0xFFFFFFFF;
	return t->regs[0x0F];
}

/* ---- registers ---- */

uint8_t sim_phys_fault_status(struct sim_target *t, uint32_t addr)
{
	const struct sim_target_config *c = &t->cfg;

	if (c->rdp_level == 1 && C(t)->opt.rdp1_read_status == 1 &&
	    ((addr >= c->flash_base && addr < c->flash_base + c->flash_kb * 1024) || addr < c->flash_kb * 1024))
		return ST_AP_ERROR;	/* X1 option */
	return 0;
}

static uint32_t syscfg_value(struct sim_target *t)
{
	if (C(t)->opt.syscfg_unclocked == 1)
		return 0;
	/* B3: MEM_MODE as loaded from the boot pins: 00 flash, 01 system memory, 11 SRAM */
	if (!strcmp(t->cfg.boot, "sram"))
		return 3;
	bool sysmem;
	boot_table(t, &sysmem);
	return sysmem ? 1 : 0;
}

bool sim_phys_mem_read(struct sim_target *t, uint32_t addr, unsigned int size, uint32_t *val, int *ack)
{
	struct sim_phys *ph = P(t);
	const struct sim_family *f = ph->fam;
	uint32_t a = addr & ~3u, w;
	bool sram_boot = !strcmp(t->cfg.boot, "sram");

	*ack = SIM_ACK_OK;
	if (a == f->rcc_csr)
		w = ph->rcc_flags;
	else if (f->dbg_cr && a == f->dbg_cr)
		w = t->dbgmcu_cr;
	else if (f->dbg_fz && a == f->dbg_fz)
		w = t->dbgmcu_apb1_fz;
	else if (a == 0xE000ED28 && !f->v6m)
		w = ph->cfsr;
	else if (a == 0xE000ED2C && !f->v6m)
		w = ph->hfsr;
	else if (a == 0xE000ED38 && !f->v6m)
		w = ph->bfar;
	else if (a == 0xE000101C)
		w = sim_phys_pcsr(t);
	else if (f->gpioa && a == f->gpioa)
		w = ph->gpioa_moder;
	else if (f->gpioa && a == f->gpioa + 0x24)
		w = ph->gpioa_afrh;
	else if (!f->gpioa && a == 0x40010004)
		w = C(t)->opt.swj_cfg_read ? ph->swj_cfg << 24 : 0;	/* G2: write-only */
	else if (f->pwr == PWR_H7 && a == 0x58024810)
		w = ph->pwr_cr | (ph->pwr_sbf ? B(6) : 0);
	else if (f->pwr != PWR_H7 && a == 0x40007000)
		w = ph->pwr_cr;
	else if (f->pwr == PWR_F4 && a == 0x40007004)
		w = ph->pwr_sbf ? B(1) : 0;
	else if (f->pwr == PWR_L4 && a == 0x40007010)
		w = ph->pwr_sbf ? B(8) : 0;
	else if (a == f->iwdg + 4)
		w = ph->iwdg_on ? (uint32_t)(log2(ph->iwdg_pr) - 2) : 0;
	else if (a == f->iwdg + 8)
		w = ph->iwdg_on ? ph->iwdg_rlr : 0xFFF;
	else if (f->syscfg != SYSCFG_NONE && a == f->syscfg_addr)
		w = syscfg_value(t);
	else if (f->idcode_reset_q && a == t->cfg.dbgmcu_idcode_addr && t->nrst_low &&
		 C(t)->opt.idcode_under_reset == 0) {
		*ack = SIM_ACK_FAULT;	/* D4 */
		*val = 0;
		return true;
	} else if (f->rdp1_sram_q && t->cfg.rdp_level == 1 && C(t)->opt.rdp1_sram == 1 &&
		   a >= t->cfg.sram_base && a < t->cfg.sram_base + t->cfg.sram_kb * 1024) {
		*ack = SIM_ACK_FAULT;	/* X2 option */
		*val = 0;
		return true;
	} else if (sram_boot && a < t->cfg.sram_kb * 1024) {
		memcpy(&w, t->sram + a, 4);	/* B1: SRAM aliased at 0 */
	} else {
		return false;
	}
	w >>= 8 * (addr & 3);
	*val = size < 4 ? w & ((1u << (8 * size)) - 1) : w;
	return true;
}

bool sim_phys_mem_write(struct sim_target *t, uint32_t addr, unsigned int size, uint32_t val)
{
	struct sim_phys *ph = P(t);
	const struct sim_family *f = ph->fam;
	uint32_t a = addr & ~3u;

	if (size != 4)
		val <<= 8 * (addr & 3);
	if (a == f->rcc_csr) {
		if (val & f->rmvf)
			ph->rcc_flags = 0;	/* R1: RMVF clears the flags */
		return true;
	}
	if (f->dbg_cr && a == f->dbg_cr) {
		t->dbgmcu_cr = val & f->dbg_cr_mask;
		return true;
	}
	if (f->dbg_fz && a == f->dbg_fz) {
		t->dbgmcu_apb1_fz = val;
		return true;
	}
	if (!f->v6m && (a == 0xE000ED28 || a == 0xE000ED2C)) {
		uint32_t *r = a == 0xE000ED28 ? &ph->cfsr : &ph->hfsr;

		*r &= ~val;	/* write one to clear */
		return true;
	}
	if (f->gpioa && a == f->gpioa) {
		ph->gpioa_moder = val;
		return true;
	}
	if (f->gpioa && a == f->gpioa + 0x24) {
		ph->gpioa_afrh = val;
		return true;
	}
	if (!f->gpioa && a == 0x40010004) {
		ph->swj_cfg = (val >> 24) & 7;
		return true;
	}
	if ((f->pwr == PWR_F4 && a == 0x40007000) || (f->pwr == PWR_L4 && a == 0x40007018) ||
	    (f->pwr == PWR_H7 && a == 0x58024810)) {
		uint32_t csbf = f->pwr == PWR_F4 ? B(3) : f->pwr == PWR_L4 ? B(8) : B(9);

		if (val & csbf)
			ph->pwr_sbf = 0;	/* P2: CSBF */
		if (f->pwr != PWR_L4)
			ph->pwr_cr = val & ~csbf;
		return true;
	}
	if (f->pwr == PWR_L4 && a == 0x40007000) {
		ph->pwr_cr = val;
		return true;
	}
	if (a == f->iwdg) {
		if ((val & 0xFFFF) == 0xAAAA)
			ph->iwdg_count_us = 0;
		if ((val & 0xFFFF) == 0xCCCC && !ph->iwdg_on) {
			ph->iwdg_on = true;
			ph->iwdg_pr = ph->iwdg_pr ? ph->iwdg_pr : 4;
			ph->iwdg_rlr = ph->iwdg_rlr ? ph->iwdg_rlr : 0xFFF;
		}
		return true;
	}
	return false;
}

void sim_phys_init(struct sim_target *t)
{
	struct sim_phys *ph = P(t);
	const struct sim_phys_config *c = C(t);

	ph->fam = sim_phys_family(t->cfg.model);
	sim_prng_seed(&ph->prng, c->seed ^ 0x9E3779B97F4A7C15ull);
	t->app_idle_pc = t->idle_pc;
	/* target.vectors and sram_contents (B1, C1) */
	if (c->vectors == 1)
		memset(t->flash, 0xFF, (size_t)t->cfg.flash_kb * 1024);
	else if (c->vectors == 2)
		memset(t->flash, 0, 0x200);
	if (c->sram_contents == 1)
		for (uint32_t i = 0; i < t->cfg.sram_kb * 1024; i++)
			t->sram[i] = (uint8_t)sim_prng_next(&ph->prng);
	ph->gpioa_moder = ph->fam->moder_reset;
	/* supply (S1..S3) */
	ph->below_pdr = c->vdd >= 1.0 && c->vdd < ph->fam->pdr_rise;
	if (c->dip_v > 0 && c->vdd - c->dip_v < ph->fam->pdr_fall && !ph->below_pdr)
		ph->next_dip_us = 1e6 / c->dip_hz;
	sim_phys_reset(t, RST_POR);
	ph->probe_nrst = false;
	nrst_update(t);
	if (!t->nrst_low)
		sim_target_reset_cause(t, RST_POR);
	/* the board was powered long before the probe connected: the application is in its steady state */
	advance(t, 2e6);
}
