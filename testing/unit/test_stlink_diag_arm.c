// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Unit tests for stlink_diag_arm. Expected values are computed by hand from
 * the register layouts in ARM IHI 0031 and the ARMv6/7/8-M ARMs, part
 * numbers from the brief / OpenOCD 0.12.0 cortex_m.h, JEP106 bank/id pairs
 * from jep106.inc (code = bank << 7 | id).
 */

#include <stdint.h>
#include <string.h>

#include "stlink_diag_arm.h"

#include "unit_rows.h"

/* ---- JEP106 ---- */
struct expected_jep106 {
	uint16_t code;
	const char *name;
};

static struct expected_jep106 expected_jep106[] = {
	{ 0x23B, "ARM Ltd" },                               /* bank 4, id 0x3B */
	{ 0x020, "STMicroelectronics" },                    /* bank 0, id 0x20 */
	{ 0x348, "GigaDevice Semiconductor" },              /* bank 6, id 0x48 */
	{ 0x3D1, "GigaDevice Semiconductor (Beijing)" },    /* bank 7, id 0x51 */
	{ 0x4BB, "Artery Technology" },                     /* bank 9, id 0x3B */
	{ 0x5A3, "Apex Microelectronics" },                 /* bank 11, id 0x23 */
	{ 0x485, "Puya Semiconductor" },                    /* bank 9, id 0x05 */
	{ 0x144, "Nordic VLSI ASA" },                       /* bank 2, id 0x44 */
	{ 0x493, "Raspberry Pi Trading" },                  /* bank 9, id 0x13 */
	{ 0x575, "Arm Technology (China)" },                /* bank 10, id 0x75 */
};

static void test_jep106_row(void **state)
{
	const struct expected_jep106 *e = *state;
	const char *name = stlink_diag_jep106_name(e->code);

	assert_non_null(name);
	assert_string_equal(name, e->name);
}

static void test_jep106_table(void **state)
{
	(void)state;
	assert_int_equal(stlink_diag_jep106_table_size, ARRAY_LEN(expected_jep106));
	for (size_t i = 0; i < stlink_diag_jep106_table_size; i++) {
		assert_true(stlink_diag_jep106_table[i].note && stlink_diag_jep106_table[i].note[0]);
		for (size_t j = i + 1; j < stlink_diag_jep106_table_size; j++)
			assert_int_not_equal(stlink_diag_jep106_table[i].code, stlink_diag_jep106_table[j].code);
	}
	assert_null(stlink_diag_jep106_name(0));
	assert_null(stlink_diag_jep106_name(0x7FF));
	assert_null(stlink_diag_jep106_name(0x03B));
	assert_int_equal(STLINK_DIAG_JEP106_ARM, 0x23B);
	assert_int_equal(STLINK_DIAG_JEP106_ST, 0x020);
}

/* ---- DPIDR ---- */
struct expected_dpidr {
	uint32_t raw;
	unsigned int version;
	bool mindp;
	uint8_t partno, revision;
};

static struct expected_dpidr expected_dpidr[] = {
	{ 0x2BA01477, 1, false, 0xBA, 2 },   /* Cortex-M4 SW-DP, STM32F4 */
	{ 0x0BC11477, 1, true, 0xBC, 0 },    /* Cortex-M0+ (G0/L0): version field is 1 */
	{ 0x0BC12477, 2, true, 0xBC, 0 },    /* Cortex-M0+ DPv2 */
	{ 0x6BA02477, 2, false, 0xBA, 6 },   /* STM32H7 / M7 DPv2 */
	{ 0x1BA01477, 1, false, 0xBA, 1 },   /* STM32F1 Cortex-M3 */
	{ 0x0BB11477, 1, true, 0xBB, 0 },    /* STM32F0 Cortex-M0 */
};

static void test_dpidr_row(void **state)
{
	const struct expected_dpidr *e = *state;
	struct stlink_diag_dpidr d;

	assert_int_equal(stlink_diag_dpidr_decode(e->raw, &d), 0);
	assert_int_equal(d.raw, e->raw);
	assert_int_equal(d.designer, 0x23B);
	assert_non_null(d.designer_name);
	assert_string_equal(d.designer_name, "ARM Ltd");
	assert_int_equal(d.version, e->version);
	assert_int_equal(d.mindp, e->mindp);
	assert_int_equal(d.partno, e->partno);
	assert_int_equal(d.revision, e->revision);
}

