// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Unit tests for stlink_diag_errrate: one block read's GETLASTRWSTATUS(2)
 * reply. Reply layouts from OpenOCD 0.12.0 src/jtag/drivers/stlink_usb.c,
 * stlink_usb_get_rw_status() (12 bytes, status in byte 0; 2 bytes on older
 * firmware) and pyOCD pyocd/probe/stlink/stlink.py, STLink._read_mem() (the
 * fault address at bytes 4..7, little endian); the status codes from
 * stlink_usb.c's STLINK_SWD_* #defines. Expected counts worked out by hand:
 * a block of N words at A that failed at address F transferred (F - A) / 4.
 */

#include <stdint.h>
#include <string.h>

#include "stlink_diag_errrate.h"

#include "unit_rows.h"

#define A 0xE00FFC00u

struct expected_block {
	const char *what;
	uint32_t addr, words;
	uint8_t reply[12];
	size_t len;
	enum stlink_diag_errrate_kind kind;
	bool addr_in_block;
	uint32_t words_ok;
};

static struct expected_block blocks[] = {
	{ "ok, 256 words", A, 256, { 0x80 }, 12, STLINK_DIAG_ERRRATE_OK, false, 256 },
	{ "ok, old 2-byte reply", A, 64, { 0x80, 0x00 }, 2, STLINK_DIAG_ERRRATE_OK, false, 64 },
	/* 0x13 SWD_AP_PARITY_ERROR at 0xE00FFC28: words 0..9 went through */
	{ "parity at word 10", A, 256, { 0x13, 0, 0, 0, 0x28, 0xFC, 0x0F, 0xE0 }, 12,
	  STLINK_DIAG_ERRRATE_ERROR, true, 10 },
	{ "no ack at word 0", A, 256, { 0x12, 0, 0, 0, 0x00, 0xFC, 0x0F, 0xE0 }, 12,
	  STLINK_DIAG_ERRRATE_ERROR, true, 0 },
	{ "fault at the last word", A, 256, { 0x11, 0, 0, 0, 0xFC, 0xFF, 0x0F, 0xE0 }, 12,
	  STLINK_DIAG_ERRRATE_ERROR, true, 255 },
	/* one past the block: not a word of it */
	{ "fault address past the block", A, 256, { 0x16, 0, 0, 0, 0x00, 0x00, 0x10, 0xE0 }, 12,
	  STLINK_DIAG_ERRRATE_ERROR, false, 0 },
	{ "fault address below the block", A, 16, { 0x16, 0, 0, 0, 0xFC, 0xFB, 0x0F, 0xE0 }, 12,
	  STLINK_DIAG_ERRRATE_ERROR, false, 0 },
	{ "misaligned fault address", A, 16, { 0x13, 0, 0, 0, 0x06, 0xFC, 0x0F, 0xE0 }, 12,
	  STLINK_DIAG_ERRRATE_ERROR, false, 0 },
	/* a reply whose tail the probe did not fill: address 0 */
	{ "error with a zero tail", A, 16, { 0x17 }, 12, STLINK_DIAG_ERRRATE_ERROR, false, 0 },
	{ "error, old 2-byte reply", A, 16, { 0x13, 0x00 }, 2, STLINK_DIAG_ERRRATE_ERROR, false, 0 },
	{ "AP WAIT", A, 256, { 0x10, 0, 0, 0, 0x00, 0xFC, 0x0F, 0xE0 }, 12, STLINK_DIAG_ERRRATE_WAIT, true, 0 },
	{ "DP WAIT", A, 256, { 0x14 }, 12, STLINK_DIAG_ERRRATE_WAIT, false, 0 },
	{ "impossible status 0xEE", A, 256, { 0xEE, 0, 0, 0, 0x28, 0xFC, 0x0F, 0xE0 }, 12,
	  STLINK_DIAG_ERRRATE_MALFORMED, false, 0 },
	{ "status 0x00", A, 256, { 0x00 }, 12, STLINK_DIAG_ERRRATE_MALFORMED, false, 0 },
};

