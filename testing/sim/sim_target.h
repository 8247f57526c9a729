/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Target model: one STM32 (Cortex-M) behind an ADIv5 SW-DP with a single
 * AHB MEM-AP. No instruction is executed; the model keeps just enough state
 * (DP/AP registers, memory map, debug registers, run/halt/reset) for a debugger
 * to see a consistent part.
 *
 * Nothing here knows about ST-LINK: the probe model (sim_probe.c) or a future
 * libusb-level shim drives it through the functions below.
 */
#ifndef SIM_TARGET_H
#define SIM_TARGET_H

#include <stdbool.h>
#include <stdint.h>

#include "sim_phys.h"

/* outcome of one SWD-level access */
enum sim_ack {
	SIM_ACK_OK,
	SIM_ACK_WAIT,
	SIM_ACK_FAULT,		/* sticky error / bus fault */
	SIM_ACK_NONE,		/* no answer at all: unpowered, wires open, ... */
};

struct sim_target_config {
	char part[48];
	bool powered;
	double voltage;			/* volts seen by the probe's VDD sense */
	uint32_t dpidr;			/* SW-DP DPIDR */
	uint32_t jtag_idcode;		/* JTAG-DP IDCODE */
	uint32_t cpuid;
	uint32_t ap_idr;
	uint32_t dbgmcu_idcode;
	uint32_t dbgmcu_idcode_addr;
	uint32_t flash_base;
	uint32_t flash_kb;
	uint32_t flash_size_reg;	/* address of the 16-bit F_SIZE register */
	uint32_t sram_base;
	uint32_t sram_kb;
	uint32_t sysmem_base;
	uint32_t sysmem_kb;
	uint32_t optbytes_base;
	uint32_t flash_regs_base;	/* FLASH interface registers (stm32f2x layout) */
	uint32_t initial_sp;		/* vector table word 0 */
	uint32_t reset_vector;		/* vector table word 1 (thumb bit set) */
	uint32_t mvfr0, mvfr1;
	uint8_t rdp;			/* option byte RDP value: 0xAA = level 0 */
	/* STM32 part model (sim_parts.c); "" = the generic model above */
	char model[16];
	uint32_t rdp_level;		/* 0, 1 or 2 (part models) */
	char boot[8];			/* "flash" or "sysmem" (part models) */
	bool empty_flash;		/* vector table all 0xFF (part models) */
	bool hw_watchdog;		/* WDG_SW/IWDG_SW = 0 (part models) */
	struct sim_phys_config phys;	/* physical model (sim_phys.c); phys.enabled = off by default */
};

void sim_target_config_defaults(struct sim_target_config *cfg);

#define SIM_NUM_REGS	0x60	/* DCRSR REGSEL space used by Cortex-M4 with FPU */

struct sim_target {
	struct sim_target_config cfg;

	uint8_t *flash, *sram, *sysmem;
	uint8_t otp[0x230];		/* 0x1FFF7800..: OTP, lock bytes, UID, F_SIZE */
	uint8_t optbytes[16];

	/* SW-DP */
	uint32_t dp_ctrl;		/* writable CTRL/STAT request bits */
	uint32_t dp_sticky;		/* STICKYORUN/STICKYCMP/STICKYERR/WDATAERR */
	uint32_t dp_select;
	uint32_t dp_rdbuff;

	/* MEM-AP 0 */
	uint32_t ap_csw;
	uint32_t ap_tar;

	/* core run control */
	bool halted;
	bool nrst_low;			/* NRST held low by the probe */
	bool reset_st;			/* DHCSR.S_RESET_ST latch */
	bool retire_st;			/* DHCSR.S_RETIRE_ST latch */
	bool sleeping;			/* hook for low-power faults */
	bool lockup;			/* hook for lockup faults */
	uint32_t dhcsr_ctrl;		/* C_DEBUGEN, C_HALT, C_STEP, C_MASKINTS, C_SNAPSTALL */
	uint32_t dfsr;
	uint32_t dcrdr;
	uint32_t demcr;
	uint32_t aircr_prigroup;
	uint32_t vtor, scr, ccr, cpacr;
	uint32_t regs[SIM_NUM_REGS];
	uint32_t idle_pc;		/* where the pretend firmware loops forever */
	uint32_t app_idle_pc;		/* the application's idle loop (physical model) */
	uint32_t fault_pc;		/* the default handler's loop (HardFault spins here) */

	/* debug components */
	uint32_t fp_ctrl_enable;
	uint32_t fp_comp[8];
	uint32_t dwt_ctrl, dwt_cyccnt;
	uint32_t dwt_comp[4][3];	/* COMP, MASK, FUNCTION */
	uint32_t tpiu_cspsr, tpiu_acpr, tpiu_sppr, tpiu_ffcr;

	/* STM32 system */
	uint32_t dbgmcu_cr, dbgmcu_apb1_fz, dbgmcu_apb2_fz;
	uint32_t flash_acr, flash_sr, flash_cr, flash_optcr, flash_optcr1;

	struct sim_phys phys;		/* physical model state (cfg.phys.enabled) */

	unsigned long resets;		/* count, for diagnostics and future watchdog faults */
};

int sim_target_init(struct sim_target *t, const struct sim_target_config *cfg);
void sim_target_free(struct sim_target *t);

/* SWD line reset as done by the probe on ENTER: clears DP state, not the core */
void sim_target_line_reset(struct sim_target *t);

enum sim_ack sim_target_dp_read(struct sim_target *t, uint16_t reg, uint32_t *val);
enum sim_ack sim_target_dp_write(struct sim_target *t, uint16_t reg, uint32_t val);
enum sim_ack sim_target_ap_read(struct sim_target *t, unsigned int ap, uint16_t reg, uint32_t *val);
enum sim_ack sim_target_ap_write(struct sim_target *t, unsigned int ap, uint16_t reg, uint32_t val);

/*
 * Bus access through MEM-AP 0, as the probe firmware's memory commands do it.
 * size is 1, 2 or 4 and addr is aligned to it; the value is right-aligned.
 */
enum sim_ack sim_target_mem_read(struct sim_target *t, uint32_t addr, unsigned int size, uint32_t *val);
enum sim_ack sim_target_mem_write(struct sim_target *t, uint32_t addr, unsigned int size, uint32_t val);

/* core register file by DCRSR REGSEL (0x0D = current SP) */
uint32_t sim_target_reg_read(struct sim_target *t, unsigned int regsel);
void sim_target_reg_write(struct sim_target *t, unsigned int regsel, uint32_t val);

void sim_target_set_nrst(struct sim_target *t, bool low);
/* system reset (SYSRESETREQ, RESETSYS, NRST pulse); core_only = VECTRESET */
void sim_target_reset(struct sim_target *t, bool core_only);
/* the same with the cause, for the physical model's reset flags (enum sim_reset_cause) */
void sim_target_reset_cause(struct sim_target *t, int cause);
/* the NRST line as the part sees it (probe, board and internal resets combined) */
void sim_target_nrst_line(struct sim_target *t, bool low);

#endif /* SIM_TARGET_H */
