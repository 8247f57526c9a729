/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * STM32 knowledge: which part answers (DEV_ID table), how its read-out
 * protection and option bytes are laid out, where it boots from, and which
 * look-alikes pretend to be one.
 *
 * Depends on the C standard library only.
 *
 * Sources: /work/shared/reference/stm32-families.md and stm32-devid.tsv (the
 * DEV_ID table is generated from the TSV by contrib/stm32_devid_gen.py).
 * Option-bit positions the reference does not list (watchdog and reset bits)
 * are from the CMSIS device headers' FLASH_OPTR/OBR/OPTCR masks and are
 * marked so in the tables.
 */

#ifndef OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_STM32_H
#define OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_STM32_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- DEV_ID table (stlink_diag_stm32_devid.c, generated) ---- */

struct stlink_diag_stm32_rev {
	uint16_t rev_id;
	const char *name;           /* "A", "Z", "1.0"; NULL ends a list */
};

struct stlink_diag_stm32_part {
	uint16_t dev_id;
	bool single_source;         /* the reference marks the row "?" */
	const char *family;         /* "F4" */
	const char *line;           /* "STM32F405/F407/F415/F417" */
	const char *core;           /* "Cortex-M4F" */
	uint32_t dpidr;             /* SW-DP DPIDR of genuine parts, 0 unknown */
	uint32_t idcode_addr;       /* DBGMCU_IDCODE: the one place for it (candidates are derived) */
	uint32_t flash_size_reg;    /* 16-bit F_SIZE in KiB, 0 unknown */
	uint32_t sram_kb;           /* SRAM at the SRAM base, largest of the line; 0 unknown */
	uint32_t sysmem_base;       /* system memory (ROM bootloader) */
	const char *layout;         /* option-byte layout id (it has the register), NULL when not decoded */
	const char *flash_driver;   /* OpenOCD flash driver */
	const char *target_cfg;     /* OpenOCD target config */
	bool in_openocd_0_12;
	const struct stlink_diag_stm32_rev *revs;   /* NULL when the reference has none */
};

extern const struct stlink_diag_stm32_part stlink_diag_stm32_parts[];
extern const size_t stlink_diag_stm32_parts_size;

const struct stlink_diag_stm32_part *stlink_diag_stm32_part_lookup(uint16_t dev_id);  /* NULL unknown */
/* revision letter for rev_id, NULL when the reference does not list it */
const char *stlink_diag_stm32_rev_name(const struct stlink_diag_stm32_part *p, uint16_t rev_id);

/*
 * DEV_ID to look up for an IDCODE read from a core: STM32F40x/41x rev A
 * report 0x411 (the F2 value); on a Cortex-M4 it is an F4 (0x413).
 */
uint16_t stlink_diag_stm32_effective_dev_id(uint32_t idcode, uint16_t cpuid_partno);

/*
 * DBGMCU_IDCODE addresses to try, in order, for a core (its name in the
 * core table, e.g. "Cortex-M7", NULL unknown): the addresses of the DEV_ID
 * rows with that core first, in table order (Cortex-M7: F7's 0xE0042000,
 * then H7's 0x5C001000), then the other addresses of the table in OpenOCD's
 * probing order (0xE0042000, 0xE0044000, 0x40015800, then the rest).
 * Accept the first read whose DEV_ID is neither 0 nor 0xFFF. Returns the
 * number of addresses written to out (at most max).
 */
size_t stlink_diag_stm32_idcode_candidates(const char *core, uint32_t *out, size_t max);
bool stlink_diag_stm32_dev_id_plausible(uint32_t idcode);

/* ---- families: what the reference says per family ---- */

