// SPDX-License-Identifier: GPL-2.0-or-later

/* ARM debug identification tables. See stlink_diag_arm.h for the sources. */

#include <stdio.h>
#include <string.h>

#include "stlink_diag_arm.h"
#include "stlink_diag_array.h"

/*
 * Designers seen in STM32 work: ARM and ST, plus the makers of parts often
 * debugged with an ST-LINK. Codes are JEP106 bank/id as listed in OpenOCD
 * 0.12.0 jep106.inc; most clones report ARM's code in DPIDR because they
 * license ARM's debug port, so the maker shows up in ROM-table IDs instead.
 */
const struct stlink_diag_jep106 stlink_diag_jep106_table[] = {
	{ .code = STLINK_DIAG_JEP106_ARM, .name = "ARM Ltd",
		.note = "ARM-designed debug port or core: every genuine STM32 and most clones" },
	{ .code = STLINK_DIAG_JEP106_ST, .name = "STMicroelectronics",
		.note = "ST-designed component, e.g. STM32 ROM tables" },
	{ .code = STLINK_DIAG_JEP106(6, 0x48), .name = "GigaDevice Semiconductor",
		.note = "GD32 parts" },
	{ .code = STLINK_DIAG_JEP106(7, 0x51), .name = "GigaDevice Semiconductor (Beijing)",
		.note = "GD32 parts (second JEP106 entry)" },
	{ .code = STLINK_DIAG_JEP106(9, 0x3b), .name = "Artery Technology",
		.note = "AT32 parts" },
	{ .code = STLINK_DIAG_JEP106(11, 0x23), .name = "Apex Microelectronics",
		.note = "parent company of Geehy (APM32 parts)" },
	{ .code = STLINK_DIAG_JEP106(9, 0x05), .name = "Puya Semiconductor",
		.note = "PY32 parts" },
	{ .code = STLINK_DIAG_JEP106(2, 0x44), .name = "Nordic VLSI ASA",
		.note = "nRF parts" },
	{ .code = STLINK_DIAG_JEP106(9, 0x13), .name = "Raspberry Pi Trading",
		.note = "RP2040/RP2350" },
	{ .code = STLINK_DIAG_JEP106(10, 0x75), .name = "Arm Technology (China)",
		.note = "Arm China designs such as STAR-MC1" },
};

const size_t stlink_diag_jep106_table_size = ARRAY_LEN(stlink_diag_jep106_table);

const char *stlink_diag_jep106_name(uint16_t code)
{
	for (size_t i = 0; i < stlink_diag_jep106_table_size; i++)
		if (stlink_diag_jep106_table[i].code == code)
			return stlink_diag_jep106_table[i].name;
	return NULL;
}

size_t stlink_diag_bits_format(const struct stlink_diag_bit *t, size_t n, uint32_t value, char *buf, size_t size)
{
	size_t used = 0, count = 0;

	if (buf && size)
		buf[0] = '\0';
	for (size_t i = 0; t && i < n; i++) {
		if (t[i].bit >= 32 || !(value & (UINT32_C(1) << t[i].bit)))
			continue;
		count++;
		if (!buf || !size)
			continue;
		size_t need = strlen(t[i].name) + (used ? 1 : 0);

		if (used + need >= size)
			continue;
		snprintf(buf + used, size - used, "%s%s", used ? " " : "", t[i].name);
		used += need;
	}
	return count;
}

size_t stlink_diag_bits_fields(const struct stlink_diag_bit *t, size_t n, uint32_t value, char *buf, size_t size)
{
	size_t used = 0, count = 0;

	if (!buf || !size)
		return 0;
	buf[0] = '\0';
	for (size_t i = 0; t && i < n; i++) {
		if (t[i].bit >= 32)
			continue;
		int w = snprintf(buf + used, size - used, "%s%s %u", used ? " " : "", t[i].name,
			(unsigned int)((value >> t[i].bit) & 1));
		if (w < 0 || (size_t)w >= size - used) {
			buf[used] = '\0';
			break;
		}
		used += (size_t)w;
		count++;
	}
	return count;
}

/* ---- DPIDR ---- */

static const char * const dp_version_names[] = { "DPv0", "DPv1", "DPv2", "DPv3" };

const char *stlink_diag_dp_version_name(unsigned int version)
{
	if (version >= ARRAY_LEN(dp_version_names))
		return "DPv?";
	return dp_version_names[version];
}

