// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * STM32 family data for the second observations of stlink_diag: debug in
 * low-power modes (DBGMCU_CR), the supply range and power-down reset, the
 * RCC reset flags, the PWR low-power mode selection and standby flag, and
 * the watchdog's hardware-start option bit and debug freeze bit. One row
 * per family of the DEV_ID table (stlink_diag_stm32_devid.c); 0 / NULL is
 * "not known", and the Tcl layers then say so instead of guessing.
 *
 * Sources, per row: the ST reference manual (RMxxxx) and the CMSIS device
 * header of a part of the family as published in ST's STM32Cube packages
 * (e.g. stm32f407xx.h: DBGMCU_CR_DBG_*, RCC_CSR_*RSTF, PWR_CR_PDDS,
 * PWR_CSR_SBF, FLASH_OPTCR_WDG_SW, DBGMCU_APB1_FZ_DBG_IWDG_STOP); OpenOCD
 * tcl/target/stm32*.cfg for the DBGMCU_CR writes (`mmw 0xE0042004 0x7`);
 * the part's datasheet ("Operating conditions" / "Embedded reset and power
 * control block characteristics") for VDD and PDR.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "stlink_diag_stm32.h"

#define DBG_SLEEP	(1u << 0)
#define DBG_STOP	(1u << 1)
#define DBG_STANDBY	(1u << 2)

/* RCC reset-flag sets: "NAME bit ..." (RCC_CSR/RCC_RSR *RSTF bits of the CMSIS headers) */
#define RSTF_F1		"PIN 26 POR 27 SFT 28 IWDG 29 WWDG 30 LPWR 31"
#define RSTF_F4		"BOR 25 PIN 26 POR 27 SFT 28 IWDG 29 WWDG 30 LPWR 31"
#define RSTF_F0		"OBL 25 PIN 26 POR 27 SFT 28 IWDG 29 WWDG 30 LPWR 31"
#define RSTF_L4		"FW 24 OBL 25 PIN 26 BOR 27 SFT 28 IWDG 29 WWDG 30 LPWR 31"
#define RSTF_G0		"OBL 25 PIN 26 PWR 27 SFT 28 IWDG 29 WWDG 30 LPWR 31"
#define RSTF_H7		"CPU 17 D1 19 D2 20 BOR 21 PIN 22 POR 23 SFT 24 IWDG 26 WWDG 28 LPWR 30"

