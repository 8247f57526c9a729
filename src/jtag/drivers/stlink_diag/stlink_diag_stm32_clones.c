// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * STM32 look-alikes: the clone rows of stm32-devid.tsv and
 * public reports (blaatschaap.be 32f103-comparison parts 3 and 4; TeXitoi/blue-pill-quickstart#9; stlink-org/stlink#756, #1322), with what each looks like and what to do.
 */

#include <stdio.h>
#include <string.h>

#include "stlink_diag_array.h"
#include "stlink_diag_stm32.h"

#define CPUID_CORTEX_M0  0xC20
#define CPUID_CORTEX_M0P 0xC60
#define CPUID_CORTEX_M3  0xC23
#define CPUID_CORTEX_M23 0xD20
#define CPUID_CORTEX_M33 0xD21

#define F1_CPUTAPID "-c \"set CPUTAPID 0x2ba01477\" (or 0 = accept any) before -f target/stm32f1x.cfg"

const struct stlink_diag_stm32_clone stlink_diag_stm32_clones[] = {
	{ .name = "CKS32F103 / CS32F103, Geehy APM32F103 or GigaDevice GD32F30x", .maker = "CKS / Geehy", .detectable = true,
		.dev_id = 0x410, .dpidr = 0x2BA01477, .cpuid_partno = CPUID_CORTEX_M3,
		.tell = "DEV_ID 0x410 (STM32F103 medium density) but SW-DP DPIDR 0x2BA01477; a genuine STM32F1 "
			"answers 0x1BA01477",
		.looks_like = "OpenOCD: \"UNEXPECTED idcode: 0x2ba01477\" / \"expected 1 of 1: 0x1ba01477\"",
		.todo = F1_CPUTAPID "; flash driver stm32f1x",
		.source = "blaatschaap.be 32f103-comparison-part-3; blue-pill-quickstart#9, stlink#756; OOCD geehy/apm32f1x.cfg; "
			"WCH ch347#49 (GD32F303)" },
	{ .name = "GigaDevice GD32F1x0", .maker = "GigaDevice", .detectable = true,
		.dev_id = 0x410, .rev_id = 0x1303,
		.tell = "DEV_ID 0x410 with REV_ID 0x1303 (a GigaDevice revision code)",
		.looks_like = "an STM32F103 whose option bits sit at other offsets",
		.todo = "-f target/stm32f1x.cfg (its stm32f1x driver recognises the GD32 REV_ID)",
		.source = "OOCD stm32f1x.c" },
	{ .name = "GigaDevice GD32F3x0", .maker = "GigaDevice", .detectable = true,
		.dev_id = 0x410, .rev_id = 0x1704,
		.tell = "DEV_ID 0x410 with REV_ID 0x1704 (a GigaDevice revision code) on a Cortex-M4",
		.looks_like = "an STM32F103 with a Cortex-M4",
		.todo = "-f target/stm32f1x.cfg (its stm32f1x driver recognises the GD32 REV_ID)",
		.source = "OOCD stm32f1x.c" },
	{ .name = "GigaDevice GD32E23x", .maker = "GigaDevice", .detectable = true,
		.dev_id = 0x410, .rev_id = 0x1909,
		.tell = "DEV_ID 0x410 with REV_ID 0x1909 at 0x40015800, Cortex-M23, DPIDR 0x0BF11477",
		.looks_like = "an STM32F103 ID on a Cortex-M23",
		.todo = "-f target/gigadevice/gd32e23x.cfg (not in OpenOCD 0.12.0: use a newer OpenOCD) or "
			"target/stm32f1x.cfg with set CPUTAPID 0x0bf11477",
		.source = "OOCD gd32e23x.cfg + stm32f1x.c" },
	{ .name = "GigaDevice GD32VF103 (RISC-V)", .maker = "GigaDevice", .detectable = false,
		.dev_id = 0x410, .rev_id = 0x1906,
		.tell = "DEV_ID 0x410 with REV_ID 0x1906; RISC-V, no SWD: an ST-LINK cannot debug it",
		.looks_like = "no SWD answer at all",
		.todo = "use a JTAG probe with -f target/gigadevice/gd32vf103.cfg",
		.source = "OOCD + BMP" },
	{ .name = "GigaDevice GD32F10x/F20x/F30x", .maker = "GigaDevice", .detectable = false,
		.tell = "STM32 DEV_IDs (0x410/0x414/0x418/0x430) but the ROM table's JEP106 designer is GigaDevice "
			"(0x751); the word at 0x1FFFF7E0 holds flash KiB (low) and SRAM KiB (high); not told apart "
			"here: the ROM-table designer is not read",
		.looks_like = "a genuine STM32F1; GD32F303 answers DPIDR 0x2BA01477",
		.todo = "-f target/stm32f1x.cfg (set CPUTAPID 0x2ba01477 if OpenOCD rejects the DPIDR)",
		.source = "BMP gd32f1_probe; WCH ch347#49" },
	{ .name = "GigaDevice GD32F4xx", .maker = "GigaDevice", .detectable = false,
		.tell = "ROM-table part number 0x2B3 (F450), 0xA2E (F470), 0xFA4 (F405); not read here",
		.looks_like = "an STM32F4", .todo = "-f target/stm32f4x.cfg may work; check flash size by hand",
		.source = "BMP only (single source)" },
	{ .name = "GigaDevice GD32E50x", .maker = "GigaDevice", .detectable = true,
		.dev_id = 0x444, .cpuid_partno = CPUID_CORTEX_M33,
		.tell = "DEV_ID 0x444 read at 0xE0044000 from a Cortex-M33 (a genuine 0x444 is an STM32F03x Cortex-M0)",
		.looks_like = "an STM32F0 DEV_ID on a Cortex-M33", .todo = "not supported by OpenOCD 0.12.0's STM32 drivers",
		.source = "BMP only (single source)" },
	{ .name = "Geehy APM32F0", .maker = "Geehy", .detectable = true,
		.dpidr = 0x0BC11477, .cpuid_partno = CPUID_CORTEX_M0P,
		.tell = "an STM32F0 DEV_ID (Cortex-M0, DPIDR 0x0BB11477 on ST parts) from a Cortex-M0+ with DPIDR 0x0BC11477",
		.looks_like = "OpenOCD with target/stm32f0x.cfg: \"UNEXPECTED idcode: 0x0bc11477\"",
		.todo = "-c \"set CPUTAPID 0x0bc11477\" before -f target/stm32f0x.cfg (newer OpenOCD: "
			"target/geehy/apm32f0x.cfg); flash driver stm32f1x",
		.source = "OOCD geehy/apm32f0x.cfg" },
	{ .name = "Geehy APM32F4", .maker = "Geehy", .detectable = false,
		.tell = "STM32-compatible IDs and DPIDR 0x2BA01477, like a genuine STM32F4: not told apart by IDs",
		.looks_like = "a genuine STM32F4", .todo = "-f target/stm32f4x.cfg (flash driver stm32f2x)",
		.source = "OOCD geehy/apm32f4x.cfg" },
	{ .name = "Artery AT32F4", .maker = "Artery", .detectable = false,
		.tell = "no identifying values in the reference; OpenOCD has target/artery/at32f4x.cfg (not in 0.12.0)",
		.looks_like = "an unknown DEV_ID", .todo = "a newer OpenOCD with target/artery/at32f4x.cfg",
		.source = "blaatschaap.be 32f103-comparison-part-3 (no distinguishing IDs published)" },
	{ .name = "WCH CH32F1", .maker = "WCH", .detectable = false,
		.tell = "no identifying values in the reference (BMP has its own driver, ch32f1.c)",
		.looks_like = "an STM32F103", .todo = "-f target/stm32f1x.cfg; flashing may need WCH's tools",
		.source = "blaatschaap.be 32f103-comparison-part-3 (no distinguishing IDs published)" },
	{ .name = "HK32 (Hangshun)", .maker = "Hangshun", .detectable = false,
		.tell = "not covered by the reference: nothing to compare", .looks_like = "unknown",
		.todo = "treat as an STM32 of the same line and verify flash contents after programming",
		.source = "none" },
};

const size_t stlink_diag_stm32_clones_size = ARRAY_LEN(stlink_diag_stm32_clones);

static bool is_f0_dev_id(uint16_t dev_id)
{
	const struct stlink_diag_stm32_part *p = stlink_diag_stm32_part_lookup(dev_id);

	return p && !strcmp(p->family, "F0");
}

static bool core_matches(const char *core, uint16_t partno)
{
	/* the table's core text against the CPUID part number */
	static const struct {
		uint16_t partno;
		const char *prefix;
	} cores[] = {
		{ 0xC20, "Cortex-M0" }, { 0xC60, "Cortex-M0+" }, { 0xC23, "Cortex-M3" }, { 0xC24, "Cortex-M4" },
		{ 0xC27, "Cortex-M7" }, { 0xD20, "Cortex-M23" }, { 0xD21, "Cortex-M33" },
	};

	for (size_t i = 0; i < ARRAY_LEN(cores); i++) {
		if (cores[i].partno != partno)
			continue;
		size_t n = strlen(cores[i].prefix);
		/* "Cortex-M0" must not match "Cortex-M0+" */
		return !strncmp(core, cores[i].prefix, n) && core[n] != '+' && !(core[n] >= '0' && core[n] <= '9');
	}
	return true;	/* unknown core: no opinion */
}

const struct stlink_diag_stm32_clone *stlink_diag_stm32_clone_match(uint32_t dpidr, uint16_t cpuid_partno,
	uint32_t idcode, char *why, size_t why_size)
{
	uint16_t dev_id = idcode & 0xfff, rev_id = idcode >> 16;

	if (why && why_size)
		why[0] = '\0';
	for (size_t i = 0; i < stlink_diag_stm32_clones_size; i++) {
		const struct stlink_diag_stm32_clone *c = &stlink_diag_stm32_clones[i];

		if (!c->detectable)
			continue;
		if (c->dev_id && c->dev_id != dev_id)
			continue;
		if (c->rev_id && c->rev_id != rev_id)
			continue;
		if (c->dpidr && c->dpidr != dpidr)
			continue;
		if (c->cpuid_partno && c->cpuid_partno != cpuid_partno)
			continue;
		/* the APM32F0 row has no DEV_ID of its own: it carries an F0 one */
		if (!c->dev_id && !is_f0_dev_id(dev_id))
			continue;
		return c;
	}

	const struct stlink_diag_stm32_part *p = stlink_diag_stm32_part_lookup(dev_id);

	if (!p || !why || !why_size)
		return NULL;
	/* generic tells (§9 "rule of thumb"): the DPIDR or the core of a genuine part differ */
	if (p->dpidr && !p->single_source && dpidr && dpidr != p->dpidr)
		snprintf(why, why_size, "DEV_ID 0x%03x (%s) normally answers DPIDR 0x%08X, this one 0x%08X: a look-alike "
			"or remarked part", (unsigned int)dev_id, p->line, (unsigned int)p->dpidr, (unsigned int)dpidr);
	else if (cpuid_partno && !core_matches(p->core, cpuid_partno))
		snprintf(why, why_size, "DEV_ID 0x%03x (%s) is a %s, but the core's CPUID part number is 0x%03x",
			(unsigned int)dev_id, p->line, p->core, (unsigned int)cpuid_partno);
	return NULL;
}
