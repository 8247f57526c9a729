// SPDX-License-Identifier: GPL-2.0-or-later
#include "sim_target.h"

#include <stdlib.h>
#include <string.h>

#include "sim_log.h"
#include "sim_parts.h"

/* ARMv7-M debug registers */
#define CPUID		0xE000ED00
#define ICSR		0xE000ED04
#define VTOR		0xE000ED08
#define AIRCR		0xE000ED0C
#define SCR		0xE000ED10
#define CCR		0xE000ED14
#define DFSR		0xE000ED30
#define CPACR		0xE000ED88
#define DHCSR		0xE000EDF0
#define DCRSR		0xE000EDF4
#define DCRDR		0xE000EDF8
#define DEMCR		0xE000EDFC
#define MVFR0		0xE000EF40
#define MVFR1		0xE000EF44
#define FP_CTRL		0xE0002000
#define FP_REMAP	0xE0002004
#define FP_COMP0	0xE0002008
#define DWT_CTRL	0xE0001000
#define DWT_CYCCNT	0xE0001004
#define DWT_PCSR	0xE000101C
#define DWT_COMP0	0xE0001020
#define TPIU_SSPSR	0xE0040000
#define TPIU_CSPSR	0xE0040004
#define TPIU_ACPR	0xE0040010
#define TPIU_SPPR	0xE00400F0
#define TPIU_FFCR	0xE0040304
#define TPIU_DEVID	0xE0040FC8
#define DBGMCU_BASE	0xE0042000
#define ROM_TABLE	0xE00FF000

#define DBGKEY		0xA05F0000
#define C_DEBUGEN	(1u << 0)
#define C_HALT		(1u << 1)
#define C_STEP		(1u << 2)
#define C_MASKINTS	(1u << 3)
#define C_SNAPSTALL	(1u << 5)
#define S_REGRDY	(1u << 16)
#define S_HALT		(1u << 17)
#define S_SLEEP		(1u << 18)
#define S_LOCKUP	(1u << 19)
#define S_RETIRE_ST	(1u << 24)
#define S_RESET_ST	(1u << 25)

#define DFSR_HALTED	(1u << 0)
#define DFSR_BKPT	(1u << 1)
#define DFSR_VCATCH	(1u << 3)
#define DEMCR_VC_CORERESET (1u << 0)
#define AIRCR_VECTKEY	0x05FA0000
#define AIRCR_VECTRESET	(1u << 0)
#define AIRCR_SYSRESETREQ (1u << 2)

/* DP CTRL/STAT */
#define CSYSPWRUPACK	(1u << 31)
#define CSYSPWRUPREQ	(1u << 30)
#define CDBGPWRUPACK	(1u << 29)
#define CDBGPWRUPREQ	(1u << 28)
#define CDBGRSTACK	(1u << 27)
#define CDBGRSTREQ	(1u << 26)
#define STICKYORUN	(1u << 1)
#define STICKYCMP	(1u << 4)
#define STICKYERR	(1u << 5)
#define WDATAERR	(1u << 7)
/* bits a debugger may set; the rest of CTRL/STAT is status or unsupported */
#define CTRL_WRITABLE	(CSYSPWRUPREQ | CDBGPWRUPREQ | CDBGRSTREQ | 0x00FFFF00 | (3u << 2) | 1u)

#define REG_SP		0x0D
#define REG_PC		0x0F
#define REG_XPSR	0x10
#define REG_MSP		0x11
#define REG_PSP		0x12
#define REG_SPECIAL	0x14
#define REG_FPSCR	0x21

#define OTP_BASE	0x1FFF7800

/* the pretend firmware: a few NOPs (so single-stepping visibly advances) then "b ." */
#define FW_NOPS		8
#define THUMB_NOP	0xBF00
#define THUMB_B_SELF	0xE7FE