int stlink_diag_dpidr_decode(uint32_t dpidr, struct stlink_diag_dpidr *d)
{
	if (!d)
		return -1;
	memset(d, 0, sizeof(*d));
	d->raw = dpidr;
	/*
	 * bit 0 reads as one on every DP: zero means the read did not really
	 * happen; all ones is SWDIO stuck high, not a designer code
	 */
	if (!(dpidr & 1) || dpidr == UINT32_MAX)
		return -1;
	d->designer = (dpidr >> 1) & 0x7ff;
	d->designer_name = stlink_diag_jep106_name(d->designer);
	d->version = (dpidr >> 12) & 0xf;
	d->mindp = (dpidr >> 16) & 1;
	d->partno = (dpidr >> 20) & 0xff;
	d->revision = (dpidr >> 28) & 0xf;
	return 0;
}

int stlink_diag_idcodes_decode(const uint8_t *reply, size_t len, uint8_t *status, uint32_t *idcode)
{
	if (!reply || !status || !idcode || len < 8)
		return -1;
	*status = reply[0];
	*idcode = (uint32_t)reply[4] | (uint32_t)reply[5] << 8 | (uint32_t)reply[6] << 16 |
		(uint32_t)reply[7] << 24;
	return 0;
}

/* ---- CPUID ---- */

#define ARM_IMPL 0x41

const struct stlink_diag_core stlink_diag_core_table[] = {
	{ .implementer = ARM_IMPL, .partno = 0xC20, .name = "Cortex-M0", .arch = "ARMv6-M" },
	{ .implementer = ARM_IMPL, .partno = 0xC60, .name = "Cortex-M0+", .arch = "ARMv6-M" },
	{ .implementer = ARM_IMPL, .partno = 0xC21, .name = "Cortex-M1", .arch = "ARMv6-M" },
	{ .implementer = ARM_IMPL, .partno = 0xC23, .name = "Cortex-M3", .arch = "ARMv7-M" },
	{ .implementer = ARM_IMPL, .partno = 0xC24, .name = "Cortex-M4", .arch = "ARMv7E-M" },
	{ .implementer = ARM_IMPL, .partno = 0xC27, .name = "Cortex-M7", .arch = "ARMv7E-M" },
	{ .implementer = ARM_IMPL, .partno = 0xD20, .name = "Cortex-M23", .arch = "ARMv8-M baseline" },
	{ .implementer = ARM_IMPL, .partno = 0xD21, .name = "Cortex-M33", .arch = "ARMv8-M mainline" },
	{ .implementer = ARM_IMPL, .partno = 0xD31, .name = "Cortex-M35P", .arch = "ARMv8-M mainline" },
	{ .implementer = ARM_IMPL, .partno = 0xD22, .name = "Cortex-M55", .arch = "ARMv8.1-M mainline" },
	{ .implementer = ARM_IMPL, .partno = 0xD23, .name = "Cortex-M85", .arch = "ARMv8.1-M mainline" },
	{ .implementer = ARM_IMPL, .partno = 0xD24, .name = "Cortex-M52", .arch = "ARMv8.1-M mainline" },
	{ .implementer = 0x63, .partno = 0x132, .name = "STAR-MC1", .arch = "ARMv8-M mainline" },
};

const size_t stlink_diag_core_table_size = ARRAY_LEN(stlink_diag_core_table);

/*
 * The architecture profile decisions depend on: "v6-M", "v7-M" or "v8-M"
 * (ARMv8.1-M counts as v8-M), "" when unknown. ARMv6-M has no CFSR/HFSR,
 * no VECTRESET and an optional DWT (ARMv6-M ARM DDI0419 C1; ARMv7-M ARM
 * DDI0403E B3.2).
 */
const char *stlink_diag_core_profile(const struct stlink_diag_core *c)
{
	if (!c || !c->arch)
		return "";
	if (!strncmp(c->arch, "ARMv6", 5))
		return "v6-M";
	if (!strncmp(c->arch, "ARMv7", 5))
		return "v7-M";
	if (!strncmp(c->arch, "ARMv8", 5))
		return "v8-M";
	return "";
}

const struct stlink_diag_core *stlink_diag_core_lookup(uint8_t implementer, uint16_t partno)
{
	for (size_t i = 0; i < stlink_diag_core_table_size; i++)
		if (stlink_diag_core_table[i].implementer == implementer && stlink_diag_core_table[i].partno == partno)
			return &stlink_diag_core_table[i];
	return NULL;
}

