// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * STM32 part models. IDs, addresses and option-register layouts from the
 * reference manuals (DBGMCU_IDCODE, flash size, system memory, option bytes
 * and boot sections of RM0360/RM0091, RM0008, RM0090, RM0385, RM0376, RM0351,
 * RM0444, RM0440, RM0433, RM0456, RM0434), the DEV_IDs of OpenOCD 0.12.0's
 * src/flash/nor/stm32*.c, and the CKS32 clone's DPIDR from
 * TeXitoi/blue-pill-quickstart#9. Reset values of the option registers with
 * RDP level 0 and software watchdogs: CMSIS/RM register maps.
 */
#include "sim_parts.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "sim_log.h"

enum rdp_kind { RDP_BYTE, RDP_F1_BIT, RDP_F0_BITS };

struct sim_part {
	const char *model;
	const char *part;
	uint32_t dpidr, cpuid, idcode, idcode_addr;
	uint32_t flash_kb, flash_size_reg, sram_kb, sysmem_base, sysmem_kb;
	uint32_t uid_addr;
	bool alias;			/* boot memory aliased at 0x00000000 */
	uint32_t opt_reg, opt_value;	/* live option register at level 0 */
	enum rdp_kind rdp_kind;
	uint8_t rdp_shift;
	uint8_t wdg_bit;		/* WDG_SW / IWDG_SW: 0 = hardware watchdog */
	uint32_t wrp_reg;		/* separate write-protection register (all ones = none), 0 none */
	uint32_t sysmem_clear;		/* option bits cleared to select system memory (nBOOT0, nSWBOOT0) */
	uint32_t boot_reg, boot_flash, boot_sysmem;	/* boot-address register values (F7, H7, U5) */
};

