/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Physical model: a simulated clock, the supply against the part's POR/PDR,
 * the wiring's per-transfer error probability, the application's register
 * writes in time, and the silicon's documented reaction (DHCSR, DWT_PCSR,
 * RCC reset flags, PWR flags, low-power modes, IWDG, SWD pin ownership).
 * Every behaviour and its source: testing/sim/SILICON.md. Schema:
 * testing/sim/README.md "Physical model".
 *
 * Active only when the scenario has a physical section (cfg->phys.enabled);
 * otherwise the legacy model of sim_target.c/sim_fault.c runs unchanged.
 */
#ifndef SIM_PHYS_H
#define SIM_PHYS_H

#include <stdbool.h>
#include <stdint.h>

#include "sim_prng.h"

#define SIM_PHYS_MAX_ACTIONS	16

enum sim_fw_do {
	FW_TAKE_SWD_PINS,
	FW_SWJ_CFG,
	FW_DBGMCU_CR,
	FW_SLEEP,
	FW_IWDG_START,
	FW_BAD_POINTER,
	FW_SYSRESET,
};

enum sim_lp_mode { LP_NONE, LP_SLEEP, LP_STOP, LP_STANDBY };

struct sim_fw_action {
	double at_us;
	enum sim_fw_do what;
	uint32_t value;		/* swj_cfg / dbgmcu_cr value, bad_pointer address */
	int mode;		/* sleep: enum sim_lp_mode; bad_pointer: 0 spin, 1 fault */
	uint32_t prescaler, reload;
	double refresh_us;
};

/* options: index 0 of each is the default (README "options") */
struct sim_phys_options {
	bool s_lockup_needs_debugen;
	int stop_dp;		/* 0 answers, 1 silent */
	int standby_dp;		/* 0 silent, 1 answers */
	int stall_status;	/* 0 wait, 1 fault */
	int sleep_stops_hclk;	/* 0 documented, 1 all, 2 none */
	int pcsr_v6m;		/* 0 absent, 1 present */
	int pcsr_lockup;	/* 0 ones, 1 lockup_pc */
	int pcsr_without_trcena;	/* 0 pc, 1 ones */
	int idcode_under_reset;	/* 0 fault, 1 readable */
	int rdp1_read_status;	/* 0 ap_fault, 1 ap_error */
	int rdp1_sram;		/* 0 readable, 1 fault */
	int no_ack_status;	/* 0 error, 1 fault */
	int parity_status;	/* 0 parity, 1 error */
	int no_ground_errors;	/* 0 flat, 1 rising */
	int below_pdr_dp;	/* 0 silent, 1 answers_in_reset */
	int syscfg_unclocked;	/* 0 reset_value, 1 zero */
	int swj_cfg_read;	/* 0 zero, 1 written */
};

struct sim_phys_config {
	bool enabled;
	uint64_t seed;
	/* target (physical keys) */
	int vectors;		/* 0 ok, 1 erased, 2 zero */
	int sram_contents;	/* 0 zero, 1 random */
	/* supply */
	double vdd, dip_v, dip_hz;
	bool vapp_wired;
	/* wiring */
	int swdio_open, swclk_open;
	bool swapped, ground;
	double no_ground_rate, cable_cm, crit_khz;
	bool crit_given, cable_given;
	bool nrst_wired, nrst_held_low;
	/* firmware */
	struct sim_fw_action actions[SIM_PHYS_MAX_ACTIONS];
	unsigned int n_actions;
	/* timing */
	bool wall_clock;
	double probe_us;	/* 0 = by probe generation */
	double core_hz;		/* 0 = family reset clock */
	double lsi_hz;		/* 0 = family LSI */
	struct sim_phys_options opt;
};

void sim_phys_config_defaults(struct sim_phys_config *c);

struct sim_family;

enum sim_stuck { STUCK_NONE, STUCK_SPIN, STUCK_LOCKUP };

struct sim_phys {
	const struct sim_family *fam;
	struct sim_prng prng;
	double now_us;			/* simulated time since power-on */
	double wall_last;		/* monotonic seconds at the last command */
	double pending_us;		/* SWD transfer time of the current command */
	double fw_us;			/* core run time since the last reset exit */
	unsigned int next_action;
	double next_dip_us;
	double reset_until_us;		/* brown-out: part held in reset until then */
	bool below_pdr;			/* steady supply below the threshold */

	/* registers the application or the silicon sets */
	uint32_t gpioa_moder, gpioa_afrh;
	uint32_t swj_cfg;		/* F1 AFIO_MAPR.SWJ_CFG as written */
	uint32_t rcc_flags;		/* RCC reset flags (family bit positions) */
	uint32_t pwr_cr, pwr_sbf;	/* PWR mode bits as written; standby flag */
	uint32_t cfsr, hfsr, bfar;
	enum sim_lp_mode lp;
	enum sim_stuck stuck;
	unsigned int stalls;		/* AP accesses stalled since the core stopped HCLK */

	/* IWDG */
	bool iwdg_on;
	uint32_t iwdg_pr, iwdg_rlr;
	double iwdg_refresh_us;
	double iwdg_count_us;		/* counted time since the last reload */

	bool probe_nrst;		/* the probe drives NRST low */
	unsigned long link_errors;	/* transfers that failed on the wire */
	unsigned long transfers;
};

struct sim_target;

/* family data of a part model; NULL when the model has none */
const struct sim_family *sim_phys_family(const char *model);
const char *sim_phys_family_names(void);
bool sim_phys_is_f1(const char *model);

void sim_phys_init(struct sim_target *t);
/* a new probe command begins: advance the simulated time */
void sim_phys_command(struct sim_target *t, unsigned int probe_hw);
/*
 * n transfers of one command reach the wire: returns the ST-LINK status for them
 * (0x80 OK). dp: DP-only (connect, DP registers); read: the transfers read data.
 * connect: ENTER/READ_IDCODES (a failure gives fail_status). The transfers stop at
 * the first that fails (W2): *done (may be NULL) gets how many completed before it
 * (n when none failed).
 */
uint8_t sim_phys_link(struct sim_target *t, bool dp, unsigned int n, bool read, uint32_t khz, bool connect,
		uint8_t fail_status, unsigned int *done);
double sim_phys_voltage(struct sim_target *t);
bool sim_phys_nrst_wired(struct sim_target *t);
void sim_phys_set_probe_nrst(struct sim_target *t, bool low);

/* register intercepts: true when the physical model owns the address */
bool sim_phys_mem_read(struct sim_target *t, uint32_t addr, unsigned int size, uint32_t *val, int *ack);
bool sim_phys_mem_write(struct sim_target *t, uint32_t addr, unsigned int size, uint32_t val);
/* ST-LINK status of a faulting memory read at addr (RDP option), 0 = default */
uint8_t sim_phys_fault_status(struct sim_target *t, uint32_t addr);

/* reset causes, for the RCC flags */
enum sim_reset_cause { RST_POR, RST_BOR, RST_PIN, RST_SOFT, RST_IWDG, RST_CORE };
void sim_phys_reset(struct sim_target *t, enum sim_reset_cause cause);
/* the core leaves reset: vector fetch, the application starts */
void sim_phys_reset_exit(struct sim_target *t);
/* where a halted core shows its PC, for a core that ran (or is stuck) */
uint32_t sim_phys_halt_pc(struct sim_target *t, uint32_t running_pc);
uint32_t sim_phys_dhcsr(struct sim_target *t, uint32_t v);
uint32_t sim_phys_pcsr(struct sim_target *t);

#endif /* SIM_PHYS_H */