static void test_dpidr_invalid(void **state)
{
	(void)state;
	struct stlink_diag_dpidr d;
	const uint32_t bad[] = { 0x00000000, 0x2BA01476, 0xFFFFFFFE, 0xFFFFFFFF };

	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		assert_int_equal(stlink_diag_dpidr_decode(bad[i], &d), -1);
	assert_int_equal(stlink_diag_dpidr_decode(0x2BA01477, NULL), -1);

	/* valid bit 0, unknown designer */
	assert_int_equal(stlink_diag_dpidr_decode(0x10000001, &d), 0);
	assert_int_equal(d.designer, 0);
	assert_null(d.designer_name);

	assert_string_equal(stlink_diag_dp_version_name(0), "DPv0");
	assert_string_equal(stlink_diag_dp_version_name(1), "DPv1");
	assert_string_equal(stlink_diag_dp_version_name(2), "DPv2");
	assert_string_equal(stlink_diag_dp_version_name(3), "DPv3");
	assert_string_equal(stlink_diag_dp_version_name(4), "DPv?");
}

static void test_idcodes_decode(void **state)
{
	(void)state;
	const uint8_t r[12] = { 0x80, 0, 0, 0, 0x77, 0x14, 0xa0, 0x2b };
	uint8_t st;
	uint32_t id;

	assert_int_equal(stlink_diag_idcodes_decode(r, sizeof(r), &st, &id), 0);
	assert_int_equal(st, 0x80);
	assert_int_equal(id, 0x2BA01477);
	for (size_t len = 0; len < 8; len++)
		assert_int_equal(stlink_diag_idcodes_decode(r, len, &st, &id), -1);
	assert_int_equal(stlink_diag_idcodes_decode(NULL, 12, &st, &id), -1);
}

/* ---- CPUID ---- */
struct expected_cpuid {
	uint32_t raw;
	const char *core;
	const char *rev;
	const char *arch;
};

static struct expected_cpuid expected_cpuid[] = {
	{ 0x410FC241, "Cortex-M4", "r0p1", "ARMv7E-M" },
	{ 0x410CC601, "Cortex-M0+", "r0p1", "ARMv6-M" },
	{ 0x410FC271, "Cortex-M7", "r0p1", "ARMv7E-M" },
	{ 0x410FD214, "Cortex-M33", "r0p4", "ARMv8-M mainline" },
	{ 0x411FC231, "Cortex-M3", "r1p1", "ARMv7-M" },
	{ 0x410CC200, "Cortex-M0", "r0p0", "ARMv6-M" },
	{ 0x410CC210, "Cortex-M1", "r0p0", "ARMv6-M" },
	{ 0x411CD200, "Cortex-M23", "r1p0", "ARMv8-M baseline" },
	{ 0x410FD310, "Cortex-M35P", "r0p0", "ARMv8-M mainline" },
	{ 0x410FD220, "Cortex-M55", "r0p0", "ARMv8.1-M mainline" },
	{ 0x410FD230, "Cortex-M85", "r0p0", "ARMv8.1-M mainline" },
	{ 0x410FD240, "Cortex-M52", "r0p0", "ARMv8.1-M mainline" },
	{ 0x630F1320, "STAR-MC1", "r0p0", "ARMv8-M mainline" },
};

static void test_cpuid_row(void **state)
{
	const struct expected_cpuid *e = *state;
	struct stlink_diag_cpuid c;
	char rev[8];

	assert_int_equal(stlink_diag_cpuid_decode(e->raw, &c), 0);
	assert_non_null(c.core);
	assert_string_equal(c.core->name, e->core);
	assert_string_equal(c.core->arch, e->arch);
	stlink_diag_cpuid_revision_string(&c, rev, sizeof(rev));
	assert_string_equal(rev, e->rev);
}