static const struct sim_part parts[] = {
	{ .model = "f0", .part = "STM32F072RB", .dpidr = 0x0BB11477, .cpuid = 0x410CC200, .idcode = 0x20006448,
		.idcode_addr = 0x40015800, .flash_kb = 128, .flash_size_reg = 0x1FFFF7CC, .sram_kb = 16,
		.sysmem_base = 0x1FFFC800, .sysmem_kb = 12, .uid_addr = 0x1FFFF7AC, .alias = true,
		.opt_reg = 0x4002201C, .opt_value = 0xFFFFFF00, .rdp_kind = RDP_F0_BITS, .rdp_shift = 1, .wdg_bit = 8,
		.wrp_reg = 0x40022020 },
	{ .model = "f1", .part = "STM32F103C8", .dpidr = 0x1BA01477, .cpuid = 0x411FC231, .idcode = 0x20036410,
		.idcode_addr = 0xE0042000, .flash_kb = 64, .flash_size_reg = 0x1FFFF7E0, .sram_kb = 20,
		.sysmem_base = 0x1FFFF000, .sysmem_kb = 2, .uid_addr = 0x1FFFF7E8, .alias = true,
		.opt_reg = 0x4002201C, .opt_value = 0x03FFFFFC, .rdp_kind = RDP_F1_BIT, .rdp_shift = 1, .wdg_bit = 2,
		.wrp_reg = 0x40022020 },
	/* §9: same DEV_ID/REV_ID as a genuine F103 rev Y, DPIDR 0x2BA01477 */
	{ .model = "cks32f103", .part = "CKS32F103C8", .dpidr = 0x2BA01477, .cpuid = 0x411FC231,
		.idcode = 0x20036410, .idcode_addr = 0xE0042000, .flash_kb = 64, .flash_size_reg = 0x1FFFF7E0,
		.sram_kb = 20, .sysmem_base = 0x1FFFF000, .sysmem_kb = 2, .uid_addr = 0x1FFFF7E8, .alias = true,
		.opt_reg = 0x4002201C, .opt_value = 0x03FFFFFC, .rdp_kind = RDP_F1_BIT, .rdp_shift = 1, .wdg_bit = 2,
		.wrp_reg = 0x40022020 },
	{ .model = "f4", .part = "STM32F407VG", .dpidr = 0x2BA01477, .cpuid = 0x410FC241, .idcode = 0x10076413,
		.idcode_addr = 0xE0042000, .flash_kb = 1024, .flash_size_reg = 0x1FFF7A22, .sram_kb = 128,
		.sysmem_base = 0x1FFF0000, .sysmem_kb = 30, .uid_addr = 0x1FFF7A10, .alias = true,
		.opt_reg = 0x40023C14, .opt_value = 0x0FFFAAED, .rdp_shift = 8, .wdg_bit = 5 },
	{ .model = "f7", .part = "STM32F746NG", .dpidr = 0x5BA02477, .cpuid = 0x411FC270, .idcode = 0x10016449,
		.idcode_addr = 0xE0042000, .flash_kb = 1024, .flash_size_reg = 0x1FF0F442, .sram_kb = 320,
		.sysmem_base = 0x1FF00000, .sysmem_kb = 60, .uid_addr = 0x1FF0F420,
		.opt_reg = 0x40023C14, .opt_value = 0xC0FFAAFD, .rdp_shift = 8, .wdg_bit = 5,
		/* OPTCR1: BOOT_ADD0 [15:0], BOOT_ADD1 [31:16], address = value << 14 */
		.boot_reg = 0x40023C18, .boot_flash = 0x00400080, .boot_sysmem = 0x00400040 },
	{ .model = "l0", .part = "STM32L073RZ", .dpidr = 0x0BC11477, .cpuid = 0x410CC601, .idcode = 0x20086447,
		.idcode_addr = 0x40015800, .flash_kb = 192, .flash_size_reg = 0x1FF8007C, .sram_kb = 20,
		.sysmem_base = 0x1FF00000, .sysmem_kb = 8, .uid_addr = 0x1FF80050, .alias = true,
		.opt_reg = 0x4002201C, .opt_value = 0x807000AA, .wdg_bit = 20 },
	{ .model = "l4", .part = "STM32L476RG", .dpidr = 0x2BA01477, .cpuid = 0x410FC241, .idcode = 0x10076415,
		.idcode_addr = 0xE0042000, .flash_kb = 1024, .flash_size_reg = 0x1FFF75E0, .sram_kb = 96,
		.sysmem_base = 0x1FFF0000, .sysmem_kb = 28, .uid_addr = 0x1FFF7590, .alias = true,
		.opt_reg = 0x40022020, .opt_value = 0xFFEFF8AA, .wdg_bit = 16, .sysmem_clear = (1u << 26) | (1u << 27) },
	{ .model = "g0", .part = "STM32G071RB", .dpidr = 0x0BC11477, .cpuid = 0x410CC601, .idcode = 0x20006460,
		.idcode_addr = 0x40015800, .flash_kb = 128, .flash_size_reg = 0x1FFF75E0, .sram_kb = 36,
		.sysmem_base = 0x1FFF0000, .sysmem_kb = 28, .uid_addr = 0x1FFF7590, .alias = true,
		.opt_reg = 0x40022020, .opt_value = 0xFFFFFEAA, .wdg_bit = 16, .sysmem_clear = 1u << 26 },
	{ .model = "g4", .part = "STM32G474RE", .dpidr = 0x2BA01477, .cpuid = 0x410FC241, .idcode = 0x10006469,
		.idcode_addr = 0xE0042000, .flash_kb = 512, .flash_size_reg = 0x1FFF75E0, .sram_kb = 128,
		.sysmem_base = 0x1FFF0000, .sysmem_kb = 28, .uid_addr = 0x1FFF7590, .alias = true,
		.opt_reg = 0x40022020, .opt_value = 0xFFEFF8AA, .wdg_bit = 16, .sysmem_clear = (1u << 26) | (1u << 27) },
	{ .model = "h7", .part = "STM32H743ZI", .dpidr = 0x6BA02477, .cpuid = 0x411FC272, .idcode = 0x20036450,
		.idcode_addr = 0x5C001000, .flash_kb = 2048, .flash_size_reg = 0x1FF1E880, .sram_kb = 128,
		.sysmem_base = 0x1FF00000, .sysmem_kb = 128, .uid_addr = 0x1FF1E800,
		.opt_reg = 0x5200201C, .opt_value = 0x0386AAF0, .rdp_shift = 8, .wdg_bit = 4,
		/* FLASH_BOOT_CUR: BOOT_ADD0 [15:0], BOOT_ADD1 [31:16], address = value << 16 */
		.boot_reg = 0x52002040, .boot_flash = 0x1FF00800, .boot_sysmem = 0x1FF01FF0 },
	{ .model = "u5", .part = "STM32U575ZI", .dpidr = 0x0BE12477, .cpuid = 0x410FD214, .idcode = 0x20016482,
		.idcode_addr = 0xE0044000, .flash_kb = 2048, .flash_size_reg = 0x0BFA07A0, .sram_kb = 768,
		.sysmem_base = 0x0BF90000, .sysmem_kb = 64, .uid_addr = 0x0BFA0700,
		.opt_reg = 0x40022040, .opt_value = 0x1FEFF8AA, .wdg_bit = 16, .sysmem_clear = (1u << 26) | (1u << 27),
		/* NSBOOTADD0R: address [31:7] */
		.boot_reg = 0x40022044, .boot_flash = 0x08000000, .boot_sysmem = 0x08000000 },
	{ .model = "wb", .part = "STM32WB55RG", .dpidr = 0x6BA02477, .cpuid = 0x410FC241, .idcode = 0x20016495,
		.idcode_addr = 0xE0042000, .flash_kb = 1024, .flash_size_reg = 0x1FFF75E0, .sram_kb = 256,
		.sysmem_base = 0x1FFF0000, .sysmem_kb = 28, .uid_addr = 0x1FFF7590, .alias = true,
		.opt_reg = 0x58004020, .opt_value = 0xFFEFF8AA, .wdg_bit = 16, .sysmem_clear = (1u << 26) | (1u << 27) },
};