int stlink_diag_cpuid_decode(uint32_t cpuid, struct stlink_diag_cpuid *c)
{
	if (!c)
		return -1;
	memset(c, 0, sizeof(*c));
	c->raw = cpuid;
	/* all zeros or all ones: the read went nowhere (bus error, powered-down debug) */
	if (cpuid == 0 || cpuid == UINT32_MAX)
		return -1;
	c->implementer = (cpuid >> 24) & 0xff;
	c->variant = (cpuid >> 20) & 0xf;
	c->architecture = (cpuid >> 16) & 0xf;
	c->partno = (cpuid >> 4) & 0xfff;
	c->revision = cpuid & 0xf;
	c->core = stlink_diag_core_lookup(c->implementer, c->partno);
	return 0;
}

void stlink_diag_cpuid_revision_string(const struct stlink_diag_cpuid *c, char *buf, size_t size)
{
	if (!buf || !size)
		return;
	if (!c) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, size, "r%up%u", (unsigned int)c->variant, (unsigned int)c->revision);
}

/* ---- AP IDR ---- */

const struct stlink_diag_ap_type stlink_diag_ap_type_table[] = {
	{ .class = STLINK_DIAG_AP_CLASS_NONE, .type = 0x0, .name = "JTAG-AP" },
	{ .class = STLINK_DIAG_AP_CLASS_COM, .type = 0x0, .name = "COM-AP" },
	{ .class = STLINK_DIAG_AP_CLASS_MEM_AP, .type = 0x1, .name = "AHB3 MEM-AP" },
	{ .class = STLINK_DIAG_AP_CLASS_MEM_AP, .type = 0x2, .name = "APB2/APB3 MEM-AP" },
	{ .class = STLINK_DIAG_AP_CLASS_MEM_AP, .type = 0x4, .name = "AXI3/AXI4 MEM-AP" },
	{ .class = STLINK_DIAG_AP_CLASS_MEM_AP, .type = 0x5, .name = "AHB5 MEM-AP" },
	{ .class = STLINK_DIAG_AP_CLASS_MEM_AP, .type = 0x6, .name = "APB4/APB5 MEM-AP" },
	{ .class = STLINK_DIAG_AP_CLASS_MEM_AP, .type = 0x7, .name = "AXI5 MEM-AP" },
	{ .class = STLINK_DIAG_AP_CLASS_MEM_AP, .type = 0x8, .name = "AHB5 MEM-AP with enhanced HPROT" },
};

const size_t stlink_diag_ap_type_table_size = ARRAY_LEN(stlink_diag_ap_type_table);

int stlink_diag_ap_idr_decode(uint32_t idr, struct stlink_diag_ap_idr *a)
{
	if (!a)
		return -1;
	memset(a, 0, sizeof(*a));
	a->raw = idr;
	/* IDR reads as zero when no AP is implemented at this index */
	if (idr == 0)
		return -1;
	a->revision = (idr >> 28) & 0xf;
	a->designer = (idr >> 17) & 0x7ff;
	a->designer_name = stlink_diag_jep106_name(a->designer);
	a->class = (idr >> 13) & 0xf;
	a->variant = (idr >> 4) & 0xf;
	a->type = idr & 0xf;
	a->is_mem_ap = a->class == STLINK_DIAG_AP_CLASS_MEM_AP;
	for (size_t i = 0; i < stlink_diag_ap_type_table_size; i++)
		if (stlink_diag_ap_type_table[i].class == a->class && stlink_diag_ap_type_table[i].type == a->type)
			a->type_name = stlink_diag_ap_type_table[i].name;
	return 0;
}

/* ---- DHCSR ---- */

const struct stlink_diag_bit stlink_diag_dhcsr_bits[] = {
	{ .bit = 0, .name = "C_DEBUGEN", .meaning = "halting debug enabled by the debugger" },
	{ .bit = 1, .name = "C_HALT", .meaning = "debugger requests the core to halt" },
	{ .bit = 2, .name = "C_STEP", .meaning = "debugger requests single-stepping" },
	{ .bit = 3, .name = "C_MASKINTS", .meaning = "interrupts masked while stepping" },
	{ .bit = 16, .name = "S_REGRDY", .meaning = "core register transfer complete" },
	{ .bit = 17, .name = "S_HALT", .meaning = "core is halted in debug state" },
	{ .bit = 18, .name = "S_SLEEP", .meaning = "core is sleeping (WFI/WFE), its clock may be gated" },
	{ .bit = 19, .name = "S_LOCKUP", .meaning = "core is locked up after an unrecoverable fault" },
	{ .bit = 24, .name = "S_RETIRE_ST", .meaning = "an instruction retired since the last read" },
	{ .bit = 25, .name = "S_RESET_ST", .meaning = "core was reset since the last read, or is held in reset" },
};

