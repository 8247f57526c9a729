// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * STM32 families, option-byte layouts and RDP meanings. See
 * stlink_diag_stm32.h for the sources; the DEV_ID rows are generated into
 * stlink_diag_stm32_devid.c.
 */

#include <string.h>

#include "stlink_diag_array.h"
#include "stlink_diag_stm32.h"

/* ---- DEV_ID lookup ---- */

const struct stlink_diag_stm32_part *stlink_diag_stm32_part_lookup(uint16_t dev_id)
{
	for (size_t i = 0; i < stlink_diag_stm32_parts_size; i++)
		if (stlink_diag_stm32_parts[i].dev_id == dev_id)
			return &stlink_diag_stm32_parts[i];
	return NULL;
}

const char *stlink_diag_stm32_rev_name(const struct stlink_diag_stm32_part *p, uint16_t rev_id)
{
	if (!p || !p->revs)
		return NULL;
	for (const struct stlink_diag_stm32_rev *r = p->revs; r->name; r++)
		if (r->rev_id == rev_id)
			return r->name;
	return NULL;
}

#define CPUID_CORTEX_M0  0xC20
#define CPUID_CORTEX_M0P 0xC60
#define CPUID_CORTEX_M4  0xC24
#define CPUID_CORTEX_M7  0xC27
#define CPUID_CORTEX_M33 0xD21

uint16_t stlink_diag_stm32_effective_dev_id(uint32_t idcode, uint16_t cpuid_partno)
{
	uint16_t dev_id = idcode & 0xfff;

	/* STM32F40x/41x rev A report the F2 DEV_ID 0x411 (OpenOCD src/flash/nor/stm32f2x.c, stm32x_probe) */
	if (dev_id == 0x411 && cpuid_partno == CPUID_CORTEX_M4)
		return 0x413;
	return dev_id;
}

bool stlink_diag_stm32_dev_id_plausible(uint32_t idcode)
{
	uint16_t dev_id = idcode & 0xfff;

	return dev_id != 0 && dev_id != 0xfff;
}

/* OpenOCD's probing order for DBGMCU_IDCODE (src/flash/nor/stm32*.c get_device_id) */
static const uint32_t idcode_openocd_order[] = { 0xE0042000, 0xE0044000, 0x40015800 };

/* "Cortex-M4F (+Cortex-M0+ CPU2 on AP1)" is a Cortex-M4 */
static bool part_has_core(const struct stlink_diag_stm32_part *p, const char *core)
{
	size_t n = strlen(core);

	if (!p->core || strncmp(p->core, core, n))
		return false;
	const char *rest = p->core + n;
	if (*rest == 'F')
		rest++;
	return *rest == '\0' || *rest == ' ';
}

static size_t add_unique(uint32_t *out, size_t n, size_t max, uint32_t addr)
{
	for (size_t i = 0; i < n; i++)
		if (out[i] == addr)
			return n;
	if (n < max)
		out[n++] = addr;
	return n;
}

size_t stlink_diag_stm32_idcode_candidates(const char *core, uint32_t *out, size_t max)
{
	size_t n = 0;

	if (!out || !max)
		return 0;
	for (size_t i = 0; core && i < stlink_diag_stm32_parts_size; i++)
		if (part_has_core(&stlink_diag_stm32_parts[i], core))
			n = add_unique(out, n, max, stlink_diag_stm32_parts[i].idcode_addr);
	for (size_t i = 0; i < ARRAY_LEN(idcode_openocd_order); i++)
		n = add_unique(out, n, max, idcode_openocd_order[i]);
	for (size_t i = 0; i < stlink_diag_stm32_parts_size; i++)
		n = add_unique(out, n, max, stlink_diag_stm32_parts[i].idcode_addr);
	return n;
}

/* ---- families ---- */

/*
 * Boot selection and fixes: each family's reference manual (the rm field), boot configuration section; boot-mode registers and
 * their clock enables: §5.2 (TSV bootmode_status_reg), only where the
 * reference gives both addresses. UID_BASE: CMSIS device headers (not in
 * the reference).
 */
