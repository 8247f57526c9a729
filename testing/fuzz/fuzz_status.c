// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Status bytes and words the probe or stlink-server sends: the ST-LINK status
 * byte, GET_CURRENT_MODE, the stlink-server u32 status, and the
 * GETLASTRWSTATUS(2) reply (2 or 12 bytes) with its fault address.
 */
#include "fuzz_common.h"
#include "stlink_diag_status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *r = malloc(size ? size : 1);
	uint8_t status = 0;
	uint32_t addr = 0;
	bool has_addr = false;

	memcpy(r, data, size);
	if (size >= 1) {
		const struct stlink_diag_status *st = stlink_diag_status_lookup(r[0]);
		const struct stlink_diag_mode *m = stlink_diag_mode_lookup(r[0]);

		if (st) {
			FUZZ_CHECK(st->code == r[0]);
			fuzz_use_string(st->token);
			fuzz_use_string(st->meaning);
			fuzz_use_string(st->causes);
			fuzz_use_string(st->openocd_result);
			fuzz_use_string(stlink_diag_status_class_name(st->class));
		}
		if (m) {
			fuzz_use_string(m->token);
			fuzz_use_string(m->meaning);
		}
	}
	if (size >= 4) {
		const struct stlink_diag_tcp_status *t = stlink_diag_tcp_status_lookup(fuzz_le32(r));

		if (t)
			fuzz_use_string(t->meaning);
	}
	if (stlink_diag_rw_status_decode(r, size, &status, &addr, &has_addr) == 0)
		FUZZ_CHECK(status == r[0]);
	free(r);
	return 0;
}