const size_t stlink_diag_dhcsr_bits_size = ARRAY_LEN(stlink_diag_dhcsr_bits);

/*
 * First matching row wins. Lockup, halt and sleep describe the core now;
 * S_RESET_ST is sticky (ARMv7-M ARM C1.6.3: set by a reset "since the last
 * time this bit was read"), so one read cannot tell a core held in reset
 * from one reset a while ago: it only ranks after the live states.
 */
static const struct {
	uint32_t mask;
	const char *state;
} dhcsr_states[] = {
	{ .mask = UINT32_C(1) << 19, .state = "locked up" },
	{ .mask = UINT32_C(1) << 17, .state = "halted" },
	{ .mask = UINT32_C(1) << 18, .state = "sleeping" },
	{ .mask = UINT32_C(1) << 25, .state = "reset since the last read" },
	{ .mask = 0, .state = "running" },
};

const char *stlink_diag_dhcsr_state(uint32_t dhcsr)
{
	for (size_t i = 0; i < ARRAY_LEN(dhcsr_states); i++)
		if ((dhcsr & dhcsr_states[i].mask) == dhcsr_states[i].mask)
			return dhcsr_states[i].state;
	return "running";
}

/* ---- ICSR ---- */

/*
 * Exception numbers: ARMv7-M ARM DDI0403E B1.5.2 Table B1-4 (SecureFault
 * 7: ARMv8-M DDI0553 B3.28). VECTACTIVE is the number of the exception
 * the core executes now (B3.2.4), read without halting.
 */
static const struct {
	unsigned int number;
	const char *name;
	bool fault;
} exceptions[] = {
	{ 0, "Thread mode", false },
	{ 1, "Reset", false },
	{ 2, "NMI", true },
	{ 3, "HardFault", true },
	{ 4, "MemManage", true },
	{ 5, "BusFault", true },
	{ 6, "UsageFault", true },
	{ 7, "SecureFault", true },
	{ 11, "SVCall", false },
	{ 12, "DebugMonitor", false },
	{ 14, "PendSV", false },
	{ 15, "SysTick", false },
};

unsigned int stlink_diag_icsr_vectactive(uint32_t icsr)
{
	return icsr & 0x1FFu;
}

const char *stlink_diag_exception_name(unsigned int number, bool *fault)
{
	if (fault)
		*fault = false;
	if (number >= 16)
		return "IRQ";
	for (size_t i = 0; i < ARRAY_LEN(exceptions); i++) {
		if (exceptions[i].number == number) {
			if (fault)
				*fault = exceptions[i].fault;
			return exceptions[i].name;
		}
	}
	return "reserved";
}

/* ---- DP CTRL/STAT ---- */

const struct stlink_diag_bit stlink_diag_ctrl_stat_bits[] = {
	{ .bit = 0, .name = "ORUNDETECT", .meaning = "overrun detection enabled" },
	{ .bit = 1, .name = "STICKYORUN", .meaning = "an overrun occurred (sticky)" },
	{ .bit = 4, .name = "STICKYCMP", .meaning = "a pushed compare matched (sticky)" },
	{ .bit = 5, .name = "STICKYERR", .meaning = "an AP transaction failed, e.g. a bus fault (sticky)" },
	{ .bit = 6, .name = "READOK", .meaning = "the last AP or RDBUFF read was OK" },
	{ .bit = 7, .name = "WDATAERR", .meaning = "write data error: parity/framing error on a write (sticky)" },
	{ .bit = 26, .name = "CDBGRSTREQ", .meaning = "debugger requests a debug reset" },
	{ .bit = 27, .name = "CDBGRSTACK", .meaning = "debug reset acknowledged" },
	{ .bit = 28, .name = "CDBGPWRUPREQ", .meaning = "debugger requests debug power-up" },
	{ .bit = 29, .name = "CDBGPWRUPACK", .meaning = "debug domain powered up" },
	{ .bit = 30, .name = "CSYSPWRUPREQ", .meaning = "debugger requests system power-up" },
	{ .bit = 31, .name = "CSYSPWRUPACK", .meaning = "system domain powered up" },
};

const size_t stlink_diag_ctrl_stat_bits_size = ARRAY_LEN(stlink_diag_ctrl_stat_bits);
