/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * ARM debug identification: DPIDR, CPUID, AP IDR, DHCSR and DP CTRL/STAT.
 *
 * Depends on the C standard library only.
 *
 * Source: ARM IHI 0031 (ADIv5/ADIv6: DPIDR, AP IDR, CTRL/STAT), ARMv6-M,
 * ARMv7-M and ARMv8-M Architecture Reference Manuals (CPUID, DHCSR), JEP106
 * as listed in OpenOCD 0.12.0 src/helper/jep106.inc, part numbers as in
 * OpenOCD 0.12.0 src/target/cortex_m.h.
 */

#ifndef OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_ARM_H
#define OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_ARM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 11-bit JEP106 code: continuation count << 7 | 7-bit id (parity bit dropped) */
#define STLINK_DIAG_JEP106(cont, id) ((uint16_t)(((cont) << 7) | ((id) & 0x7f)))
#define STLINK_DIAG_JEP106_ARM STLINK_DIAG_JEP106(4, 0x3b)   /* 0x23B */
#define STLINK_DIAG_JEP106_ST  STLINK_DIAG_JEP106(0, 0x20)   /* 0x020 */

struct stlink_diag_jep106 {
	uint16_t code;          /* 11-bit designer code */
	const char *name;
	const char *note;
};

extern const struct stlink_diag_jep106 stlink_diag_jep106_table[];
extern const size_t stlink_diag_jep106_table_size;
const char *stlink_diag_jep106_name(uint16_t code); /* NULL when unknown */

/* A named bit of a debug register. */
struct stlink_diag_bit {
	unsigned int bit;
	const char *name;
	const char *meaning;
};

/*
 * Names of the bits of value set in table t, separated by " ", into buf
 * ("" when none). Returns the number of named bits set. buf is always
 * terminated; names that do not fit are left out.
 */
size_t stlink_diag_bits_format(const struct stlink_diag_bit *t, size_t n, uint32_t value, char *buf, size_t size);
/* Every named bit with its value, as a Tcl dict "NAME 0 NAME 1 ..."; returns the number written. */
size_t stlink_diag_bits_fields(const struct stlink_diag_bit *t, size_t n, uint32_t value, char *buf, size_t size);

/* ---- DPIDR (DP register 0x0 read) ---- */
struct stlink_diag_dpidr {
	uint32_t raw;
	uint16_t designer;          /* 11-bit JEP106 */
	const char *designer_name;  /* NULL when unknown */
	unsigned int version;       /* 0..3 = DPv0..DPv3 */
	bool mindp;                 /* minimal DP (no pushed compare / transaction counter) */
	uint8_t partno;
	uint8_t revision;
};

/* 0 ok; -1 when bit 0 is not 1 or all bits are 1 (not a DPIDR: no answer, stuck line, garbled read) */
int stlink_diag_dpidr_decode(uint32_t dpidr, struct stlink_diag_dpidr *d);
/* "DPv0".."DPv3"; "DPv?" otherwise */
const char *stlink_diag_dp_version_name(unsigned int version);

/*
 * READ_IDCODES (0xF2 0x31) reply: [0..3] status (byte 0 checked), [4..7]
 * IDCODE/DPIDR (LE). 0 ok, -1 short reply or NULL pointers.
 */
int stlink_diag_idcodes_decode(const uint8_t *reply, size_t len, uint8_t *status, uint32_t *idcode);

/* ---- CPUID (0xE000ED00) ---- */
#define STLINK_DIAG_CPUID_ADDR 0xE000ED00u

struct stlink_diag_core {
	uint8_t implementer;        /* 0x41 = 'A' (ARM) */
	uint16_t partno;
	const char *name;           /* "Cortex-M4" */
	const char *arch;           /* "ARMv7E-M" */
};

extern const struct stlink_diag_core stlink_diag_core_table[];
extern const size_t stlink_diag_core_table_size;
const struct stlink_diag_core *stlink_diag_core_lookup(uint8_t implementer, uint16_t partno); /* NULL unknown */
/* "v6-M", "v7-M", "v8-M", or "" for an unknown core */
const char *stlink_diag_core_profile(const struct stlink_diag_core *c);

struct stlink_diag_cpuid {
	uint32_t raw;
	uint8_t implementer;
	uint8_t variant;            /* the "r" of r0p1 */
	uint8_t architecture;       /* CPUID[19:16]: 0xC = ARMv6-M, 0xF = ARMv7-M/ARMv8-M */
	uint16_t partno;
	uint8_t revision;           /* the "p" of r0p1 */
	const struct stlink_diag_core *core;   /* NULL when the part number is unknown */
};

/* 0 ok (core may be NULL); -1 for 0x00000000 / 0xFFFFFFFF (nothing was read) */
int stlink_diag_cpuid_decode(uint32_t cpuid, struct stlink_diag_cpuid *c);
/* "r0p1" */
void stlink_diag_cpuid_revision_string(const struct stlink_diag_cpuid *c, char *buf, size_t size);

/* ---- AP IDR (AP register 0xFC) ---- */
#define STLINK_DIAG_AP_CLASS_NONE   0x0
#define STLINK_DIAG_AP_CLASS_COM    0x1
#define STLINK_DIAG_AP_CLASS_MEM_AP 0x8

struct stlink_diag_ap_type {
	uint8_t class;
	uint8_t type;
	const char *name;           /* "AHB3 MEM-AP" */
};

extern const struct stlink_diag_ap_type stlink_diag_ap_type_table[];
extern const size_t stlink_diag_ap_type_table_size;

struct stlink_diag_ap_idr {
	uint32_t raw;
	uint8_t revision;
	uint16_t designer;
	const char *designer_name;  /* NULL when unknown */
	uint8_t class;
	uint8_t variant;
	uint8_t type;
	const char *type_name;      /* NULL when class/type unknown */
	bool is_mem_ap;
};

/* 0 ok; -1 for IDR 0 (no AP at this index) */
int stlink_diag_ap_idr_decode(uint32_t idr, struct stlink_diag_ap_idr *a);

/* ---- DHCSR (0xE000EDF0) ---- */
#define STLINK_DIAG_DHCSR_ADDR 0xE000EDF0u

extern const struct stlink_diag_bit stlink_diag_dhcsr_bits[];
extern const size_t stlink_diag_dhcsr_bits_size;
/* "held in reset", "locked up", "halted", "sleeping" or "running" */
const char *stlink_diag_dhcsr_state(uint32_t dhcsr);

/* ---- ICSR (0xE000ED04): the active exception ---- */
#define STLINK_DIAG_ICSR_ADDR 0xE000ED04u

/* The exception number in ICSR.VECTACTIVE ([8:0]; [5:0] on ARMv6-M, the
 * rest reads 0): 0 in Thread mode. */
unsigned int stlink_diag_icsr_vectactive(uint32_t icsr);
/* The exception's name ("Thread mode", "HardFault", "IRQ" for 16 and up,
 * "reserved" for unassigned numbers); *fault set for the fault handlers
 * (HardFault, MemManage, BusFault, UsageFault, SecureFault) and NMI, the
 * handlers an application that crashed stays in. */
const char *stlink_diag_exception_name(unsigned int number, bool *fault);

/* ---- DP CTRL/STAT (DP register 0x4) ---- */
extern const struct stlink_diag_bit stlink_diag_ctrl_stat_bits[];
extern const size_t stlink_diag_ctrl_stat_bits_size;

#endif /* OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_ARM_H */