const struct stlink_diag_stm32_family stlink_diag_stm32_families[] = {
	{ .family = "F0", .boot_alias = true, .flash_base = 0x08000000, .sram_base = 0x20000000,
		.uid_addr = 0x1FFFF7AC,
		.boot_select = "BOOT0 pin + nBOOT1 option bit (F04x/F09x: also nBOOT0 and BOOT_SEL, and the empty check)",
		.boot_fix = "tie BOOT0 low (10k to GND) for user flash; on F04x/F09x check BOOT_SEL/nBOOT0 "
			"(stm32f1x options_read 0)",
		.bootmode_reg = 0x40010000, .bootmode_shift = 0, .bootmode_width = 2,
		.bootmode_clock_reg = 0x40021018, .bootmode_clock_bit = 0, .rm = "RM0091" },
	{ .family = "F1", .boot_alias = true, .flash_base = 0x08000000, .sram_base = 0x20000000,
		.uid_addr = 0x1FFFF7E8,
		.boot_select = "BOOT0 pin + BOOT1 pin (PB2)",
		.boot_fix = "tie BOOT0 low (10k to GND) for user flash; BOOT0 high and BOOT1 (PB2) low selects the "
			"ROM bootloader", .rm = "RM0008" },
	{ .family = "F2", .boot_alias = true, .flash_base = 0x08000000, .sram_base = 0x20000000,
		.uid_addr = 0x1FFF7A10,
		.boot_select = "BOOT0 pin + BOOT1 pin (PB2)",
		.boot_fix = "tie BOOT0 low (10k to GND) for user flash",
		.bootmode_reg = 0x40013800, .bootmode_shift = 0, .bootmode_width = 2,
		.bootmode_clock_reg = 0x40023844, .bootmode_clock_bit = 14, .rm = "PM0059/RM0033" },
	{ .family = "F3", .boot_alias = true, .flash_base = 0x08000000, .sram_base = 0x20000000,
		.uid_addr = 0x1FFFF7AC,
		.boot_select = "BOOT0 pin + nBOOT1 option bit (OBR bit 12)",
		.boot_fix = "tie BOOT0 low (10k to GND) for user flash", .rm = "RM0365" },
	{ .family = "F4", .boot_alias = true, .flash_base = 0x08000000, .sram_base = 0x20000000,
		.uid_addr = 0x1FFF7A10,
		.boot_select = "BOOT0 pin + BOOT1 pin (PB2)",
		.boot_fix = "tie BOOT0 low (10k to GND) for user flash",
		.bootmode_reg = 0x40013800, .bootmode_shift = 0, .bootmode_width = 3,
		.bootmode_clock_reg = 0x40023844, .bootmode_clock_bit = 14, .rm = "RM0090" },
	{ .family = "F7", .boot_alias = false, .flash_base = 0x08000000, .sram_base = 0x20000000,
		.uid_addr = 0x1FF0F420,
		.boot_select = "BOOT0 pin picks BOOT_ADD0 (BOOT0 low) or BOOT_ADD1 (BOOT0 high) from FLASH_OPTCR1",
		.boot_fix = "tie BOOT0 low and set BOOT_ADD0 to 0x2000 (0x08000000, AXIM flash) or 0x0080 (ITCM flash): "
			"stm32f2x options_write / optcr2_write",
		.boot_add_reg = 0x40023C18, .boot_add0_shift = 0, .boot_add1_shift = 16, .boot_add_width = 16,
		.boot_add_lsl = 14 },
	{ .family = "G0", .boot_alias = true, .flash_base = 0x08000000, .sram_base = 0x20000000,
		.uid_addr = 0x1FFF7590,
		.boot_select = "nBOOT_SEL: 0 = PA14-BOOT0 pin (shared with SWCLK), 1 = nBOOT0 option bit; "
			"nBOOT1 picks system memory or SRAM; empty check",
		.boot_fix = "for user flash set nBOOT0 = 1 (with nBOOT_SEL = 1) or nBOOT_SEL = 0 with BOOT0 low: "
			"stm32l4x option_write 0 0x20 ...; flash a program (the empty check boots the ROM bootloader)",
		.rm = "RM0444" },
	{ .family = "G4", .boot_alias = true, .flash_base = 0x08000000, .sram_base = 0x20000000,
		.uid_addr = 0x1FFF7590,
		.boot_select = "PB8-BOOT0 pin if nSWBOOT0 = 1, else the nBOOT0 option bit; nBOOT1",
		.boot_fix = "tie BOOT0 (PB8) low, or set nSWBOOT0 = 0 with nBOOT0 = 1", .rm = "RM0440" },
	{ .family = "H7", .boot_alias = false, .flash_base = 0x08000000, .sram_base = 0x20000000,
		.uid_addr = 0x1FF1E800,
		.boot_select = "BOOT pin picks BOOT_ADD0 (low) or BOOT_ADD1 (high) from FLASH_BOOT_CUR",
		.boot_fix = "tie BOOT0 low and set BOOT_ADD0 to 0x0800 (0x08000000): stm32h7x option_write",
		.boot_add_reg = 0x52002040, .boot_add0_shift = 0, .boot_add1_shift = 16, .boot_add_width = 16,
		.boot_add_lsl = 16 },
	{ .family = "L0", .boot_alias = true, .flash_base = 0x08000000, .sram_base = 0x20000000,
		.uid_addr = 0x1FF80050,
		.boot_select = "BOOT0 pin + BOOT1 option bit (FLASH_OPTR bit 31); empty check on L01x/L02x",
		.boot_fix = "tie BOOT0 low (10k to GND) for user flash",
		.bootmode_reg = 0x40010000, .bootmode_shift = 8, .bootmode_width = 2,
		.bootmode_clock_reg = 0x40021034, .bootmode_clock_bit = 0, .rm = "RM0367" },
	{ .family = "L1", .boot_alias = true, .flash_base = 0x08000000, .sram_base = 0x20000000,
		.uid_addr = 0x1FF800D0,
		.boot_select = "BOOT0 pin + BOOT1 pin",
		.boot_fix = "tie BOOT0 low (10k to GND) for user flash",
		.bootmode_reg = 0x40010000, .bootmode_shift = 8, .bootmode_width = 2,
		.bootmode_clock_reg = 0x40023820, .bootmode_clock_bit = 0 },
	{ .family = "L4", .boot_alias = true, .flash_base = 0x08000000, .sram_base = 0x20000000,
		.uid_addr = 0x1FFF7590,
		.boot_select = "PH3-BOOT0 pin if nSWBOOT0 = 1, else the nBOOT0 option bit; nBOOT1; empty check",
		.boot_fix = "tie BOOT0 (PH3) low, or set nSWBOOT0 = 0 with nBOOT0 = 1" },
	{ .family = "L4+", .boot_alias = true, .flash_base = 0x08000000, .sram_base = 0x20000000,
		.uid_addr = 0x1FFF7590,
		.boot_select = "PH3-BOOT0 pin if nSWBOOT0 = 1, else the nBOOT0 option bit; nBOOT1; empty check",
		.boot_fix = "tie BOOT0 (PH3) low, or set nSWBOOT0 = 0 with nBOOT0 = 1", .rm = "RM0432" },
	{ .family = "L5", .boot_alias = false, .flash_base = 0x08000000, .sram_base = 0x20000000,
		.uid_addr = 0x0BFA0590,
		.boot_select = "BOOT0 pin or nBOOT0 (nSWBOOT0) picks NSBOOTADD0R/NSBOOTADD1R (TZEN = 0)",
		.boot_fix = "tie BOOT0 low, or set nSWBOOT0 = 0 with nBOOT0 = 1; NSBOOTADD0 = 0x08000000",
		.boot_add_reg = 0x40022044, .boot_add0_shift = 7, .boot_add_width = 25, .boot_add_lsl = 7 },
	{ .family = "U5", .boot_alias = false, .flash_base = 0x08000000, .sram_base = 0x20000000,
		.uid_addr = 0x0BFA0700,
		.boot_select = "BOOT0 pin or nBOOT0 (nSWBOOT0) picks NSBOOTADD0R/NSBOOTADD1R (TZEN = 0)",
		.boot_fix = "tie BOOT0 low, or set nSWBOOT0 = 0 with nBOOT0 = 1; NSBOOTADD0 = 0x08000000",
		.boot_add_reg = 0x40022044, .boot_add0_shift = 7, .boot_add_width = 25, .boot_add_lsl = 7 },
	{ .family = "WB", .boot_alias = true, .flash_base = 0x08000000, .sram_base = 0x20000000,
		.uid_addr = 0x1FFF7590,
		.boot_select = "BOOT0 pin if nSWBOOT0 = 1, else the nBOOT0 option bit; nBOOT1; empty check",
		.boot_fix = "tie BOOT0 low, or set nSWBOOT0 = 0 with nBOOT0 = 1" },
	{ .family = "WL", .boot_alias = true, .flash_base = 0x08000000, .sram_base = 0x20000000,
		.uid_addr = 0x1FFF7590,
		.boot_select = "BOOT0 pin if nSWBOOT0 = 1, else the nBOOT0 option bit; nBOOT1; BOOT_LOCK; empty check",
		.boot_fix = "tie BOOT0 low, or set nSWBOOT0 = 0 with nBOOT0 = 1", .rm = "RM0453" },
	{ .family = "C0", .boot_alias = true, .flash_base = 0x08000000, .sram_base = 0x20000000,
		.boot_select = "nBOOT_SEL: 0 = PA14-BOOT0 pin (shared with SWCLK), 1 = nBOOT0 option bit; empty check",
		.boot_fix = "set nBOOT0 = 1 (with nBOOT_SEL = 1), or nBOOT_SEL = 0 with BOOT0 low" },
	{ .family = "U0", .boot_alias = true, .flash_base = 0x08000000, .sram_base = 0x20000000,
		.boot_select = "not in the reference", .boot_fix = "see the reference manual's boot section" },
	{ .family = "H5", .boot_alias = false, .flash_base = 0x08000000, .sram_base = 0x20000000,
		.boot_select = "not in the reference", .boot_fix = "see the reference manual's boot section" },
	{ .family = "WBA", .boot_alias = false, .flash_base = 0x08000000, .sram_base = 0x20000000,
		.boot_select = "not in the reference", .boot_fix = "see the reference manual's boot section" },
};