static void test_cpuid_fields(void **state)
{
	(void)state;
	struct stlink_diag_cpuid c;

	assert_int_equal(stlink_diag_cpuid_decode(0x410FC241, &c), 0);
	assert_int_equal(c.implementer, 0x41);
	assert_int_equal(c.variant, 0);
	assert_int_equal(c.architecture, 0xF);
	assert_int_equal(c.partno, 0xC24);
	assert_int_equal(c.revision, 1);

	assert_int_equal(stlink_diag_cpuid_decode(0x410CC601, &c), 0);
	assert_int_equal(c.architecture, 0xC);

	/* Cortex-R5 is not an M core: decoded, no table row */
	assert_int_equal(stlink_diag_cpuid_decode(0x411FC153, &c), 0);
	assert_null(c.core);
	/* ARM part number under another implementer is not that core */
	assert_int_equal(stlink_diag_cpuid_decode(0x420FC241, &c), 0);
	assert_null(c.core);

	assert_int_equal(stlink_diag_cpuid_decode(0, &c), -1);
	assert_int_equal(stlink_diag_cpuid_decode(0xFFFFFFFF, &c), -1);
	assert_int_equal(stlink_diag_cpuid_decode(0x410FC241, NULL), -1);
}

static void test_core_table(void **state)
{
	(void)state;
	assert_int_equal(stlink_diag_core_table_size, ARRAY_LEN(expected_cpuid));
	for (size_t i = 0; i < stlink_diag_core_table_size; i++) {
		const struct stlink_diag_core *a = &stlink_diag_core_table[i];

		assert_true(a->name && a->name[0]);
		assert_true(a->arch && a->arch[0]);
		for (size_t j = i + 1; j < stlink_diag_core_table_size; j++) {
			const struct stlink_diag_core *b = &stlink_diag_core_table[j];

			assert_false(a->implementer == b->implementer && a->partno == b->partno);
		}
	}
}

/* ---- AP IDR ---- */
struct expected_ap {
	uint32_t raw;
	uint8_t revision, class, variant, type;
	const char *type_name;
};

static struct expected_ap expected_ap[] = {
	{ 0x24770011, 2, 8, 1, 1, "AHB3 MEM-AP" },          /* STM32F4 AHB-AP */
	{ 0x84770001, 8, 8, 0, 1, "AHB3 MEM-AP" },
	{ 0x54770002, 5, 8, 0, 2, "APB2/APB3 MEM-AP" },
	{ 0x04770004, 0, 8, 0, 4, "AXI3/AXI4 MEM-AP" },
	{ 0x04770025, 0, 8, 2, 5, "AHB5 MEM-AP" },
	{ 0x04770006, 0, 8, 0, 6, "APB4/APB5 MEM-AP" },
	{ 0x04770007, 0, 8, 0, 7, "AXI5 MEM-AP" },
	{ 0x04770008, 0, 8, 0, 8, "AHB5 MEM-AP with enhanced HPROT" },
	{ 0x04760000, 0, 0, 0, 0, "JTAG-AP" },
	{ 0x04762000, 0, 1, 0, 0, "COM-AP" },
};

static void test_ap_row(void **state)
{
	const struct expected_ap *e = *state;
	struct stlink_diag_ap_idr a;

	assert_int_equal(stlink_diag_ap_idr_decode(e->raw, &a), 0);
	assert_int_equal(a.revision, e->revision);
	assert_int_equal(a.designer, 0x23B);
	assert_string_equal(a.designer_name, "ARM Ltd");
	assert_int_equal(a.class, e->class);
	assert_int_equal(a.variant, e->variant);
	assert_int_equal(a.type, e->type);
	assert_int_equal(a.is_mem_ap, e->class == 8);
	assert_non_null(a.type_name);
	assert_string_equal(a.type_name, e->type_name);
}

static void test_ap_table(void **state)
{
	(void)state;
	struct stlink_diag_ap_idr a;

	assert_int_equal(stlink_diag_ap_type_table_size, ARRAY_LEN(expected_ap) - 1);   /* two AHB3 rows above */
	for (size_t i = 0; i < stlink_diag_ap_type_table_size; i++)
		for (size_t j = i + 1; j < stlink_diag_ap_type_table_size; j++)
			assert_false(stlink_diag_ap_type_table[i].class == stlink_diag_ap_type_table[j].class &&
				stlink_diag_ap_type_table[i].type == stlink_diag_ap_type_table[j].type);
	assert_int_equal(stlink_diag_ap_idr_decode(0, &a), -1);
	assert_int_equal(stlink_diag_ap_idr_decode(0x24770011, NULL), -1);
	/* MEM-AP class with an unassigned type */
	assert_int_equal(stlink_diag_ap_idr_decode(0x0477000F, &a), 0);
	assert_true(a.is_mem_ap);
	assert_null(a.type_name);
}

