// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * 32-bit debug registers read from the target: DPIDR, CPUID, AP IDR, DHCSR,
 * DP CTRL/STAT. Input: the register value (4 bytes LE), then one byte for the
 * size of the text buffer the bit names go into (0..255).
 */
#include "fuzz_common.h"
#include "stlink_diag_arm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t tmp[4] = { 0 };

	memcpy(tmp, data, size < 4 ? size : 4);
	uint32_t v = fuzz_le32(tmp);
	size_t bufsize = size > 4 ? data[4] : 64;
	char *buf = malloc(bufsize ? bufsize : 1);
	struct stlink_diag_dpidr dp;
	struct stlink_diag_cpuid cpu;
	struct stlink_diag_ap_idr ap;
	char rev[16];

	if (stlink_diag_dpidr_decode(v, &dp) == 0)
		fuzz_use_string(dp.designer_name);
	if (stlink_diag_cpuid_decode(v, &cpu) == 0) {
		stlink_diag_cpuid_revision_string(&cpu, rev, sizeof(rev));
		FUZZ_CHECK(memchr(rev, 0, sizeof(rev)));
		stlink_diag_cpuid_revision_string(&cpu, rev, 2);
		FUZZ_CHECK(memchr(rev, 0, 2));
		if (cpu.core)
			fuzz_use_string(cpu.core->name);
	}
	if (stlink_diag_ap_idr_decode(v, &ap) == 0) {
		fuzz_use_string(ap.designer_name);
		fuzz_use_string(ap.type_name);
	}
	fuzz_use_string(stlink_diag_dhcsr_state(v));
	stlink_diag_bits_format(stlink_diag_dhcsr_bits, stlink_diag_dhcsr_bits_size, v, buf, bufsize);
	if (bufsize)
		FUZZ_CHECK(memchr(buf, 0, bufsize));
	stlink_diag_bits_format(stlink_diag_ctrl_stat_bits, stlink_diag_ctrl_stat_bits_size, v, buf, bufsize);
	if (bufsize)
		FUZZ_CHECK(memchr(buf, 0, bufsize));
	free(buf);
	return 0;
}