struct stlink_diag_stm32_family {
	const char *family;
	bool boot_alias;            /* boot memory is aliased at 0x00000000 */
	uint32_t flash_base;
	uint32_t sram_base;
	uint32_t uid_addr;          /* 96-bit unique ID, 0 unknown */
	const char *boot_select;    /* how the boot source is chosen */
	const char *boot_fix;       /* what to change when it boots from the wrong place */
	/* boot-mode register (SYSCFG) and the clock that must be on to trust it */
	uint32_t bootmode_reg;
	uint8_t bootmode_shift, bootmode_width;
	uint32_t bootmode_clock_reg;
	uint8_t bootmode_clock_bit;
	/* boot address option registers (F7, H7, L5/U5) */
	uint32_t boot_add_reg;
	uint8_t boot_add0_shift, boot_add1_shift, boot_add_width, boot_add_lsl;
	const char *rm;             /* reference manual the reference cites, NULL none */
};

extern const struct stlink_diag_stm32_family stlink_diag_stm32_families[];
extern const size_t stlink_diag_stm32_families_size;
const struct stlink_diag_stm32_family *stlink_diag_stm32_family_lookup(const char *family);

/* MEM_MODE/BOOT_MODE values: "user flash", "system memory", "SRAM", ... */
const char *stlink_diag_stm32_bootmode_name(const char *family, uint32_t mode);

/* Classify an address as a boot source: "user flash", "system memory", "SRAM" or NULL. */
const char *stlink_diag_stm32_region(const struct stlink_diag_stm32_part *p, uint32_t addr);

/* ---- option-byte layouts ---- */

enum stlink_diag_stm32_rdp_enc {
	STLINK_DIAG_RDP_BYTE,       /* 0xAA level 0, 0xCC level 2, anything else level 1 */
	STLINK_DIAG_RDP_BYTE_TZ,    /* as BYTE, plus 0x55 = level 0.5 when TZEN = 1 */
	STLINK_DIAG_RDP_F1_BIT,     /* RDPRT 1 = protected; no level 2 */
	STLINK_DIAG_RDP_F0_BITS,    /* bit 0 of the field = level 1, bit 1 = level 2 */
};

/* What an option bit does when it has the value that surprises people. */
enum stlink_diag_stm32_optkind {
	STLINK_DIAG_OPT_FIRMWARE,   /* watchdog, reset-on-low-power: firmware layer evidence */
	STLINK_DIAG_OPT_BOOT,       /* boot selection: boot layer */
};

struct stlink_diag_stm32_optbit {
	const char *name;           /* "WDG_SW" */
	uint8_t bit;
	enum stlink_diag_stm32_optkind kind;
	uint8_t surprise;           /* the value that surprises (firmware bits) */
	const char *meaning;        /* what that value does */
};

struct stlink_diag_stm32_layout {
	const char *id;             /* "f2_optcr" */
	const char *families;       /* "F2 F4" */
	const char *reg_name;       /* "FLASH_OPTCR" */
	uint32_t reg;               /* live register, readable at RDP level 1 */
	uint8_t rdp_shift, rdp_width;
	enum stlink_diag_stm32_rdp_enc enc;
	int tz_bit;                 /* TZEN, -1 none */
	/* write protection: 0 = not decoded */
	uint32_t wrp_reg;
	uint8_t wrp_shift, wrp_width;
	bool wrp_active_low;        /* a 0 bit protects (nWRP) */
	const struct stlink_diag_stm32_optbit *bits;
	size_t n_bits;
	const char *regress;        /* OpenOCD commands that go back to level 0 */
	const char *regress_note;   /* what happens when they run */
	const char *source;
};

extern const struct stlink_diag_stm32_layout stlink_diag_stm32_layouts[];
extern const size_t stlink_diag_stm32_layouts_size;
const struct stlink_diag_stm32_layout *stlink_diag_stm32_layout_lookup(const char *id);

/* RDP level of an option register value: "0", "0.5", "1" or "2"; raw gets the field */
const char *stlink_diag_stm32_rdp_level(const struct stlink_diag_stm32_layout *l, uint32_t value,
	uint32_t *raw);

struct stlink_diag_stm32_rdp_meaning {
	const char *level;
	const char *summary;        /* what it means for the user */
	const char *debugger;       /* what a debugger sees */
};

