// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * GET_VERSION (0xF1, 6 bytes) and APIV3_GET_VERSION_EX (0xFB, 12 bytes) as
 * stlink_diag decodes them: input = the F1 reply, then the FB reply.
 */
#include "fuzz_common.h"
#include "stlink_diag_probe_models.h"
#include "stlink_diag_version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t first = size < STLINK_DIAG_VERSION_REPLY_SIZE ? size : STLINK_DIAG_VERSION_REPLY_SIZE;
	uint8_t *f1 = malloc(first ? first : 1);
	uint8_t *fb = malloc(size - first ? size - first : 1);
	struct stlink_diag_version v;
	char buf[STLINK_DIAG_VERSION_STRING_SIZE];

	memcpy(f1, data, first);
	memcpy(fb, data + first, size - first);
	memset(&v, 0xa5, sizeof(v));
	if (stlink_diag_version_decode(f1, first, &v) == 0) {
		if (v.needs_ex)
			stlink_diag_version_decode_ex(fb, size - first, &v);
		stlink_diag_version_string(&v, buf, sizeof(buf));
		FUZZ_CHECK(memchr(buf, 0, sizeof(buf)));
		/* a too-small buffer must still be terminated */
		stlink_diag_version_string(&v, buf, 3);
		FUZZ_CHECK(memchr(buf, 0, 3));
		stlink_diag_version_flags(&v);
		for (size_t i = 0; i < stlink_diag_fw_minimum_table_size; i++)
			stlink_diag_fw_meets(&stlink_diag_fw_minimum_table[i], &v);
		const struct stlink_diag_probe_model *m = stlink_diag_probe_model_lookup(v.pid);

		if (m)
			fuzz_use_string(m->model);
	}
	/* the EX decoder on its own, at any length */
	stlink_diag_version_decode_ex(fb, size - first, &v);
	free(f1);
	free(fb);
	return 0;
}