#define N_PARTS (sizeof(parts) / sizeof(parts[0]))

static const struct sim_part *find(const char *model)
{
	for (size_t i = 0; model && model[0] && i < N_PARTS; i++)
		if (!strcmp(parts[i].model, model))
			return &parts[i];
	return NULL;
}

const char *sim_parts_names(void)
{
	return "f0, f1, cks32f103, f4, f7, l0, l4, g0, g4, h7, u5, wb";
}

int sim_parts_defaults(struct sim_target_config *cfg, const char *model)
{
	const struct sim_part *p = find(model);

	if (!p)
		return -1;
	snprintf(cfg->model, sizeof(cfg->model), "%s", p->model);
	snprintf(cfg->part, sizeof(cfg->part), "%s", p->part);
	cfg->dpidr = p->dpidr;
	cfg->cpuid = p->cpuid;
	cfg->dbgmcu_idcode = p->idcode;
	cfg->dbgmcu_idcode_addr = p->idcode_addr;
	cfg->flash_base = 0x08000000;
	cfg->flash_kb = p->flash_kb;
	cfg->flash_size_reg = p->flash_size_reg;
	cfg->sram_base = 0x20000000;
	cfg->sram_kb = p->sram_kb;
	cfg->sysmem_base = p->sysmem_base;
	cfg->sysmem_kb = p->sysmem_kb;
	cfg->initial_sp = 0x20000000 + p->sram_kb * 1024;
	return 0;
}

void sim_parts_init(struct sim_target *t)
{
	if (!find(t->cfg.model))
		return;
	if (t->cfg.empty_flash)
		memset(t->flash, 0xFF, (size_t)t->cfg.flash_kb * 1024);
	/* RDP level 2 (RM0090 §3.7.3, RM0351 §3.5.1): the debug port is off for good, also under reset; the probe
	 * gets no SW-DP answer. Modelled with the "no SWD answer" path of an unpowered target,
	 * the measured voltage stays. */
	if (t->cfg.rdp_level == 2) {
		t->cfg.powered = false;
		sim_log("TARGET RDP level 2: debug port disabled");
	}
}