extern const struct stlink_diag_stm32_rdp_meaning stlink_diag_stm32_rdp_meanings[];
extern const size_t stlink_diag_stm32_rdp_meanings_size;
const struct stlink_diag_stm32_rdp_meaning *stlink_diag_stm32_rdp_meaning(const char *level);

/* Number of write-protected units (bits) in a register value; -1 when not decoded. */
int stlink_diag_stm32_wrp_count(const struct stlink_diag_stm32_layout *l, uint32_t wrp_value);

/* ---- clones and look-alikes (stlink_diag_stm32_clones.c) ---- */

struct stlink_diag_stm32_clone {
	const char *name;           /* "CKS32F103 / CS32F103" */
	const char *maker;
	/* match: all non-zero fields must match; detectable false = listed for the
	 * user but not recognisable from DPIDR/CPUID/DEV_ID/REV_ID alone */
	bool detectable;
	uint16_t dev_id;
	uint16_t rev_id;
	uint32_t dpidr;
	uint16_t cpuid_partno;
	const char *tell;           /* how it differs from a genuine STM32 */
	const char *looks_like;     /* what OpenOCD and users see */
	const char *todo;           /* what to do */
	const char *source;
};

extern const struct stlink_diag_stm32_clone stlink_diag_stm32_clones[];
extern const size_t stlink_diag_stm32_clones_size;

/*
 * The first detectable look-alike matching these IDs, or NULL. Also checks
 * the generic tells: DPIDR or core different from the genuine part's.
 * why gets a sentence when the IDs are suspicious without a named clone.
 */
const struct stlink_diag_stm32_clone *stlink_diag_stm32_clone_match(uint32_t dpidr, uint16_t cpuid_partno,
	uint32_t idcode, char *why, size_t why_size);

/* ---- debug in low-power modes, supply, reset flags, watchdog (stlink_diag_stm32_power.c) ---- */

struct stlink_diag_stm32_power {
	const char *family;
	uint32_t dbgmcu_cr;         /* DBGMCU_CR */
	uint32_t dbg_bits;          /* the low-power debug bits that exist: SLEEP b0, STOP b1, STANDBY b2 */
	uint32_t dbgmcu_clock_reg;  /* RCC enable register the DBGMCU needs for writes, 0 none */
	uint8_t dbgmcu_clock_bit;
	uint32_t vdd_min_mv, vdd_max_mv;    /* VDD operating range, 0 unknown */
	uint32_t pdr_mv;            /* power-down reset (or lowest BOR) falling threshold, typical; 0 unknown */
	uint32_t rcc_flags_reg;     /* RCC_CSR/RCC_RSR with the reset flags, 0 unknown */
	const char *rcc_flags;      /* "NAME bit NAME bit ..." */
	uint8_t rcc_rmvf_bit;       /* the flag-clearing bit (never written by stlink_diag) */
	uint32_t pwr_mode_reg;      /* PWR register that selects the deep-sleep mode, 0 unknown */
	uint8_t pwr_mode_shift, pwr_mode_width;
	uint8_t pwr_standby_min;    /* field value from which deep sleep is Standby (or Shutdown) */
	uint32_t pwr_sbf_reg;       /* standby flag register, 0 unknown */
	uint8_t pwr_sbf_bit;
	uint32_t wdg_opt_reg;       /* option register with the IWDG hardware-start bit (0 = hardware), 0 unknown */
	uint8_t wdg_opt_bit;
	uint32_t wdg_freeze_reg;    /* DBGMCU register with the IWDG debug freeze bit, 0 unknown */
	uint8_t wdg_freeze_bit;
	const char *source;
};

extern const struct stlink_diag_stm32_power stlink_diag_stm32_powers[];
extern const size_t stlink_diag_stm32_powers_size;
const struct stlink_diag_stm32_power *stlink_diag_stm32_power_lookup(const char *family);  /* NULL unknown */
/* the highest minimum VDD of any family: below it some STM32 is out of range */
uint32_t stlink_diag_stm32_vdd_min_max_mv(void);

#endif /* OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_STM32_H */