/* ---- DHCSR ---- */
struct expected_state {
	uint32_t dhcsr;
	const char *state;
};

static struct expected_state expected_state[] = {
	{ 0x00030003, "halted" },
	{ 0x00040001, "sleeping" },
	{ 0x00080001, "locked up" },
	{ 0x02000001, "reset since the last read" },
	{ 0x01000001, "running" },
	{ 0x00000000, "running" },
	{ 0x000B0003, "locked up" },       /* lockup reported before halt */
	{ 0x02030003, "halted" },          /* the live state ranks before sticky S_RESET_ST */
	{ 0x02080001, "locked up" },
};

static void test_dhcsr_state_row(void **state)
{
	const struct expected_state *e = *state;

	assert_string_equal(stlink_diag_dhcsr_state(e->dhcsr), e->state);
}

/* ---- ICSR: the exception table, one test a row (DDI0403E B1.5.2 Table B1-4) ---- */
struct expected_exception {
	uint32_t icsr;
	const char *name;
	bool fault;
};

static struct expected_exception expected_exception[] = {
	{ 0x00000000, "Thread mode", false },
	{ 0x00000001, "Reset", false },
	{ 0x00000002, "NMI", true },
	{ 0x00000003, "HardFault", true },
	{ 0x00000004, "MemManage", true },
	{ 0x00000005, "BusFault", true },
	{ 0x00000006, "UsageFault", true },
	{ 0x00000007, "SecureFault", true },
	{ 0x00000008, "reserved", false },
	{ 0x0000000B, "SVCall", false },
	{ 0x0000000C, "DebugMonitor", false },
	{ 0x0000000E, "PendSV", false },
	{ 0x0000000F, "SysTick", false },
	{ 0x00000010, "IRQ", false },
	{ 0x0040F823, "IRQ", false },        /* VECTACTIVE 0x23 with pending bits above it */
	{ 0x00400803, "HardFault", true },   /* ISRPENDING, RETTOBASE beside VECTACTIVE 3 */
};

static void test_exception_row(void **state)
{
	const struct expected_exception *e = *state;
	bool fault = !e->fault;

	assert_string_equal(stlink_diag_exception_name(stlink_diag_icsr_vectactive(e->icsr), &fault), e->name);
	assert_int_equal(fault, e->fault);
}

struct expected_bit {
	unsigned int bit;
	const char *name;
};

static struct expected_bit expected_dhcsr_bits[] = {
	{ 0, "C_DEBUGEN" }, { 1, "C_HALT" }, { 2, "C_STEP" }, { 3, "C_MASKINTS" },
	{ 16, "S_REGRDY" }, { 17, "S_HALT" }, { 18, "S_SLEEP" }, { 19, "S_LOCKUP" },
	{ 24, "S_RETIRE_ST" }, { 25, "S_RESET_ST" },
};

static struct expected_bit expected_ctrl_stat_bits[] = {
	{ 0, "ORUNDETECT" }, { 1, "STICKYORUN" }, { 4, "STICKYCMP" }, { 5, "STICKYERR" },
	{ 6, "READOK" }, { 7, "WDATAERR" }, { 26, "CDBGRSTREQ" }, { 27, "CDBGRSTACK" },
	{ 28, "CDBGPWRUPREQ" }, { 29, "CDBGPWRUPACK" }, { 30, "CSYSPWRUPREQ" }, { 31, "CSYSPWRUPACK" },
};

static void check_bit(const struct stlink_diag_bit *t, size_t n, const struct expected_bit *e)
{
	size_t found = 0;

	for (size_t i = 0; i < n; i++)
		if (t[i].bit == e->bit) {
			found++;
			assert_string_equal(t[i].name, e->name);
			assert_true(t[i].meaning && t[i].meaning[0]);
		}
	assert_int_equal(found, 1);
}

static void test_dhcsr_bit_row(void **state)
{
	check_bit(stlink_diag_dhcsr_bits, stlink_diag_dhcsr_bits_size, *state);
}

static void test_ctrl_stat_bit_row(void **state)
{
	check_bit(stlink_diag_ctrl_stat_bits, stlink_diag_ctrl_stat_bits_size, *state);
}