static uint32_t opt_value(const struct sim_part *p, const struct sim_target_config *c)
{
	uint32_t v = p->opt_value;

	switch (p->rdp_kind) {
	case RDP_F1_BIT:
		if (c->rdp_level)
			v |= 1u << p->rdp_shift;
		break;
	case RDP_F0_BITS:
		if (c->rdp_level >= 1)
			v |= 1u << p->rdp_shift;
		if (c->rdp_level >= 2)
			v |= 2u << p->rdp_shift;
		break;
	case RDP_BYTE:
	default:
		v &= ~(0xFFu << p->rdp_shift);
		v |= (uint32_t)(c->rdp_level == 0 ? 0xAA : c->rdp_level == 1 ? 0xBB : 0xCC) << p->rdp_shift;
		break;
	}
	if (c->hw_watchdog)
		v &= ~(1u << p->wdg_bit);
	if (!strcmp(c->boot, "sysmem"))
		v &= ~p->sysmem_clear;
	return v;
}

/* the 32-bit word at a word-aligned address, when the model owns it */
static bool word(struct sim_target *t, const struct sim_part *p, uint32_t a, uint32_t *w, enum sim_ack *ack)
{
	const struct sim_target_config *c = &t->cfg;
	bool sysmem_boot = !strcmp(c->boot, "sysmem");

	*ack = SIM_ACK_OK;
	if (a == p->opt_reg) {
		*w = opt_value(p, c);
		return true;
	}
	if (p->wrp_reg && a == p->wrp_reg) {
		*w = 0xFFFFFFFF;
		return true;
	}
	if (p->boot_reg && a == p->boot_reg) {
		*w = sysmem_boot ? p->boot_sysmem : p->boot_flash;
		return true;
	}
	if (a == (p->flash_size_reg & ~3u)) {
		*w = (p->flash_size_reg & 2) ? (uint32_t)c->flash_kb << 16 | 0xFFFF : 0xFFFF0000 | c->flash_kb;
		return true;
	}
	if (a >= p->uid_addr && a < p->uid_addr + 12) {
		static const uint32_t uid[3] = { 0x00360025, 0x3236470D, 0x38383735 };
		*w = uid[(a - p->uid_addr) / 4];
		return true;
	}
	/* level 1 (RM0090 §3.7.3): any debugger read of main flash is a bus error */
	if (c->rdp_level >= 1 && a >= c->flash_base && a < c->flash_base + c->flash_kb * 1024) {
		*ack = SIM_ACK_FAULT;
		return true;
	}
	if (a < c->flash_kb * 1024) {
		if (!p->alias) {
			*w = 0;		/* ITCM RAM (F7/H7) or nothing: never the boot memory */
			return true;
		}
		if (sysmem_boot) {
			*w = 0xFFFFFFFF;
			if (a < c->sysmem_kb * 1024)
				memcpy(w, t->sysmem + a, 4);
			return true;
		}
		if (c->rdp_level >= 1) {
			*ack = SIM_ACK_FAULT;	/* flash aliased at 0 faults like flash */
			return true;
		}
	}
	return false;
}

bool sim_parts_mem_read(struct sim_target *t, uint32_t addr, unsigned int size, uint32_t *val, enum sim_ack *ack)
{
	const struct sim_part *p = find(t->cfg.model);
	uint32_t w = 0;

	if (!p || !word(t, p, addr & ~3u, &w, ack))
		return false;
	if (*ack != SIM_ACK_OK) {
		*val = 0;
		return true;
	}
	w >>= 8 * (addr & 3);
	*val = size < 4 ? w & ((1u << (8 * size)) - 1) : w;
	return true;
}