const struct stlink_diag_stm32_power stlink_diag_stm32_powers[] = {
	/* RM0091; stm32f030x8.h / stm32f042x6.h; DS9773 (F030) Table 23 POR/PDR falling 1.80/1.88/1.96 V */
	{ .family = "F0", .dbgmcu_cr = 0x40015804, .dbg_bits = DBG_STOP | DBG_STANDBY,
	  .dbgmcu_clock_reg = 0x40021018, .dbgmcu_clock_bit = 22,
	  .vdd_min_mv = 2000, .vdd_max_mv = 3600, .pdr_mv = 1880,
	  .rcc_flags_reg = 0x40021024, .rcc_flags = RSTF_F0, .rcc_rmvf_bit = 24,
	  .pwr_mode_reg = 0x40007000, .pwr_mode_shift = 1, .pwr_mode_width = 1, .pwr_standby_min = 1,
	  .pwr_sbf_reg = 0x40007004, .pwr_sbf_bit = 1,
	  .wdg_opt_reg = 0x4002201C, .wdg_opt_bit = 8, .wdg_freeze_reg = 0x40015808, .wdg_freeze_bit = 12,
	  .source = "RM0091; stm32f042x6.h; DS9773" },
	/* RM0008; stm32f103xb.h; DS5319 (F103x8/xB) VDD 2.0-3.6 V; IWDG freeze in DBGMCU_CR bit 8 */
	{ .family = "F1", .dbgmcu_cr = 0xE0042004, .dbg_bits = DBG_SLEEP | DBG_STOP | DBG_STANDBY,
	  .vdd_min_mv = 2000, .vdd_max_mv = 3600,
	  .rcc_flags_reg = 0x40021024, .rcc_flags = RSTF_F1, .rcc_rmvf_bit = 24,
	  .pwr_mode_reg = 0x40007000, .pwr_mode_shift = 1, .pwr_mode_width = 1, .pwr_standby_min = 1,
	  .pwr_sbf_reg = 0x40007004, .pwr_sbf_bit = 1,
	  .wdg_opt_reg = 0x4002201C, .wdg_opt_bit = 2, .wdg_freeze_reg = 0xE0042004, .wdg_freeze_bit = 8,
	  .source = "RM0008; stm32f103xb.h; DS5319" },
	/* RM0033; stm32f207xx.h */
	{ .family = "F2", .dbgmcu_cr = 0xE0042004, .dbg_bits = DBG_SLEEP | DBG_STOP | DBG_STANDBY,
	  .vdd_min_mv = 1800, .vdd_max_mv = 3600,
	  .rcc_flags_reg = 0x40023874, .rcc_flags = RSTF_F4, .rcc_rmvf_bit = 24,
	  .pwr_mode_reg = 0x40007000, .pwr_mode_shift = 1, .pwr_mode_width = 1, .pwr_standby_min = 1,
	  .pwr_sbf_reg = 0x40007004, .pwr_sbf_bit = 1,
	  .wdg_opt_reg = 0x40023C14, .wdg_opt_bit = 5, .wdg_freeze_reg = 0xE0042008, .wdg_freeze_bit = 12,
	  .source = "RM0033; stm32f207xx.h" },
	/* RM0316; stm32f303xc.h */
	{ .family = "F3", .dbgmcu_cr = 0xE0042004, .dbg_bits = DBG_SLEEP | DBG_STOP | DBG_STANDBY,
	  .vdd_min_mv = 2000, .vdd_max_mv = 3600,
	  .rcc_flags_reg = 0x40021024, .rcc_flags = RSTF_F0, .rcc_rmvf_bit = 24,
	  .pwr_mode_reg = 0x40007000, .pwr_mode_shift = 1, .pwr_mode_width = 1, .pwr_standby_min = 1,
	  .pwr_sbf_reg = 0x40007004, .pwr_sbf_bit = 1,
	  .wdg_opt_reg = 0x4002201C, .wdg_opt_bit = 8, .wdg_freeze_reg = 0xE0042008, .wdg_freeze_bit = 12,
	  .source = "RM0316; stm32f303xc.h" },
	/* RM0090 §5.1 (VDD 1.8-3.6 V), AN4488 (PDR typ 1.70 V falling); stm32f407xx.h */
	{ .family = "F4", .dbgmcu_cr = 0xE0042004, .dbg_bits = DBG_SLEEP | DBG_STOP | DBG_STANDBY,
	  .vdd_min_mv = 1800, .vdd_max_mv = 3600, .pdr_mv = 1700,
	  .rcc_flags_reg = 0x40023874, .rcc_flags = RSTF_F4, .rcc_rmvf_bit = 24,
	  .pwr_mode_reg = 0x40007000, .pwr_mode_shift = 1, .pwr_mode_width = 1, .pwr_standby_min = 1,
	  .pwr_sbf_reg = 0x40007004, .pwr_sbf_bit = 1,
	  .wdg_opt_reg = 0x40023C14, .wdg_opt_bit = 5, .wdg_freeze_reg = 0xE0042008, .wdg_freeze_bit = 12,
	  .source = "RM0090; AN4488; stm32f407xx.h" },
	/* RM0385; stm32f746xx.h */
	{ .family = "F7", .dbgmcu_cr = 0xE0042004, .dbg_bits = DBG_SLEEP | DBG_STOP | DBG_STANDBY,
	  .vdd_min_mv = 1700, .vdd_max_mv = 3600,
	  .rcc_flags_reg = 0x40023874, .rcc_flags = RSTF_F4, .rcc_rmvf_bit = 24,
	  .pwr_mode_reg = 0x40007000, .pwr_mode_shift = 1, .pwr_mode_width = 1, .pwr_standby_min = 1,
	  .pwr_sbf_reg = 0x40007004, .pwr_sbf_bit = 1,
	  .wdg_opt_reg = 0x40023C14, .wdg_opt_bit = 5, .wdg_freeze_reg = 0xE0042008, .wdg_freeze_bit = 12,
	  .source = "RM0385; stm32f746xx.h" },
	/* RM0444; stm32g071xx.h; PWR_CR1.LPMS: 0 Stop0, 1 Stop1, 3 Standby, 4 Shutdown */
	{ .family = "G0", .dbgmcu_cr = 0x40015804, .dbg_bits = DBG_STOP | DBG_STANDBY,
	  .dbgmcu_clock_reg = 0x4002103C, .dbgmcu_clock_bit = 27,
	  .vdd_min_mv = 1700, .vdd_max_mv = 3600,
	  .rcc_flags_reg = 0x40021060, .rcc_flags = RSTF_G0, .rcc_rmvf_bit = 23,
	  .pwr_mode_reg = 0x40007000, .pwr_mode_shift = 0, .pwr_mode_width = 3, .pwr_standby_min = 3,
	  .pwr_sbf_reg = 0x40007010, .pwr_sbf_bit = 8,
	  .wdg_opt_reg = 0x40022020, .wdg_opt_bit = 16, .wdg_freeze_reg = 0x40015808, .wdg_freeze_bit = 12,
	  .source = "RM0444; stm32g071xx.h" },
	/* RM0440; stm32g474xx.h */
	{ .family = "G4", .dbgmcu_cr = 0xE0042004, .dbg_bits = DBG_SLEEP | DBG_STOP | DBG_STANDBY,
	  .vdd_min_mv = 1710, .vdd_max_mv = 3600,
	  .rcc_flags_reg = 0x40021094, .rcc_flags = RSTF_L4, .rcc_rmvf_bit = 23,
	  .pwr_mode_reg = 0x40007000, .pwr_mode_shift = 0, .pwr_mode_width = 3, .pwr_standby_min = 3,
	  .pwr_sbf_reg = 0x40007010, .pwr_sbf_bit = 8,
	  .wdg_opt_reg = 0x40022020, .wdg_opt_bit = 16, .wdg_freeze_reg = 0xE0042008, .wdg_freeze_bit = 12,
	  .source = "RM0440; stm32g474xx.h" },
	/* RM0433; stm32h743xx.h; OpenOCD stm32h7x.cfg; PWR_CPUCR.PDDS_D1 b0, SBF b6 */
	{ .family = "H7", .dbgmcu_cr = 0x5C001004, .dbg_bits = DBG_SLEEP | DBG_STOP | DBG_STANDBY,
	  .vdd_min_mv = 1620, .vdd_max_mv = 3600,
	  .rcc_flags_reg = 0x580244D0, .rcc_flags = RSTF_H7, .rcc_rmvf_bit = 16,
	  .pwr_mode_reg = 0x58024810, .pwr_mode_shift = 0, .pwr_mode_width = 1, .pwr_standby_min = 1,
	  .pwr_sbf_reg = 0x58024810, .pwr_sbf_bit = 6,
	  .wdg_opt_reg = 0x5200201C, .wdg_opt_bit = 4, .wdg_freeze_reg = 0x5C001054, .wdg_freeze_bit = 18,
	  .source = "RM0433; stm32h743xx.h; OpenOCD stm32h7x.cfg" },
	/* RM0367; stm32l073xx.h */
	{ .family = "L0", .dbgmcu_cr = 0x40015804, .dbg_bits = DBG_SLEEP | DBG_STOP | DBG_STANDBY,
	  .dbgmcu_clock_reg = 0x40021034, .dbgmcu_clock_bit = 22,
	  .vdd_min_mv = 1650, .vdd_max_mv = 3600,
	  .rcc_flags_reg = 0x40021050, .rcc_flags = RSTF_F0, .rcc_rmvf_bit = 23,
	  .pwr_mode_reg = 0x40007000, .pwr_mode_shift = 1, .pwr_mode_width = 1, .pwr_standby_min = 1,
	  .pwr_sbf_reg = 0x40007004, .pwr_sbf_bit = 1,
	  .source = "RM0367; stm32l073xx.h" },
	/* RM0038; stm32l152xe.h */
	{ .family = "L1", .dbgmcu_cr = 0xE0042004, .dbg_bits = DBG_SLEEP | DBG_STOP | DBG_STANDBY,
	  .vdd_min_mv = 1650, .vdd_max_mv = 3600,
	  .pwr_mode_reg = 0x40007000, .pwr_mode_shift = 1, .pwr_mode_width = 1, .pwr_standby_min = 1,
	  .pwr_sbf_reg = 0x40007004, .pwr_sbf_bit = 1,
	  .source = "RM0038; stm32l152xe.h" },
	/* RM0351; stm32l476xx.h; DocID028800 (L431) Table 23 BOR0 falling typ 1.64 V */
	{ .family = "L4", .dbgmcu_cr = 0xE0042004, .dbg_bits = DBG_SLEEP | DBG_STOP | DBG_STANDBY,
	  .vdd_min_mv = 1710, .vdd_max_mv = 3600, .pdr_mv = 1640,
	  .rcc_flags_reg = 0x40021094, .rcc_flags = RSTF_L4, .rcc_rmvf_bit = 23,
	  .pwr_mode_reg = 0x40007000, .pwr_mode_shift = 0, .pwr_mode_width = 3, .pwr_standby_min = 3,
	  .pwr_sbf_reg = 0x40007010, .pwr_sbf_bit = 8,
	  .wdg_opt_reg = 0x40022020, .wdg_opt_bit = 16, .wdg_freeze_reg = 0xE0042008, .wdg_freeze_bit = 12,
	  .source = "RM0351; stm32l476xx.h; DocID028800" },
	/* RM0432; stm32l4r5xx.h */
	{ .family = "L4+", .dbgmcu_cr = 0xE0042004, .dbg_bits = DBG_SLEEP | DBG_STOP | DBG_STANDBY,
	  .vdd_min_mv = 1710, .vdd_max_mv = 3600,
	  .rcc_flags_reg = 0x40021094, .rcc_flags = RSTF_L4, .rcc_rmvf_bit = 23,
	  .pwr_mode_reg = 0x40007000, .pwr_mode_shift = 0, .pwr_mode_width = 3, .pwr_standby_min = 3,
	  .pwr_sbf_reg = 0x40007010, .pwr_sbf_bit = 8,
	  .wdg_opt_reg = 0x40022020, .wdg_opt_bit = 16, .wdg_freeze_reg = 0xE0042008, .wdg_freeze_bit = 12,
	  .source = "RM0432; stm32l4r5xx.h" },
	/* RM0438; stm32l552xx.h */
	{ .family = "L5", .dbgmcu_cr = 0xE0044004, .dbg_bits = DBG_STOP | DBG_STANDBY,
	  .vdd_min_mv = 1710, .vdd_max_mv = 3600, .source = "RM0438; stm32l552xx.h" },
	/* RM0456; stm32u575xx.h */
	{ .family = "U5", .dbgmcu_cr = 0xE0044004, .dbg_bits = DBG_STOP | DBG_STANDBY,
	  .vdd_min_mv = 1710, .vdd_max_mv = 3600, .source = "RM0456; stm32u575xx.h" },
	/* RM0434; stm32wb55xx.h */
	{ .family = "WB", .dbgmcu_cr = 0xE0042004, .dbg_bits = DBG_SLEEP | DBG_STOP | DBG_STANDBY,
	  .vdd_min_mv = 1710, .vdd_max_mv = 3600, .source = "RM0434; stm32wb55xx.h" },
	/* RM0453; stm32wl55xx.h */
	{ .family = "WL", .dbgmcu_cr = 0xE0042004, .dbg_bits = DBG_SLEEP | DBG_STOP | DBG_STANDBY,
	  .vdd_min_mv = 1800, .vdd_max_mv = 3600, .source = "RM0453; stm32wl55xx.h" },
	/* RM0490; stm32c031xx.h */
	{ .family = "C0", .dbgmcu_cr = 0x40015804, .dbg_bits = DBG_STOP | DBG_STANDBY,
	  .dbgmcu_clock_reg = 0x4002103C, .dbgmcu_clock_bit = 27,
	  .vdd_min_mv = 2000, .vdd_max_mv = 3600,
	  .wdg_opt_reg = 0x40022020, .wdg_opt_bit = 16, .wdg_freeze_reg = 0x40015808, .wdg_freeze_bit = 12,
	  .source = "RM0490; stm32c031xx.h; OpenOCD stm32c0x.cfg" },
	/* RM0503; stm32u083xx.h */
	{ .family = "U0", .dbgmcu_cr = 0x40015804, .dbg_bits = DBG_STOP | DBG_STANDBY,
	  .source = "RM0503; stm32u083xx.h" },
	/* RM0481; stm32h563xx.h */
	{ .family = "H5", .dbgmcu_cr = 0xE0044004, .dbg_bits = DBG_STOP | DBG_STANDBY,
	  .source = "RM0481; stm32h563xx.h" },
	/* RM0493; stm32wba52xx.h */
	{ .family = "WBA", .dbgmcu_cr = 0xE0044004, .dbg_bits = DBG_STOP | DBG_STANDBY,
	  .source = "RM0493; stm32wba52xx.h" },
};

const size_t stlink_diag_stm32_powers_size = sizeof(stlink_diag_stm32_powers) / sizeof(stlink_diag_stm32_powers[0]);

const struct stlink_diag_stm32_power *stlink_diag_stm32_power_lookup(const char *family)
{
	for (size_t i = 0; family && i < stlink_diag_stm32_powers_size; i++)
		if (!strcmp(stlink_diag_stm32_powers[i].family, family))
			return &stlink_diag_stm32_powers[i];
	return NULL;
}

uint32_t stlink_diag_stm32_vdd_min_max_mv(void)
{
	uint32_t m = 0;

	for (size_t i = 0; i < stlink_diag_stm32_powers_size; i++)
		if (stlink_diag_stm32_powers[i].vdd_min_mv > m)
			m = stlink_diag_stm32_powers[i].vdd_min_mv;
	return m;
}
