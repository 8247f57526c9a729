// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * APIV3_GET_COM_FREQ (0xF2 0x62) reply: an absurd count must never write past
 * the caller's array. Input byte 0 picks the caller's array size (0..10), the
 * rest is the reply; the array is heap-allocated at exactly that size.
 */
#include "fuzz_common.h"
#include "stlink_diag_version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t max = data[0] % (STLINK_DIAG_COM_FREQ_MAX + 1);
	uint8_t *r = malloc(size - 1 ? size - 1 : 1);
	uint32_t *khz = malloc(max ? max * sizeof(*khz) : 1);
	size_t count = 12345;

	memcpy(r, data + 1, size - 1);
	if (stlink_diag_com_freq_decode(r, size - 1, khz, max, &count) == 0) {
		FUZZ_CHECK(count <= max);
		for (size_t i = 0; i < count; i++)
			(void)khz[i];
	}
	free(r);
	free(khz);
	return 0;
}