static void test_block(void **state)
{
	const struct expected_block *e = *state;
	struct stlink_diag_errrate_block b;

	assert_int_equal(stlink_diag_errrate_block_decode(e->addr, e->words, e->reply, e->len, &b), 0);
	assert_int_equal(b.kind, e->kind);
	assert_int_equal(b.status, e->reply[0]);
	assert_int_equal(b.addr_in_block, e->addr_in_block);
	assert_int_equal(b.words_ok, e->words_ok);
	assert_int_equal(b.has_addr, e->len >= 8);
}

static void test_bad_input(void **state)
{
	(void)state;
	struct stlink_diag_errrate_block b;
	const uint8_t reply[12] = { 0x80 };

	assert_int_equal(stlink_diag_errrate_block_decode(A, 16, reply, 1, &b), -1);
	assert_int_equal(stlink_diag_errrate_block_decode(A, 16, reply, 0, &b), -1);
	assert_int_equal(stlink_diag_errrate_block_decode(A, 16, NULL, 12, &b), -1);
	assert_int_equal(stlink_diag_errrate_block_decode(A, 0, reply, 12, &b), -1);
	assert_int_equal(stlink_diag_errrate_block_decode(A + 2, 16, reply, 12, &b), -1);
	assert_int_equal(stlink_diag_errrate_block_decode(A, 16, reply, 12, NULL), -1);
}

/* never across a 1 KiB boundary (the MEM-AP's guaranteed TAR auto-increment range) */
struct expected_words {
	uint32_t addr, left, words;
};

static struct expected_words words_rows[] = {
	{ 0xE00FFC00, 1024, 256 }, { 0xE00FFC00, 100, 100 }, { 0xE00FFF00, 1024, 64 },
	{ 0xE00FFFFC, 8, 1 }, { 0x20000000, 0, 0 }, { 0x20000004, 300, 255 },
};

static void test_words(void **state)
{
	const struct expected_words *e = *state;

	assert_int_equal(stlink_diag_errrate_block_words(e->addr, e->left), e->words);
}

/* the ROM table's component ID, CIDR0..3 at 0xE00FFFF0: 0x0D 0x10 0x05 0xB1 (ARM IHI 0029) */
static void test_cidr(void **state)
{
	(void)state;
	uint8_t data[1024] = { 0 };
	const uint8_t cidr[16] = { 0x0D, 0, 0, 0, 0x10, 0, 0, 0, 0x05, 0, 0, 0, 0xB1, 0, 0, 0 };

	memcpy(data + 0x3F0, cidr, sizeof(cidr));
	assert_int_equal(stlink_diag_errrate_cidr_mismatches(A, 256, data), 0);
	/* the block stopped before the component ID: nothing to compare */
	assert_int_equal(stlink_diag_errrate_cidr_mismatches(A, 252, data), 0);
	data[0x3F4] = 0x90;	/* CIDR1 read wrong */
	assert_int_equal(stlink_diag_errrate_cidr_mismatches(A, 256, data), 1);
	memset(data + 0x3F0, 0, 16);
	assert_int_equal(stlink_diag_errrate_cidr_mismatches(A, 256, data), 4);
	/* a block elsewhere never compares */
	assert_int_equal(stlink_diag_errrate_cidr_mismatches(0x20000000, 256, data), 0);
	assert_int_equal(stlink_diag_errrate_cidr_mismatches(A, 256, NULL), 0);
}

int main(void)
{
	for (size_t i = 0; i < ARRAY_LEN(blocks); i++)
		add_test(test_block, &blocks[i], "block: %s", blocks[i].what);
	add_test(test_bad_input, NULL, "short reply, no words, misaligned address: -1");
	for (size_t i = 0; i < ARRAY_LEN(words_rows); i++)
		add_test(test_words, &words_rows[i], "block words at 0x%08x, %u left", words_rows[i].addr,
			words_rows[i].left);
	add_test(test_cidr, NULL, "ROM table component ID check");
	return _cmocka_run_group_tests("stlink_diag_errrate", tests, n_tests, NULL, NULL);
}
