// SPDX-License-Identifier: GPL-2.0-or-later
/* READ_IDCODES (0xF2 0x31) reply, then the DPIDR decode of what it carried. */
#include "fuzz_common.h"
#include "stlink_diag_arm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *r = malloc(size ? size : 1);
	uint8_t status;
	uint32_t idcode;
	struct stlink_diag_dpidr d;

	memcpy(r, data, size);
	if (stlink_diag_idcodes_decode(r, size, &status, &idcode) == 0 && stlink_diag_dpidr_decode(idcode, &d) == 0) {
		fuzz_use_string(d.designer_name);
		fuzz_use_string(stlink_diag_dp_version_name(d.version));
	}
	FUZZ_CHECK(stlink_diag_idcodes_decode(r, size, NULL, NULL) != 0);
	free(r);
	return 0;
}