const size_t stlink_diag_stm32_families_size = ARRAY_LEN(stlink_diag_stm32_families);

const struct stlink_diag_stm32_family *stlink_diag_stm32_family_lookup(const char *family)
{
	for (size_t i = 0; family && i < stlink_diag_stm32_families_size; i++)
		if (!strcmp(stlink_diag_stm32_families[i].family, family))
			return &stlink_diag_stm32_families[i];
	return NULL;
}

/* MEM_MODE (F0/F2/F4) and BOOT_MODE (L0/L1) encodings: RM0091 SYSCFG_CFGR1, RM0090 SYSCFG_MEMRMP, RM0367/RM0038 SYSCFG_CFGR1 */
static const struct {
	const char *families;
	uint32_t mode;
	const char *name;
} bootmodes[] = {
	{ "F0 F2 F4 L0 L1", 0, "user flash" },
	{ "F0 F2 F4 L0 L1", 1, "system memory" },
	{ "F2 F4", 2, "FSMC/FMC" },
	{ "F0 F2 F4 L0 L1", 3, "SRAM" },
	{ "F4", 4, "FMC SDRAM" },
};

static bool word_in(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p && (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

const char *stlink_diag_stm32_bootmode_name(const char *family, uint32_t mode)
{
	for (size_t i = 0; family && i < ARRAY_LEN(bootmodes); i++)
		if (bootmodes[i].mode == mode && word_in(bootmodes[i].families, family))
			return bootmodes[i].name;
	return NULL;
}

const char *stlink_diag_stm32_region(const struct stlink_diag_stm32_part *p, uint32_t addr)
{
	/* the memory maps of the reference manuals: 0x08xxxxxx flash, 0x1FFxxxxx / 0x0BF8-0x0BF9xxxx system memory, 0x2xxxxxxx SRAM */
	if (addr >= 0x08000000 && addr < 0x09000000)
		return "user flash";
	if (addr >= 0x00200000 && addr < 0x00400000 && p && !strcmp(p->family, "F7"))
		return "user flash";	/* F7 flash on ITCM */
	if ((addr >= 0x1FF00000 && addr < 0x20000000) || (addr >= 0x0BF80000 && addr < 0x0BFA0000))
		return "system memory";
	if (addr >= 0x00100000 && addr < 0x00200000 && p && !strcmp(p->family, "F7"))
		return "system memory";	/* F7 system memory on ITCM */
	if (addr >= 0x20000000 && addr < 0x40000000)
		return "SRAM";
	return NULL;
}

/* ---- option-byte layouts ---- */

#define FW(n, b, s, m) { .name = n, .bit = b, .kind = STLINK_DIAG_OPT_FIRMWARE, .surprise = s, .meaning = m }
#define BOOT(n, b) { .name = n, .bit = b, .kind = STLINK_DIAG_OPT_BOOT }

#define M_HW_IWDG "hardware watchdog: the IWDG starts by itself at reset, and firmware that does not refresh it " \
	"resets the chip every few seconds"
#define M_HW_WWDG "hardware window watchdog: the WWDG starts by itself at reset"
#define M_RST_STOP "entering STOP mode resets the chip instead of stopping it"
#define M_RST_STDBY "entering STANDBY mode resets the chip"
#define M_RST_SHDW "entering SHUTDOWN mode resets the chip"
#define M_IWDG_STOP "the IWDG is frozen in STOP mode"
#define M_IWDG_STDBY "the IWDG is frozen in STANDBY mode"

/* Bit positions: CMSIS FLASH_OBR/OPTCR/OPTR masks and the reference manuals' option-byte sections. */
static const struct stlink_diag_stm32_optbit f1_bits[] = {
	FW("WDG_SW", 2, 0, M_HW_IWDG), FW("nRST_STOP", 3, 0, M_RST_STOP), FW("nRST_STDBY", 4, 0, M_RST_STDBY),
};

static const struct stlink_diag_stm32_optbit f0_bits[] = {
	FW("WDG_SW", 8, 0, M_HW_IWDG), FW("nRST_STOP", 9, 0, M_RST_STOP), FW("nRST_STDBY", 10, 0, M_RST_STDBY),
	BOOT("nBOOT0", 11), BOOT("nBOOT1", 12), BOOT("BOOT_SEL", 15),
};

static const struct stlink_diag_stm32_optbit f2_bits[] = {
	FW("WDG_SW", 5, 0, M_HW_IWDG), FW("nRST_STOP", 6, 0, M_RST_STOP), FW("nRST_STDBY", 7, 0, M_RST_STDBY),
};

static const struct stlink_diag_stm32_optbit f7_bits[] = {
	FW("WWDG_SW", 4, 0, M_HW_WWDG), FW("IWDG_SW", 5, 0, M_HW_IWDG), FW("nRST_STOP", 6, 0, M_RST_STOP),
	FW("nRST_STDBY", 7, 0, M_RST_STDBY), FW("IWDG_STDBY", 30, 0, M_IWDG_STDBY),
	FW("IWDG_STOP", 31, 0, M_IWDG_STOP),
};

static const struct stlink_diag_stm32_optbit g0_bits[] = {
	FW("nRST_STOP", 13, 0, M_RST_STOP), FW("nRST_STDBY", 14, 0, M_RST_STDBY),
	FW("nRST_SHDW", 15, 0, M_RST_SHDW), FW("IWDG_SW", 16, 0, M_HW_IWDG), FW("IWDG_STOP", 17, 0, M_IWDG_STOP),
	FW("IWDG_STDBY", 18, 0, M_IWDG_STDBY), FW("WWDG_SW", 19, 0, M_HW_WWDG),
	BOOT("nBOOT_SEL", 24), BOOT("nBOOT1", 25), BOOT("nBOOT0", 26),
};

/* L4, L4+, G4, WB, WL: the same OPTR bits */
static const struct stlink_diag_stm32_optbit l4_bits[] = {
	FW("nRST_STOP", 12, 0, M_RST_STOP), FW("nRST_STDBY", 13, 0, M_RST_STDBY),
	FW("nRST_SHDW", 14, 0, M_RST_SHDW), FW("IWDG_SW", 16, 0, M_HW_IWDG), FW("IWDG_STOP", 17, 0, M_IWDG_STOP),
	FW("IWDG_STDBY", 18, 0, M_IWDG_STDBY), FW("WWDG_SW", 19, 0, M_HW_WWDG),
	BOOT("nBOOT1", 23), BOOT("nSWBOOT0", 26), BOOT("nBOOT0", 27),
};

static const struct stlink_diag_stm32_optbit l5_bits[] = {
	FW("nRST_STOP", 12, 0, M_RST_STOP), FW("nRST_STDBY", 13, 0, M_RST_STDBY),
	FW("nRST_SHDW", 14, 0, M_RST_SHDW), FW("IWDG_SW", 16, 0, M_HW_IWDG), FW("IWDG_STOP", 17, 0, M_IWDG_STOP),
	FW("IWDG_STDBY", 18, 0, M_IWDG_STDBY), FW("WWDG_SW", 19, 0, M_HW_WWDG),
	BOOT("nSWBOOT0", 26), BOOT("nBOOT0", 27),
};

/* L0 FLASH_OPTR and L1 FLASH_OBR: IWDG_SW, nRST_STOP, nRST_STDBY at 20..22 */
static const struct stlink_diag_stm32_optbit l0_bits[] = {
	FW("IWDG_SW", 20, 0, M_HW_IWDG), FW("nRST_STOP", 21, 0, M_RST_STOP), FW("nRST_STDBY", 22, 0, M_RST_STDBY),
	BOOT("nBOOT1", 31),
};

static const struct stlink_diag_stm32_optbit l1_bits[] = {
	FW("IWDG_SW", 20, 0, M_HW_IWDG), FW("nRST_STOP", 21, 0, M_RST_STOP), FW("nRST_STDBY", 22, 0, M_RST_STDBY),
};

static const struct stlink_diag_stm32_optbit h7_bits[] = {
	FW("IWDG1_SW", 4, 0, M_HW_IWDG), FW("NRST_STOP_D1", 6, 0, M_RST_STOP), FW("NRST_STBY_D1", 7, 0, M_RST_STDBY),
	FW("FZ_IWDG_STOP", 17, 0, M_IWDG_STOP), FW("FZ_IWDG_SDBY", 18, 0, M_IWDG_STDBY),
};

#define BITS(t) .bits = t, .n_bits = ARRAY_LEN(t)

#define REG_F1 "stm32f1x unlock 0"
#define REG_F2 "stm32f2x unlock 0"
#define REG_L4 "stm32l4x unlock 0; stm32l4x option_load 0"
#define REG_H7 "stm32h7x unlock 0"
/* OpenOCD 0.12.0's stm32lx has no option_load (master has): the power cycle loads the option bytes */
#define REG_LX "stm32lx unlock 0 (newer OpenOCD: then stm32lx option_load 0)"
#define NOTE_ERASE "mass-erases the whole flash when leaving level 1 (the firmware is gone); the core must be " \
	"halted first (reset halt); then power-cycle the board"

/* RDP registers, fields and encodings: RM0008 §2.3.14, RM0090 §3.7.3, RM0351 §3.7; regress commands: OpenOCD src/flash/nor/stm32f1x.c, stm32f2x.c, stm32l4x.c, stm32h7x.c */
const struct stlink_diag_stm32_layout stlink_diag_stm32_layouts[] = {
	{ .id = "f1_obr", .families = "F1", .reg_name = "FLASH_OBR", .reg = 0x4002201C,
		.rdp_shift = 1, .rdp_width = 1, .enc = STLINK_DIAG_RDP_F1_BIT, .tz_bit = -1,
		.wrp_reg = 0x40022020, .wrp_shift = 0, .wrp_width = 32, .wrp_active_low = true, BITS(f1_bits),
		.regress = REG_F1, .regress_note = NOTE_ERASE, .source = "RM0008; OOCD stm32f1x" },
	{ .id = "f0_obr", .families = "F0 F3", .reg_name = "FLASH_OBR", .reg = 0x4002201C,
		.rdp_shift = 1, .rdp_width = 2, .enc = STLINK_DIAG_RDP_F0_BITS, .tz_bit = -1,
		.wrp_reg = 0x40022020, .wrp_shift = 0, .wrp_width = 32, .wrp_active_low = true, BITS(f0_bits),
		.regress = REG_F1, .regress_note = NOTE_ERASE, .source = "CMSIS F0/F3 RDPRT1/RDPRT2; RM0365" },
	{ .id = "f2_optcr", .families = "F2 F4", .reg_name = "FLASH_OPTCR", .reg = 0x40023C14,
		.rdp_shift = 8, .rdp_width = 8, .enc = STLINK_DIAG_RDP_BYTE, .tz_bit = -1,
		.wrp_reg = 0x40023C14, .wrp_shift = 16, .wrp_width = 12, .wrp_active_low = true, BITS(f2_bits),
		.regress = REG_F2, .regress_note = NOTE_ERASE, .source = "PM0059/RM0090" },
	{ .id = "f7_optcr", .families = "F7", .reg_name = "FLASH_OPTCR", .reg = 0x40023C14,
		.rdp_shift = 8, .rdp_width = 8, .enc = STLINK_DIAG_RDP_BYTE, .tz_bit = -1,
		.wrp_reg = 0x40023C14, .wrp_shift = 16, .wrp_width = 8, .wrp_active_low = true, BITS(f7_bits),
		.regress = REG_F2, .regress_note = NOTE_ERASE, .source = "CMSIS F7; OOCD stm32f2x" },
	{ .id = "g0_optr", .families = "G0 C0", .reg_name = "FLASH_OPTR", .reg = 0x40022020,
		.rdp_shift = 0, .rdp_width = 8, .enc = STLINK_DIAG_RDP_BYTE, .tz_bit = -1, BITS(g0_bits),
		.regress = REG_L4, .regress_note = NOTE_ERASE, .source = "RM0444; OOCD stm32l4x" },
	{ .id = "l4_optr", .families = "G4 L4 L4+", .reg_name = "FLASH_OPTR", .reg = 0x40022020,
		.rdp_shift = 0, .rdp_width = 8, .enc = STLINK_DIAG_RDP_BYTE, .tz_bit = -1, BITS(l4_bits),
		.regress = REG_L4, .regress_note = NOTE_ERASE, .source = "RM0440/RM0432; OOCD stm32l4x" },
	{ .id = "wb_optr", .families = "WB WL", .reg_name = "FLASH_OPTR", .reg = 0x58004020,
		.rdp_shift = 0, .rdp_width = 8, .enc = STLINK_DIAG_RDP_BYTE, .tz_bit = -1, BITS(l4_bits),
		.regress = REG_L4, .regress_note = NOTE_ERASE, .source = "RM0453; OOCD stm32l4x" },
	{ .id = "l5_optr", .families = "L5 U5", .reg_name = "FLASH_OPTR", .reg = 0x40022040,
		.rdp_shift = 0, .rdp_width = 8, .enc = STLINK_DIAG_RDP_BYTE_TZ, .tz_bit = 31, BITS(l5_bits),
		.regress = REG_L4 " (with TZEN = 1: stm32l4x trustzone 0 disable)", .regress_note = NOTE_ERASE,
		.source = "HAL OB_RDP_LEVEL_0_5; OOCD stm32l4x" },
	{ .id = "l0_optr", .families = "L0", .reg_name = "FLASH_OPTR", .reg = 0x4002201C,
		.rdp_shift = 0, .rdp_width = 8, .enc = STLINK_DIAG_RDP_BYTE, .tz_bit = -1, BITS(l0_bits),
		.regress = REG_LX, .regress_note = "mass-erases the flash and the data EEPROM when leaving level 1; "
			"the core must be halted first (reset halt); then power-cycle the board",
		.source = "RM0367; OOCD stm32lx" },
	{ .id = "l1_obr", .families = "L1", .reg_name = "FLASH_OBR", .reg = 0x40023C1C,
		.rdp_shift = 0, .rdp_width = 8, .enc = STLINK_DIAG_RDP_BYTE, .tz_bit = -1, BITS(l1_bits),
		.regress = REG_LX, .regress_note = "mass-erases the flash and the data EEPROM when leaving level 1; "
			"the core must be halted first (reset halt); then power-cycle the board",
		.source = "CMSIS L1; OOCD stm32lx" },
	{ .id = "h7_optsr", .families = "H7", .reg_name = "FLASH_OPTSR_CUR", .reg = 0x5200201C,
		.rdp_shift = 8, .rdp_width = 8, .enc = STLINK_DIAG_RDP_BYTE, .tz_bit = -1, BITS(h7_bits),
		.regress = REG_H7, .regress_note = NOTE_ERASE, .source = "CMSIS H7; OOCD stm32h7x; PYO" },
};

const size_t stlink_diag_stm32_layouts_size = ARRAY_LEN(stlink_diag_stm32_layouts);

const struct stlink_diag_stm32_layout *stlink_diag_stm32_layout_lookup(const char *id)
{
	for (size_t i = 0; id && i < stlink_diag_stm32_layouts_size; i++)
		if (!strcmp(stlink_diag_stm32_layouts[i].id, id))
			return &stlink_diag_stm32_layouts[i];
	return NULL;
}

const char *stlink_diag_stm32_rdp_level(const struct stlink_diag_stm32_layout *l, uint32_t value, uint32_t *raw)
{
	if (!l)
		return NULL;
	uint32_t mask = l->rdp_width >= 32 ? UINT32_MAX : (UINT32_C(1) << l->rdp_width) - 1;
	uint32_t field = (value >> l->rdp_shift) & mask;

	if (raw)
		*raw = field;
	switch (l->enc) {
	case STLINK_DIAG_RDP_F1_BIT:
		return field ? "1" : "0";
	case STLINK_DIAG_RDP_F0_BITS:
		/* level 2 sets bit 2 of OBR (LEVEL2_PROT), level 1 bit 1 */
		if (field & 2)
			return "2";
		return field & 1 ? "1" : "0";
	case STLINK_DIAG_RDP_BYTE_TZ:
		/* 0x55 is level 0.5 only with TrustZone on; otherwise it is just "not 0xAA": level 1 */
		if (field == 0x55 && l->tz_bit >= 0 && (value >> l->tz_bit) & 1)
			return "0.5";
		/* fall through */
	case STLINK_DIAG_RDP_BYTE:
	default:
		if (field == 0xAA)
			return "0";
		if (field == 0xCC)
			return "2";
		return "1";
	}
}

/* RDP level meanings: RM0090 §3.7.3, RM0351 §3.7.1 */
const struct stlink_diag_stm32_rdp_meaning stlink_diag_stm32_rdp_meanings[] = {
	{ .level = "0", .summary = "no read protection",
		.debugger = "the debugger can read, write and erase the flash" },
	{ .level = "0.5", .summary = "TrustZone read protection level 0.5",
		.debugger = "non-secure debug works; secure flash and SRAM are not accessible, and the hla driver cannot "
			"debug secure code (use stlink-dap)" },
	{ .level = "1", .summary = "read protection level 1",
		.debugger = "debugger reads of flash fault (bus error) while a debugger is connected; SWD, halting, SRAM, "
			"peripherals and option bytes still work; the CPU itself cannot run from flash until a power cycle" },
	{ .level = "2", .summary = "read protection level 2",
		.debugger = "level 2: debug is gone for good: the SWD port is disabled permanently, also under reset; "
			"no command can undo it" },
};

const size_t stlink_diag_stm32_rdp_meanings_size = ARRAY_LEN(stlink_diag_stm32_rdp_meanings);

const struct stlink_diag_stm32_rdp_meaning *stlink_diag_stm32_rdp_meaning(const char *level)
{
	for (size_t i = 0; level && i < stlink_diag_stm32_rdp_meanings_size; i++)
		if (!strcmp(stlink_diag_stm32_rdp_meanings[i].level, level))
			return &stlink_diag_stm32_rdp_meanings[i];
	return NULL;
}

int stlink_diag_stm32_wrp_count(const struct stlink_diag_stm32_layout *l, uint32_t wrp_value)
{
	if (!l || !l->wrp_reg)
		return -1;
	uint32_t mask = l->wrp_width >= 32 ? UINT32_MAX : (UINT32_C(1) << l->wrp_width) - 1;
	uint32_t field = (wrp_value >> l->wrp_shift) & mask;

	if (l->wrp_active_low)
		field = ~field & mask;
	int n = 0;

	for (; field; field &= field - 1)
		n++;
	return n;
}
