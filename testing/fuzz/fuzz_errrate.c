// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One block read's GETLASTRWSTATUS(2) reply (stlink_diag_errrate): the
 * first 8 bytes are the block's address and word count, the rest the reply;
 * then the component ID check over the same bytes as block data.
 */
#include "fuzz_common.h"
#include "stlink_diag_errrate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stlink_diag_errrate_block b;

	if (size < 8)
		return 0;
	uint32_t addr = fuzz_le32(data), words = fuzz_le32(data + 4) & 0xffff;
	size_t len = size - 8;
	uint8_t *r = malloc(len ? len : 1);

	memcpy(r, data + 8, len);
	if (stlink_diag_errrate_block_decode(addr, words, r, len, &b) == 0) {
		FUZZ_CHECK(b.words_ok <= words);
		FUZZ_CHECK(b.kind != STLINK_DIAG_ERRRATE_OK || b.words_ok == words);
		FUZZ_CHECK(!b.addr_in_block || b.fault_addr - addr == 4 * b.words_ok);
	}
	FUZZ_CHECK(stlink_diag_errrate_block_words(addr, words) <= 256);
	stlink_diag_errrate_cidr_mismatches(addr, len / 4, r);
	free(r);
	return 0;
}