static void test_bit_tables(void **state)
{
	(void)state;
	char buf[128];

	assert_int_equal(stlink_diag_dhcsr_bits_size, ARRAY_LEN(expected_dhcsr_bits));
	assert_int_equal(stlink_diag_ctrl_stat_bits_size, ARRAY_LEN(expected_ctrl_stat_bits));

	assert_int_equal(stlink_diag_bits_format(stlink_diag_ctrl_stat_bits, stlink_diag_ctrl_stat_bits_size,
		0xF0000000, buf, sizeof(buf)), 4);
	assert_string_equal(buf, "CDBGPWRUPREQ CDBGPWRUPACK CSYSPWRUPREQ CSYSPWRUPACK");

	assert_int_equal(stlink_diag_bits_format(stlink_diag_dhcsr_bits, stlink_diag_dhcsr_bits_size,
		0x00030003, buf, sizeof(buf)), 4);
	assert_string_equal(buf, "C_DEBUGEN C_HALT S_REGRDY S_HALT");

	assert_int_equal(stlink_diag_bits_format(stlink_diag_dhcsr_bits, stlink_diag_dhcsr_bits_size,
		0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");

	/* names that do not fit are dropped, the buffer stays terminated */
	char small[12];

	assert_int_equal(stlink_diag_bits_format(stlink_diag_dhcsr_bits, stlink_diag_dhcsr_bits_size,
		0x00030003, small, sizeof(small)), 4);
	assert_string_equal(small, "C_DEBUGEN");
	assert_int_equal(stlink_diag_bits_format(stlink_diag_dhcsr_bits, stlink_diag_dhcsr_bits_size,
		0x00030003, NULL, 0), 4);
}

int main(void)
{
	for (size_t i = 0; i < ARRAY_LEN(expected_jep106); i++)
		add_test(test_jep106_row, &expected_jep106[i], "jep106 0x%03X %s",
			(unsigned int)expected_jep106[i].code, expected_jep106[i].name);
	for (size_t i = 0; i < ARRAY_LEN(expected_dpidr); i++)
		add_test(test_dpidr_row, &expected_dpidr[i], "dpidr 0x%08X", (unsigned int)expected_dpidr[i].raw);
	for (size_t i = 0; i < ARRAY_LEN(expected_cpuid); i++)
		add_test(test_cpuid_row, &expected_cpuid[i], "cpuid 0x%08X %s",
			(unsigned int)expected_cpuid[i].raw, expected_cpuid[i].core);
	for (size_t i = 0; i < ARRAY_LEN(expected_ap); i++)
		add_test(test_ap_row, &expected_ap[i], "ap idr 0x%08X %s",
			(unsigned int)expected_ap[i].raw, expected_ap[i].type_name);
	for (size_t i = 0; i < ARRAY_LEN(expected_state); i++)
		add_test(test_dhcsr_state_row, &expected_state[i], "dhcsr 0x%08X %s",
			(unsigned int)expected_state[i].dhcsr, expected_state[i].state);
	for (size_t i = 0; i < ARRAY_LEN(expected_exception); i++)
		add_test(test_exception_row, &expected_exception[i], "exception icsr 0x%08X %s",
			(unsigned int)expected_exception[i].icsr, expected_exception[i].name);
	for (size_t i = 0; i < ARRAY_LEN(expected_dhcsr_bits); i++)
		add_test(test_dhcsr_bit_row, &expected_dhcsr_bits[i], "dhcsr bit %u %s",
			expected_dhcsr_bits[i].bit, expected_dhcsr_bits[i].name);
	for (size_t i = 0; i < ARRAY_LEN(expected_ctrl_stat_bits); i++)
		add_test(test_ctrl_stat_bit_row, &expected_ctrl_stat_bits[i], "ctrl/stat bit %u %s",
			expected_ctrl_stat_bits[i].bit, expected_ctrl_stat_bits[i].name);
	add_test(test_jep106_table, NULL, "jep106 table");
	add_test(test_dpidr_invalid, NULL, "dpidr invalid");
	add_test(test_idcodes_decode, NULL, "read idcodes decode");
	add_test(test_cpuid_fields, NULL, "cpuid fields and unknown");
	add_test(test_core_table, NULL, "core table");
	add_test(test_ap_table, NULL, "ap type table");
	add_test(test_bit_tables, NULL, "bit tables and format");
	return _cmocka_run_group_tests("stlink_diag_arm", tests, n_tests, NULL, NULL);
}
