// SPDX-License-Identifier: GPL-2.0-or-later
/* GET_TARGET_VOLTAGE (0xF7) reply: a0 = 0, huge a1 and short replies must give -1 or a finite value. */
#include <math.h>

#include "fuzz_common.h"
#include "stlink_diag_version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *r = malloc(size ? size : 1);
	double volts = 0;

	memcpy(r, data, size);
	if (stlink_diag_voltage_decode(r, size, &volts) == 0)
		FUZZ_CHECK(isfinite(volts) && volts >= 0);
	free(r);
	return 0;
}