void sim_target_config_defaults(struct sim_target_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	strcpy(cfg->part, "STM32F407VG");
	strcpy(cfg->boot, "flash");
	cfg->powered = true;
	cfg->voltage = 3.3;
	cfg->dpidr = 0x2BA01477;
	cfg->jtag_idcode = 0x4BA00477;
	cfg->cpuid = 0x410FC241;
	cfg->ap_idr = 0x24770011;
	cfg->dbgmcu_idcode = 0x10076413;
	cfg->dbgmcu_idcode_addr = DBGMCU_BASE;
	cfg->flash_base = 0x08000000;
	cfg->flash_kb = 1024;
	cfg->flash_size_reg = 0x1FFF7A22;
	cfg->sram_base = 0x20000000;
	cfg->sram_kb = 128;
	cfg->sysmem_base = 0x1FFF0000;
	cfg->sysmem_kb = 30;
	cfg->optbytes_base = 0x1FFFC000;
	cfg->flash_regs_base = 0x40023C00;
	cfg->initial_sp = 0x20020000;
	cfg->reset_vector = 0x080001C5;
	cfg->mvfr0 = 0x10110021;
	cfg->mvfr1 = 0x11000011;
	cfg->rdp = 0xAA;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static uint32_t get_le(const uint8_t *p, unsigned int size)
{
	uint32_t v = 0;

	for (unsigned int i = 0; i < size; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

static void build_flash_image(struct sim_target *t)
{
	uint32_t size = t->cfg.flash_kb * 1024;
	uint32_t handler = (t->cfg.reset_vector & ~1u) - t->cfg.flash_base;
	uint32_t default_handler = handler + 2 * (FW_NOPS + 1);

	memset(t->flash, 0xFF, size);
	put32(t->flash + 0, t->cfg.initial_sp);
	put32(t->flash + 4, t->cfg.reset_vector);
	/* remaining system exceptions and 82 IRQs of an F4 point at a second "b ." */
	for (uint32_t v = 2; v < 98; v++)
		put32(t->flash + 4 * v, (t->cfg.flash_base + default_handler) | 1);
	if (handler + 2 * (FW_NOPS + 2) <= size) {
		for (int i = 0; i < FW_NOPS; i++)
			put16(t->flash + handler + 2 * i, THUMB_NOP);
		put16(t->flash + handler + 2 * FW_NOPS, THUMB_B_SELF);
		put16(t->flash + default_handler, THUMB_B_SELF);
	}
	t->idle_pc = t->cfg.flash_base + handler + 2 * FW_NOPS;
	t->fault_pc = t->cfg.flash_base + default_handler;
}

int sim_target_init(struct sim_target *t, const struct sim_target_config *cfg)
{
	memset(t, 0, sizeof(*t));
	t->cfg = *cfg;
	t->flash = malloc((size_t)cfg->flash_kb * 1024);
	t->sram = calloc(1, (size_t)cfg->sram_kb * 1024);
	t->sysmem = malloc((size_t)cfg->sysmem_kb * 1024 + 1);
	if (!t->flash || !t->sram || !t->sysmem) {
		sim_target_free(t);
		return -1;
	}
	build_flash_image(t);
	/* system memory: a bootloader-like vector table, contents otherwise irrelevant */
	memset(t->sysmem, 0xFF, (size_t)cfg->sysmem_kb * 1024);
	put32(t->sysmem, 0x20002000);
	put32(t->sysmem + 4, cfg->sysmem_base + 0x100 + 1);

	memset(t->otp, 0xFF, sizeof(t->otp));
	/* unique ID at 0x1FFF7A10 (F4 layout); F_SIZE where the scenario says */
	put32(t->otp + 0x210, 0x00360025);
	put32(t->otp + 0x214, 0x3236470D);
	put32(t->otp + 0x218, 0x38383735);
	if (cfg->flash_size_reg >= OTP_BASE && cfg->flash_size_reg + 2 <= OTP_BASE + sizeof(t->otp))
		put16(t->otp + (cfg->flash_size_reg - OTP_BASE), cfg->flash_kb);

	/* F4 option bytes: USER, RDP, then nWRP; complements in the upper halves */
	t->optbytes[0] = 0xEC;
	t->optbytes[1] = cfg->rdp;
	t->optbytes[2] = 0x13;
	t->optbytes[3] = (uint8_t)~cfg->rdp;
	put32(t->optbytes + 8, 0xF0000FFF);

	t->dhcsr_ctrl = 0;
	t->dwt_ctrl = 0x40000000;	/* NUMCOMP = 4 */
	t->ccr = 0x200;
	sim_parts_init(t);
	if (cfg->phys.enabled) {
		sim_phys_init(t);
		return 0;
	}
	sim_target_reset(t, false);
	/* power-on: the first DHCSR read shows S_RESET_ST, like a freshly powered part */
	return 0;
}

void sim_target_free(struct sim_target *t)
{
	free(t->flash);
	free(t->sram);
	free(t->sysmem);
	t->flash = t->sram = t->sysmem = NULL;
}

void sim_target_line_reset(struct sim_target *t)
{
	t->dp_sticky = 0;
	t->dp_select = 0;
	t->dp_rdbuff = 0;
}

/* ---- core run control ---- */

static bool core_running(const struct sim_target *t)
{
	return !t->halted && !t->nrst_low && !t->lockup && !t->sleeping;
}

static void core_halt(struct sim_target *t, uint32_t dfsr_reason)
{
	/* a running core has long since reached the idle loop of the pretend firmware */
	if (!t->halted && !t->nrst_low)
		t->regs[REG_PC] = t->cfg.phys.enabled ? sim_phys_halt_pc(t, t->idle_pc) : t->idle_pc;
	t->halted = true;
	t->dhcsr_ctrl |= C_HALT;
	t->dfsr |= dfsr_reason;
}

/* FPB revision 1: COMP holds address bits 28:2, REPLACE (31:30) picks the halfword(s) */
static bool fpb_match(const struct sim_target *t, uint32_t addr)
{
	/* without C_DEBUGEN a breakpoint is not a halting debug event */
	if (!t->fp_ctrl_enable || !(t->dhcsr_ctrl & C_DEBUGEN))
		return false;
	for (int i = 0; i < 6; i++) {
		uint32_t comp = t->fp_comp[i], base = comp & 0x1FFFFFFC;

		if (!(comp & 1))
			continue;
		switch (comp >> 30) {
		case 1:
			if (addr == base)
				return true;
			break;
		case 2:
			if (addr == base + 2)
				return true;
			break;
		case 3:
			if ((addr & ~3u) == base)
				return true;
			break;
		}
	}
	return false;
}

/*
 * Resume: the pretend firmware runs from PC through its NOPs into the idle loop.
 * A hardware breakpoint on any of those addresses stops it there, which is what
 * OpenOCD relies on when it steps with a temporary breakpoint at the current PC.
 */
static void core_resume(struct sim_target *t)
{
	uint32_t pc = t->regs[REG_PC];

	if (!t->halted)
		return;
	if (t->cfg.phys.enabled && t->phys.stuck == STUCK_LOCKUP) {
		/* C3: a locked-up core that is resumed locks up again at once */
		t->halted = false;
		t->lockup = true;
		t->retire_st = true;
		return;
	}
	for (uint32_t a = pc;; a += 2) {
		if (fpb_match(t, a)) {
			t->regs[REG_PC] = a;
			t->dhcsr_ctrl |= C_HALT;
			t->dfsr |= DFSR_BKPT;
			if (a != pc)
				t->retire_st = true;
			return;
		}
		if (a >= t->idle_pc || pc > t->idle_pc || t->idle_pc - pc > 64) {
			/* off the known path: it ends up in the idle loop, check that too */
			if (a != t->idle_pc && fpb_match(t, t->idle_pc)) {
				t->regs[REG_PC] = t->idle_pc;
				t->dhcsr_ctrl |= C_HALT;
				t->dfsr |= DFSR_BKPT;
				t->retire_st = true;
				return;
			}
			break;
		}
	}
	t->retire_st = true;
	t->halted = false;
	t->regs[REG_PC] = t->idle_pc;
}

static void core_step(struct sim_target *t)
{
	/* the idle loop branches to itself, any NOP before it advances by one halfword */
	if (t->regs[REG_PC] != t->idle_pc)
		t->regs[REG_PC] += 2;
	t->retire_st = true;
	t->halted = true;
	t->dfsr |= DFSR_HALTED;
}

/* leaving reset: fetch SP and PC from the vector table, honour vector catch (SILICON.md D5) */
static void core_reset_exit(struct sim_target *t)
{
	uint8_t *vt = t->flash;

	memset(t->regs, 0, sizeof(t->regs));
	t->regs[REG_MSP] = get_le(vt, 4) & ~3u;
	t->regs[REG_PC] = get_le(vt + 4, 4) & ~1u;
	t->regs[REG_XPSR] = 0x01000000;
	t->regs[0x0E] = 0xFFFFFFFF;
	t->lockup = false;
	t->sleeping = false;
	t->halted = false;
	if (t->cfg.phys.enabled)
		sim_phys_reset_exit(t);	/* boot memory, vector sanity, hardware watchdog */
	if ((t->dhcsr_ctrl & C_DEBUGEN) && ((t->demcr & DEMCR_VC_CORERESET) || (t->dhcsr_ctrl & C_HALT))) {
		t->halted = true;
		t->dhcsr_ctrl |= C_HALT;
		t->dfsr |= (t->demcr & DEMCR_VC_CORERESET) ? DFSR_VCATCH : DFSR_HALTED;
		t->lockup = false;	/* halted before the first fetch: not locked up yet */
	}
	/* otherwise the reset handler runs into its idle loop, unless a breakpoint stops it */
	if (!t->halted) {
		t->halted = true;
		core_resume(t);
	}
}

void sim_target_reset(struct sim_target *t, bool core_only)
{
	sim_target_reset_cause(t, core_only ? RST_CORE : RST_SOFT);
}

void sim_target_reset_cause(struct sim_target *t, int cause)
{
	bool core_only = cause == RST_CORE;

	t->resets++;
	if (t->cfg.phys.enabled)
		sim_phys_reset(t, cause);
	t->reset_st = true;
	t->retire_st = false;
	if (!core_only) {
		/* system reset: peripherals, not the debug domain (DHCSR, DEMCR, FPB, DWT, DBGMCU) */
		t->vtor = 0;
		t->scr = 0;
		t->ccr = 0x200;
		t->aircr_prigroup = 0;
		t->cpacr = 0;
		t->flash_acr = 0;
		t->flash_sr = 0;
		t->flash_cr = 0x80000000;
		t->flash_optcr = 0x0FFF0000 | ((uint32_t)t->cfg.rdp << 8) | 0xED;
		t->flash_optcr1 = 0x0FFF0000;
	}
	/* C_HALT does not survive a reset unless a halt is pending via vector catch */
	t->dhcsr_ctrl &= ~(C_HALT | C_STEP);
	if (!t->nrst_low)
		core_reset_exit(t);
	else
		t->halted = false;
	sim_log("TARGET %s reset -> %s pc=0x%08x", core_only ? "core" : "system",
		t->nrst_low ? "held in reset" : t->halted ? "halted" : "running", t->regs[REG_PC]);
}

void sim_target_set_nrst(struct sim_target *t, bool low)
{
	if (t->cfg.phys.enabled)
		sim_phys_set_probe_nrst(t, low);	/* combined with the board and the supply */
	else
		sim_target_nrst_line(t, low);
}

void sim_target_nrst_line(struct sim_target *t, bool low)
{
	if (low == t->nrst_low)
		return;
	t->nrst_low = low;
	if (low) {
		t->reset_st = true;
		t->halted = false;
		if (t->cfg.phys.enabled)
			sim_phys_reset(t, RST_PIN);
		sim_log("TARGET NRST asserted");
	} else {
		sim_log("TARGET NRST released");
		sim_target_reset_cause(t, RST_PIN);
	}
}

uint32_t sim_target_reg_read(struct sim_target *t, unsigned int regsel)
{
	if (regsel == REG_SP)
		regsel = (t->regs[REG_SPECIAL] >> 25) & 1 ? REG_PSP : REG_MSP;	/* CONTROL.SPSEL */
	return regsel < SIM_NUM_REGS ? t->regs[regsel] : 0;
}

void sim_target_reg_write(struct sim_target *t, unsigned int regsel, uint32_t val)
{
	if (regsel == REG_SP)
		regsel = (t->regs[REG_SPECIAL] >> 25) & 1 ? REG_PSP : REG_MSP;
	if (regsel == REG_MSP || regsel == REG_PSP)
		val &= ~3u;
	if (regsel < SIM_NUM_REGS)
		t->regs[regsel] = val;
}

/* ---- memory-mapped debug and system registers ---- */

static uint32_t dhcsr_read(struct sim_target *t)
{
	uint32_t v = t->dhcsr_ctrl | S_REGRDY;

	if (t->halted)
		v |= S_HALT;
	if (t->sleeping)
		v |= S_SLEEP;
	if (t->lockup)
		v |= S_LOCKUP;
	if (t->retire_st || core_running(t))
		v |= S_RETIRE_ST;
	if (t->reset_st || t->nrst_low)
		v |= S_RESET_ST;
	/* both status latches clear on read; a core held in reset sets S_RESET_ST again at once */
	t->retire_st = false;
	t->reset_st = false;
	if (t->cfg.phys.enabled) {
		if (t->halted)
			v &= ~S_SLEEP;	/* S_SLEEP is live: a halted core is not sleeping */
		v = sim_phys_dhcsr(t, v);
	}
	return v;
}

static void dhcsr_write(struct sim_target *t, uint32_t val)
{
	if ((val & 0xFFFF0000) != DBGKEY)
		return;		/* writes without the key are ignored by the core */
	uint32_t ctrl = val & (C_DEBUGEN | C_HALT | C_STEP | C_MASKINTS | C_SNAPSTALL);

	t->dhcsr_ctrl = ctrl;
	if (!(ctrl & C_DEBUGEN)) {
		t->dhcsr_ctrl &= ~(C_HALT | C_STEP);
		core_resume(t);
		return;
	}
	if (t->nrst_low)
		return;		/* C_HALT is remembered and acted upon when reset ends */
	if (ctrl & C_HALT) {
		if (!t->halted)
			core_halt(t, DFSR_HALTED);
	} else if (t->halted && (ctrl & C_STEP)) {
		core_step(t);
	} else {
		core_resume(t);
	}
}

static void dcrsr_write(struct sim_target *t, uint32_t val)
{
	unsigned int regsel = val & 0x7F;

	if (val & (1u << 16))
		sim_target_reg_write(t, regsel, t->dcrdr);
	else
		t->dcrdr = sim_target_reg_read(t, regsel);
}

static void aircr_write(struct sim_target *t, uint32_t val)
{
	if ((val & 0xFFFF0000) != AIRCR_VECTKEY)
		return;
	t->aircr_prigroup = val & 0x700;
	if (val & AIRCR_SYSRESETREQ)
		sim_target_reset(t, false);
	else if (val & AIRCR_VECTRESET)
		sim_target_reset(t, true);
}

/* CoreSight ROM table of a Cortex-M4: SCS, DWT, FPB, ITM, TPIU, ETM */
static uint32_t rom_table_read(uint32_t off)
{
	static const uint32_t entries[] = {
		0xFFF0F003, 0xFFF02003, 0xFFF03003, 0xFFF01003, 0xFFF41003, 0xFFF42003, 0,
	};
	static const uint32_t cidr[] = { 0x0D, 0x10, 0x05, 0xB1 };

	if (off < sizeof(entries))
		return entries[off / 4];
	if (off >= 0xFF0)
		return cidr[(off - 0xFF0) / 4];
	if (off == 0xFCC)
		return 1;	/* MEMTYPE: system memory present */
	return 0;
}

static bool ppb_read(struct sim_target *t, uint32_t addr, uint32_t *val)
{
	*val = 0;
	if (addr >= DWT_COMP0 && addr < DWT_COMP0 + 0x40) {
		unsigned int n = (addr - DWT_COMP0) / 16, r = (addr & 0xF) / 4;

		*val = r < 3 ? t->dwt_comp[n][r] : 0;
		return true;
	}
	if (addr >= FP_COMP0 && addr < FP_COMP0 + 32) {
		*val = t->fp_comp[(addr - FP_COMP0) / 4];
		return true;
	}
	if (addr >= ROM_TABLE && addr < ROM_TABLE + 0x1000) {
		*val = rom_table_read(addr - ROM_TABLE);
		return true;
	}
	switch (addr) {
	case CPUID:
		*val = t->cfg.cpuid;
		break;
	case ICSR:
		/* D6: VECTACTIVE, the exception the core executes now (IPSR), read
		 * while it runs; nothing pends in this model */
		*val = t->regs[0x10] & 0x1FFu;
		break;
	case VTOR:
		*val = t->vtor;
		break;
	case AIRCR:
		*val = 0xFA050000 | t->aircr_prigroup;
		break;
	case SCR:
		*val = t->scr;
		break;
	case CCR:
		*val = t->ccr;
		break;
	case DFSR:
		*val = t->dfsr;
		break;
	case CPACR:
		*val = t->cpacr;
		break;
	case DHCSR:
		*val = dhcsr_read(t);
		break;
	case DCRSR:
		break;		/* write-only */
	case DCRDR:
		*val = t->dcrdr;
		break;
	case DEMCR:
		*val = t->demcr;
		break;
	case MVFR0:
		*val = t->cfg.mvfr0;
		break;
	case MVFR1:
		*val = t->cfg.mvfr1;
		break;
	case FP_CTRL:
		*val = 0x260 | t->fp_ctrl_enable;	/* 6 code + 2 literal comparators, FPB rev 1 */
		break;
	case FP_REMAP:
		*val = 0x20000000;
		break;
	case DWT_CTRL:
		*val = t->dwt_ctrl;
		break;
	case DWT_CYCCNT:
		*val = t->dwt_cyccnt;
		break;
	case DWT_PCSR:
		/* ARMv7-M: all ones while halted or held in reset; the lockup address in lockup.
		 * Optional on ARMv6-M: modelled as not implemented (reads as zero) on M0/M0+ */
		if (((t->cfg.cpuid >> 4) & 0xFFF) == 0xC20 || ((t->cfg.cpuid >> 4) & 0xFFF) == 0xC60)
			*val = 0;
		else if (t->halted || t->nrst_low)
			*val = 0xFFFFFFFF;
		else if (t->lockup)
			*val = 0xEFFFFFFE;
		else
			*val = t->regs[REG_PC];
		break;
	case TPIU_SSPSR:
		*val = 0xF;
		break;
	case TPIU_CSPSR:
		*val = t->tpiu_cspsr;
		break;
	case TPIU_ACPR:
		*val = t->tpiu_acpr;
		break;
	case TPIU_SPPR:
		*val = t->tpiu_sppr;
		break;
	case TPIU_FFCR:
		*val = t->tpiu_ffcr;
		break;
	case TPIU_DEVID:
		*val = 0xCA1;	/* NRZ (bit 11) and Manchester supported, async trace */
		break;
	case DBGMCU_BASE + 4:
		*val = t->dbgmcu_cr;
		break;
	case DBGMCU_BASE + 8:
		*val = t->dbgmcu_apb1_fz;
		break;
	case DBGMCU_BASE + 12:
		*val = t->dbgmcu_apb2_fz;
		break;
	default:
		break;	/* other PPB registers read as zero */
	}
	return true;
}

static bool ppb_write(struct sim_target *t, uint32_t addr, uint32_t val)
{
	if (addr >= DWT_COMP0 && addr < DWT_COMP0 + 0x40) {
		unsigned int n = (addr - DWT_COMP0) / 16, r = (addr & 0xF) / 4;

		if (r < 3)
			t->dwt_comp[n][r] = val;
		return true;
	}
	if (addr >= FP_COMP0 && addr < FP_COMP0 + 32) {
		t->fp_comp[(addr - FP_COMP0) / 4] = val;
		return true;
	}
	switch (addr) {
	case VTOR:
		t->vtor = val & 0xFFFFFF80;
		break;
	case AIRCR:
		aircr_write(t, val);
		break;
	case SCR:
		t->scr = val & 0x16;
		break;
	case CCR:
		t->ccr = val & 0x31B;
		break;
	case DFSR:
		t->dfsr &= ~val;	/* write one to clear */
		break;
	case CPACR:
		t->cpacr = val & 0x00F00000;
		break;
	case DHCSR:
		dhcsr_write(t, val);
		break;
	case DCRSR:
		dcrsr_write(t, val);
		break;
	case DCRDR:
		t->dcrdr = val;
		break;
	case DEMCR:
		t->demcr = val & 0x010F07F1;
		break;
	case FP_CTRL:
		if (val & 2)	/* KEY must be set for ENABLE to change */
			t->fp_ctrl_enable = val & 1;
		break;
	case DWT_CTRL:
		t->dwt_ctrl = (t->dwt_ctrl & 0xF0000000) | (val & 0x0FFFFFFF);
		break;
	case DWT_CYCCNT:
		t->dwt_cyccnt = val;
		break;
	case TPIU_CSPSR:
		t->tpiu_cspsr = val;
		break;
	case TPIU_ACPR:
		t->tpiu_acpr = val & 0x1FFF;
		break;
	case TPIU_SPPR:
		t->tpiu_sppr = val & 3;
		break;
	case TPIU_FFCR:
		t->tpiu_ffcr = val;
		break;
	case DBGMCU_BASE + 4:
		t->dbgmcu_cr = val & 0x000000E7;
		break;
	case DBGMCU_BASE + 8:
		t->dbgmcu_apb1_fz = val;
		break;
	case DBGMCU_BASE + 12:
		t->dbgmcu_apb2_fz = val;
		break;
	default:
		break;	/* write-ignored */
	}
	return true;
}

static uint32_t *flash_reg(struct sim_target *t, uint32_t off)
{
	switch (off) {
	case 0x00: return &t->flash_acr;
	case 0x0C: return &t->flash_sr;
	case 0x10: return &t->flash_cr;
	case 0x14: return &t->flash_optcr;
	case 0x18: return &t->flash_optcr1;
	default: return NULL;
	}
}

/* ---- bus ---- */

static bool in_range(uint32_t addr, unsigned int size, uint32_t base, uint32_t len)
{
	return addr >= base && (uint64_t)addr + size <= (uint64_t)base + len;
}

/* returns the byte array backing addr (read-only regions flagged), or NULL */
static uint8_t *mem_bytes(struct sim_target *t, uint32_t addr, unsigned int size, bool *writable)
{
	const struct sim_target_config *c = &t->cfg;

	*writable = false;
	if (in_range(addr, size, c->flash_base, c->flash_kb * 1024))
		return t->flash + (addr - c->flash_base);
	/* boot from main flash: aliased at address 0 */
	if (in_range(addr, size, 0, c->flash_kb * 1024))
		return t->flash + addr;
	if (in_range(addr, size, c->sram_base, c->sram_kb * 1024)) {
		*writable = true;
		return t->sram + (addr - c->sram_base);
	}
	if (in_range(addr, size, c->sysmem_base, c->sysmem_kb * 1024))
		return t->sysmem + (addr - c->sysmem_base);
	if (in_range(addr, size, OTP_BASE, sizeof(t->otp)))
		return t->otp + (addr - OTP_BASE);
	if (in_range(addr, size, c->optbytes_base, sizeof(t->optbytes)))
		return t->optbytes + (addr - c->optbytes_base);
	return NULL;
}

enum sim_ack sim_target_mem_read(struct sim_target *t, uint32_t addr, unsigned int size, uint32_t *val)
{
	bool writable;
	uint8_t *p;
	uint32_t word;

	*val = 0;
	if (!t->cfg.powered)
		return SIM_ACK_NONE;
	enum sim_ack part_ack;
	int phys_ack;
	if (t->cfg.phys.enabled && sim_phys_mem_read(t, addr, size, val, &phys_ack))
		return (enum sim_ack)phys_ack;
	if (sim_parts_mem_read(t, addr, size, val, &part_ack))
		return part_ack;
	if (size == 4 && addr == t->cfg.dbgmcu_idcode_addr) {
		*val = t->cfg.dbgmcu_idcode;
		return SIM_ACK_OK;
	}
	p = mem_bytes(t, addr, size, &writable);
	if (p) {
		*val = get_le(p, size);
		return SIM_ACK_OK;
	}
	if (addr >= 0xE0000000 && addr < 0xE0100000) {
		ppb_read(t, addr & ~3u, &word);
		*val = word >> (8 * (addr & 3));
		if (size < 4)
			*val &= (1u << (8 * size)) - 1;
		return SIM_ACK_OK;
	}
	if (in_range(addr, size, t->cfg.flash_regs_base, 0x20)) {
		uint32_t *r = flash_reg(t, (addr - t->cfg.flash_regs_base) & ~3u);

		word = r ? *r : 0;
		*val = word >> (8 * (addr & 3));
		if (size < 4)
			*val &= (1u << (8 * size)) - 1;
		return SIM_ACK_OK;
	}
	/* other peripherals exist but are not modelled: read as zero */
	if (addr >= 0x40000000 && addr < 0x60000000)
		return SIM_ACK_OK;
	return SIM_ACK_FAULT;
}

enum sim_ack sim_target_mem_write(struct sim_target *t, uint32_t addr, unsigned int size, uint32_t val)
{
	bool writable;
	uint8_t *p;

	if (!t->cfg.powered)
		return SIM_ACK_NONE;
	if (t->cfg.phys.enabled && sim_phys_mem_write(t, addr, size, val))
		return SIM_ACK_OK;
	p = mem_bytes(t, addr, size, &writable);
	if (p) {
		if (!writable)
			return SIM_ACK_FAULT;	/* flash is read-only here: no programming model */
		for (unsigned int i = 0; i < size; i++)
			p[i] = val >> (8 * i);
		return SIM_ACK_OK;
	}
	if (addr >= 0xE0000000 && addr < 0xE0100000) {
		if (size != 4) {
			/* sub-word writes to debug registers: merge into the current value */
			uint32_t old, shift = 8 * (addr & 3), mask = ((1u << (8 * size)) - 1) << shift;

			/* DHCSR reads have side effects and DCRSR is write-only: don't read them back */
			if ((addr & ~3u) == DHCSR)
				old = DBGKEY | t->dhcsr_ctrl;
			else if ((addr & ~3u) == DCRSR)
				old = 0;
			else
				ppb_read(t, addr & ~3u, &old);
			val = (old & ~mask) | ((val << shift) & mask);
		}
		ppb_write(t, addr & ~3u, val);
		return SIM_ACK_OK;
	}
	if (in_range(addr, size, t->cfg.flash_regs_base, 0x20)) {
		uint32_t off = (addr - t->cfg.flash_regs_base) & ~3u;

		/* only ACR is writable: keys are accepted and forgotten, CR/OPTCR stay locked */
		if (off == 0x00)
			t->flash_acr = val & 0x1F07;
		return SIM_ACK_OK;
	}
	if (addr >= 0x40000000 && addr < 0x60000000)
		return SIM_ACK_OK;
	return SIM_ACK_FAULT;
}

/* ---- SW-DP and MEM-AP ---- */

enum sim_ack sim_target_dp_read(struct sim_target *t, uint16_t reg, uint32_t *val)
{
	*val = 0;
	if (!t->cfg.powered)
		return SIM_ACK_NONE;
	if ((reg & 0xF0) && (reg & 0xF) != 4)
		return SIM_ACK_OK;	/* DPv1: no banked registers, read as zero */
	switch (reg & 0xF) {
	case 0x0:
		*val = t->cfg.dpidr;
		return SIM_ACK_OK;
	case 0x4:
		*val = t->dp_ctrl | t->dp_sticky;
		if (t->dp_ctrl & CSYSPWRUPREQ)
			*val |= CSYSPWRUPACK;
		if (t->dp_ctrl & CDBGPWRUPREQ)
			*val |= CDBGPWRUPACK;
		if (t->dp_ctrl & CDBGRSTREQ)
			*val |= CDBGRSTACK;
		return SIM_ACK_OK;
	case 0x8:
		/* RESEND on SWD; answer like a sticky-error-aware DP would */
		if (t->dp_sticky & STICKYERR)
			return SIM_ACK_FAULT;
		*val = t->dp_rdbuff;
		return SIM_ACK_OK;
	case 0xC:
		if (t->dp_sticky & STICKYERR)
			return SIM_ACK_FAULT;
		*val = t->dp_rdbuff;
		return SIM_ACK_OK;
	}
	return SIM_ACK_OK;
}

enum sim_ack sim_target_dp_write(struct sim_target *t, uint16_t reg, uint32_t val)
{
	if (!t->cfg.powered)
		return SIM_ACK_NONE;
	switch (reg & 0xF) {
	case 0x0:	/* ABORT */
		if (val & (1u << 1))
			t->dp_sticky &= ~STICKYCMP;
		if (val & (1u << 2))
			t->dp_sticky &= ~STICKYERR;
		if (val & (1u << 3))
			t->dp_sticky &= ~WDATAERR;
		if (val & (1u << 4))
			t->dp_sticky &= ~STICKYORUN;
		return SIM_ACK_OK;
	case 0x4:
		/* on SWD the sticky flags are read-only in CTRL/STAT; JTAG clears them here (W1C) */
		t->dp_sticky &= ~(val & (STICKYERR | STICKYCMP | STICKYORUN));
		t->dp_ctrl = val & CTRL_WRITABLE;
		return SIM_ACK_OK;
	case 0x8:
		if (t->dp_sticky & STICKYERR)
			return SIM_ACK_FAULT;
		t->dp_select = val;
		return SIM_ACK_OK;
	default:
		return SIM_ACK_OK;
	}
}

static unsigned int csw_size(uint32_t csw)
{
	switch (csw & 7) {
	case 0: return 1;
	case 1: return 2;
	default: return 4;
	}
}

static void tar_increment(struct sim_target *t, unsigned int size)
{
	/* auto-increment only wraps within a 1 KiB block, as ADIv5 allows */
	if ((t->ap_csw >> 4) & 3)
		t->ap_tar = (t->ap_tar & ~0x3FFu) | ((t->ap_tar + size) & 0x3FF);
}

static enum sim_ack ap_bus_fault(struct sim_target *t)
{
	t->dp_sticky |= STICKYERR;
	return SIM_ACK_FAULT;
}

enum sim_ack sim_target_ap_read(struct sim_target *t, unsigned int ap, uint16_t reg, uint32_t *val)
{
	enum sim_ack ack = SIM_ACK_OK;
	uint32_t v = 0;

	*val = 0;
	if (!t->cfg.powered)
		return SIM_ACK_NONE;
	if (t->dp_sticky & STICKYERR)
		return SIM_ACK_FAULT;
	if (ap != 0) {
		t->dp_rdbuff = 0;	/* no such AP: everything reads as zero, IDR included */
		return SIM_ACK_OK;
	}
	switch (reg & 0xFC) {
	case 0x00:
		v = t->ap_csw | (1u << 6);	/* DeviceEn */
		break;
	case 0x04:
		v = t->ap_tar;
		break;
	case 0x0C: {
		unsigned int size = csw_size(t->ap_csw);
		uint32_t addr = t->ap_tar & ~(size - 1);

		ack = sim_target_mem_read(t, addr, size, &v);
		if (ack == SIM_ACK_FAULT)
			return ap_bus_fault(t);
		v <<= 8 * (addr & 3);	/* byte lanes */
		tar_increment(t, size);
		break;
	}
	case 0x10: case 0x14: case 0x18: case 0x1C:
		ack = sim_target_mem_read(t, (t->ap_tar & ~0xFu) | (reg & 0xC), 4, &v);
		if (ack == SIM_ACK_FAULT)
			return ap_bus_fault(t);
		break;
	case 0xF4:
		v = 0;		/* CFG: little-endian, no large data/address */
		break;
	case 0xF8:
		v = 0xE00FF003;	/* BASE: ROM table present, ADIv5 format */
		break;
	case 0xFC:
		v = t->cfg.ap_idr;
		break;
	default:
		break;
	}
	*val = v;
	t->dp_rdbuff = v;
	return ack;
}

enum sim_ack sim_target_ap_write(struct sim_target *t, unsigned int ap, uint16_t reg, uint32_t val)
{
	enum sim_ack ack = SIM_ACK_OK;

	if (!t->cfg.powered)
		return SIM_ACK_NONE;
	if (t->dp_sticky & STICKYERR)
		return SIM_ACK_FAULT;
	if (ap != 0)
		return SIM_ACK_OK;
	switch (reg & 0xFC) {
	case 0x00:
		t->ap_csw = val & 0xFF00FF37;
		break;
	case 0x04:
		t->ap_tar = val;
		break;
	case 0x0C: {
		unsigned int size = csw_size(t->ap_csw);
		uint32_t addr = t->ap_tar & ~(size - 1);
		uint32_t data = val >> (8 * (addr & 3));

		if (size < 4)
			data &= (1u << (8 * size)) - 1;
		ack = sim_target_mem_write(t, addr, size, data);
		if (ack == SIM_ACK_FAULT)
			return ap_bus_fault(t);
		tar_increment(t, size);
		break;
	}
	case 0x10: case 0x14: case 0x18: case 0x1C:
		ack = sim_target_mem_write(t, (t->ap_tar & ~0xFu) | (reg & 0xC), 4, val);
		if (ack == SIM_ACK_FAULT)
			return ap_bus_fault(t);
		break;
	default:
		break;
	}
	return ack;
}
