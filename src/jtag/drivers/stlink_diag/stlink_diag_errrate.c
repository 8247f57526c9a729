// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Transfer error rate: decoding one block read. See stlink_diag_errrate.h.
 */

#include "stlink_diag_errrate.h"
#include "stlink_diag_status.h"

const uint32_t stlink_diag_errrate_rom_cidr[4] = { 0x0D, 0x10, 0x05, 0xB1 };

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int stlink_diag_errrate_block_decode(uint32_t addr, uint32_t words, const uint8_t *reply, size_t len,
		struct stlink_diag_errrate_block *b)
{
	if (!b || !reply || words == 0 || (addr & 3))
		return -1;
	*b = (struct stlink_diag_errrate_block){ 0 };
	if (stlink_diag_rw_status_decode(reply, len, &b->status, &b->fault_addr, &b->has_addr) != 0)
		return -1;

	const struct stlink_diag_status *st = stlink_diag_status_lookup(b->status);
	if (!st) {
		b->kind = STLINK_DIAG_ERRRATE_MALFORMED;
		return 0;
	}
	if (st->class == STLINK_DIAG_ST_OK) {
		b->kind = STLINK_DIAG_ERRRATE_OK;
		b->words_ok = words;
		return 0;
	}
	b->kind = st->class == STLINK_DIAG_ST_WAIT ? STLINK_DIAG_ERRRATE_WAIT : STLINK_DIAG_ERRRATE_ERROR;
	/* offset from the block start; unsigned wrap puts addresses below it out of range */
	uint32_t off = b->fault_addr - addr;
	if (b->has_addr && !(off & 3) && off / 4 < words) {
		b->addr_in_block = true;
		b->words_ok = off / 4;
	}
	return 0;
}

uint32_t stlink_diag_errrate_block_words(uint32_t addr, uint32_t left)
{
	uint32_t room = (STLINK_DIAG_ERRRATE_BLOCK_BYTES - (addr & (STLINK_DIAG_ERRRATE_BLOCK_BYTES - 1))) / 4;

	return left < room ? left : room;
}

unsigned int stlink_diag_errrate_cidr_mismatches(uint32_t addr, uint32_t words, const uint8_t *data)
{
	const uint32_t cidr = STLINK_DIAG_ERRRATE_ADDR + STLINK_DIAG_ERRRATE_CIDR_OFFSET;
	unsigned int bad = 0;

	if (!data)
		return 0;
	for (uint32_t i = 0; i < words; i++) {
		uint32_t off = addr + 4 * i - cidr;
		if (off < sizeof(stlink_diag_errrate_rom_cidr) && !(off & 3)
				&& le32(data + 4 * i) != stlink_diag_errrate_rom_cidr[off / 4])
			bad++;
	}
	return bad;
}
