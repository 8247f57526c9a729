// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Unit tests for stlink_diag_status. Expected rows are written from
 * OpenOCD 0.12.0 src/jtag/drivers/stlink_usb.c (names: the #defines; OpenOCD
 * result: stlink_usb_error_check(); TCP words: STLINK_TCP_SS_*), not from
 * the code's output: one cmocka test per row.
 */

#include <stdint.h>
#include <string.h>

#include "stlink_diag_status.h"

#include "unit_rows.h"

/* ---- debug status byte: stlink_usb.c, stlink_usb_error_check() ---- */
struct expected_status {
	uint8_t code;
	const char *token;
	enum stlink_diag_status_class class;
	bool named;
	const char *result;
};

static struct expected_status expected_status[] = {
	{ 0x80, "DEBUG_ERR_OK", STLINK_DIAG_ST_OK, true, "ERROR_OK" },
	{ 0x81, "DEBUG_ERR_FAULT", STLINK_DIAG_ST_FAULT, true, "ERROR_FAIL" },
	{ 0x01, "JTAG_UNKNOWN_ERROR", STLINK_DIAG_ST_PROBE, false, "ERROR_FAIL" },
	{ 0x02, "JTAG_SPI_ERROR", STLINK_DIAG_ST_PROBE, false, "ERROR_FAIL" },
	{ 0x03, "JTAG_DMA_ERROR", STLINK_DIAG_ST_PROBE, false, "ERROR_FAIL" },
	{ 0x04, "JTAG_UNKNOWN_JTAG_CHAIN", STLINK_DIAG_ST_NO_TARGET, false, "ERROR_FAIL" },
	{ 0x05, "JTAG_NO_DEVICE_CONNECTED", STLINK_DIAG_ST_NO_TARGET, false, "ERROR_FAIL" },
	{ 0x06, "JTAG_INTERNAL_ERROR", STLINK_DIAG_ST_PROBE, false, "ERROR_FAIL" },
	{ 0x07, "JTAG_CMD_WAIT", STLINK_DIAG_ST_WAIT, false, "ERROR_FAIL" },
	{ 0x08, "JTAG_CMD_ERROR", STLINK_DIAG_ST_PROBE, false, "ERROR_FAIL" },
	{ 0x09, "JTAG_GET_IDCODE_ERROR", STLINK_DIAG_ST_NO_TARGET, true, "ERROR_FAIL" },
	{ 0x0A, "JTAG_ALIGNMENT_ERROR", STLINK_DIAG_ST_PROBE, false, "ERROR_FAIL" },
	{ 0x0B, "JTAG_DBG_POWER_ERROR", STLINK_DIAG_ST_POWER, false, "ERROR_FAIL" },
	{ 0x0C, "JTAG_WRITE_ERROR", STLINK_DIAG_ST_FAULT, true, "ERROR_FAIL" },
	{ 0x0D, "JTAG_WRITE_VERIF_ERROR", STLINK_DIAG_ST_FAULT, true, "ERROR_OK" },   /* ignored by 0.12.0 */
	{ 0x0E, "JTAG_ALREADY_OPENED_IN_OTHER_MODE", STLINK_DIAG_ST_PROBE, false, "ERROR_FAIL" },
	{ 0x10, "SWD_AP_WAIT", STLINK_DIAG_ST_WAIT, true, "ERROR_WAIT" },
	{ 0x11, "SWD_AP_FAULT", STLINK_DIAG_ST_FAULT, true, "ERROR_FAIL" },
	{ 0x12, "SWD_AP_ERROR", STLINK_DIAG_ST_LINE_ERROR, true, "ERROR_FAIL" },
	{ 0x13, "SWD_AP_PARITY_ERROR", STLINK_DIAG_ST_LINE_ERROR, true, "ERROR_FAIL" },
	{ 0x14, "SWD_DP_WAIT", STLINK_DIAG_ST_WAIT, true, "ERROR_WAIT" },
	{ 0x15, "SWD_DP_FAULT", STLINK_DIAG_ST_FAULT, true, "ERROR_FAIL" },
	{ 0x16, "SWD_DP_ERROR", STLINK_DIAG_ST_LINE_ERROR, true, "ERROR_FAIL" },
	{ 0x17, "SWD_DP_PARITY_ERROR", STLINK_DIAG_ST_LINE_ERROR, true, "ERROR_FAIL" },
	{ 0x18, "SWD_AP_WDATA_ERROR", STLINK_DIAG_ST_LINE_ERROR, true, "ERROR_FAIL" },
	{ 0x19, "SWD_AP_STICKY_ERROR", STLINK_DIAG_ST_FAULT, true, "ERROR_FAIL" },
	{ 0x1A, "SWD_AP_STICKYORUN_ERROR", STLINK_DIAG_ST_FAULT, true, "ERROR_FAIL" },
	{ 0x1D, "BAD_AP_ERROR", STLINK_DIAG_ST_PROBE, true, "ERROR_FAIL" },
	{ 0x20, "SWV_NOT_AVAILABLE", STLINK_DIAG_ST_PROBE, false, "ERROR_FAIL" },
	{ 0x41, "JTAG_FREQ_NOT_SUPPORTED", STLINK_DIAG_ST_PROBE, false, "ERROR_FAIL" },
	{ 0x42, "JTAG_UNKNOWN_CMD", STLINK_DIAG_ST_PROBE, false, "ERROR_FAIL" },
};

static void test_status_row(void **state)
{
	const struct expected_status *e = *state;
	const struct stlink_diag_status *s = stlink_diag_status_lookup(e->code);

	assert_non_null(s);
	assert_int_equal(s->code, e->code);
	assert_string_equal(s->token, e->token);
	assert_int_equal(s->class, e->class);
	assert_int_equal(s->named_by_openocd, e->named);
	assert_string_equal(s->openocd_result, e->result);
	assert_true(s->meaning && s->meaning[0]);
	assert_true(s->causes && s->causes[0]);
}

static void test_status_table_matches_reference_count(void **state)
{
	(void)state;
	/* every table row is one of the reference rows, and vice versa */
	assert_int_equal(stlink_diag_status_table_size, ARRAY_LEN(expected_status));
}

static void test_status_no_duplicates(void **state)
{
	(void)state;
	for (size_t i = 0; i < stlink_diag_status_table_size; i++)
		for (size_t j = i + 1; j < stlink_diag_status_table_size; j++) {
			assert_int_not_equal(stlink_diag_status_table[i].code, stlink_diag_status_table[j].code);
			assert_string_not_equal(stlink_diag_status_table[i].token, stlink_diag_status_table[j].token);
		}
}

static void test_status_unknown(void **state)
{
	(void)state;
	const uint8_t unknown[] = { 0x00, 0x0F, 0x1B, 0x1C, 0x1E, 0x21, 0x40, 0x43, 0x7F, 0x82, 0xFF };

	for (size_t i = 0; i < ARRAY_LEN(unknown); i++)
		assert_null(stlink_diag_status_lookup(unknown[i]));
}

static void test_status_class_names(void **state)
{
	(void)state;
	assert_string_equal(stlink_diag_status_class_name(STLINK_DIAG_ST_OK), "ok");
	assert_string_equal(stlink_diag_status_class_name(STLINK_DIAG_ST_WAIT), "wait");
	assert_string_equal(stlink_diag_status_class_name(STLINK_DIAG_ST_NO_TARGET), "no_target");
	assert_string_equal(stlink_diag_status_class_name(STLINK_DIAG_ST_FAULT), "fault");
	assert_string_equal(stlink_diag_status_class_name(STLINK_DIAG_ST_LINE_ERROR), "line_error");
	assert_string_equal(stlink_diag_status_class_name(STLINK_DIAG_ST_POWER), "power");
	assert_string_equal(stlink_diag_status_class_name(STLINK_DIAG_ST_PROBE), "probe");
	assert_string_equal(stlink_diag_status_class_name((enum stlink_diag_status_class)99), "unknown");
}

/* ---- TCP status words: stlink_usb.c, STLINK_TCP_SS_* ---- */
struct expected_tcp {
	uint32_t code;
	const char *token;
	bool named;
	const char *result;
};

static struct expected_tcp expected_tcp[] = {
	{ 0x00000001, "SS_OK", true, "ERROR_OK" },
	{ 0x00001000, "SS_MEMORY_PROBLEM", true, "ERROR_FAIL" },
	{ 0x00001001, "SS_TIMEOUT", true, "ERROR_FAIL" },
	{ 0x00001002, "SS_BAD_PARAMETER", true, "ERROR_FAIL" },
	{ 0x00001003, "SS_OPEN_ERR", true, "ERROR_FAIL" },
	{ 0x00001052, "SS_TRUNCATED_DATA", true, "ERROR_FAIL" },
	{ 0x00001053, "SS_CMD_NOT_AVAILABLE", true, "ERROR_FAIL" },
	{ 0x00002001, "SS_TCP_ERROR", true, "ERROR_FAIL" },
	{ 0x00002002, "SS_TCP_CANT_CONNECT", true, "ERROR_FAIL" },
	{ 0x00002003, "SS_TCP_CLOSE_ERROR", true, "ERROR_FAIL" },
	{ 0x00002004, "SS_TCP_BUSY", true, "ERROR_WAIT" },
	{ 0x00010000, "SS_WIN32_ERROR", true, "ERROR_FAIL" },
	{ 0x00000004, "SS_ERR", false, "ERROR_FAIL" },
	{ 0x00001004, "SS_TRANSFER_ERR", false, "ERROR_FAIL" },
	{ 0x00001050, "SS_NO_SUCH_INFO", false, "ERROR_FAIL" },
	{ 0x00001051, "SS_BAD_BUFFER_SIZE", false, "ERROR_FAIL" },
	{ 0x00001054, "SS_DEVICE_NOT_SUPPORTED", false, "ERROR_FAIL" },
	{ 0x00001055, "SS_PERMISSION_ERR", false, "ERROR_FAIL" },
	{ 0x00002000, "SS_FAILED", false, "ERROR_FAIL" },
	{ 0x00005000, "SS_SCSI_ERROR", false, "ERROR_FAIL" },
};

static void test_tcp_row(void **state)
{
	const struct expected_tcp *e = *state;
	const struct stlink_diag_tcp_status *s = stlink_diag_tcp_status_lookup(e->code);

	assert_non_null(s);
	assert_int_equal(s->code, e->code);
	assert_string_equal(s->token, e->token);
	assert_int_equal(s->named_by_openocd, e->named);
	assert_string_equal(s->openocd_result, e->result);
	assert_true(s->meaning && s->meaning[0]);
}

static void test_tcp_table(void **state)
{
	(void)state;
	assert_int_equal(stlink_diag_tcp_status_table_size, ARRAY_LEN(expected_tcp));
	for (size_t i = 0; i < stlink_diag_tcp_status_table_size; i++)
		for (size_t j = i + 1; j < stlink_diag_tcp_status_table_size; j++)
			assert_int_not_equal(stlink_diag_tcp_status_table[i].code, stlink_diag_tcp_status_table[j].code);
	assert_null(stlink_diag_tcp_status_lookup(0));
	assert_null(stlink_diag_tcp_status_lookup(0x80));
	assert_null(stlink_diag_tcp_status_lookup(0xFFFFFFFF));
}

/* ---- mode byte: stlink_usb.c, STLINK_DEV_*_MODE, stlink_usb_current_mode() ---- */
struct expected_mode {
	uint8_t code;
	const char *token;
};

static struct expected_mode expected_mode[] = {
	{ 0, "DEV_DFU_MODE" },
	{ 1, "DEV_MASS_MODE" },
	{ 2, "DEV_DEBUG_MODE" },
	{ 3, "DEV_SWIM_MODE" },
	{ 4, "DEV_BOOTLOADER_MODE" },
};

static void test_mode_row(void **state)
{
	const struct expected_mode *e = *state;
	const struct stlink_diag_mode *m = stlink_diag_mode_lookup(e->code);

	assert_non_null(m);
	assert_int_equal(m->code, e->code);
	assert_string_equal(m->token, e->token);
	assert_true(m->name && m->name[0]);
	assert_true(m->meaning && m->meaning[0]);
}

static void test_mode_table(void **state)
{
	(void)state;
	assert_int_equal(stlink_diag_mode_table_size, ARRAY_LEN(expected_mode));
	for (size_t i = 0; i < stlink_diag_mode_table_size; i++)
		for (size_t j = i + 1; j < stlink_diag_mode_table_size; j++)
			assert_int_not_equal(stlink_diag_mode_table[i].code, stlink_diag_mode_table[j].code);
	assert_null(stlink_diag_mode_lookup(5));
	assert_null(stlink_diag_mode_lookup(0x80));
	assert_null(stlink_diag_mode_lookup(0xFF));
}

/* ---- GETLASTRWSTATUS(2) ---- */
static void test_rw_status_decode(void **state)
{
	(void)state;
	const uint8_t r12[12] = { 0x11, 0x00, 0, 0, 0x04, 0x00, 0x00, 0x20 };
	const uint8_t r2[2] = { 0x80, 0x00 };
	uint8_t st;
	uint32_t addr;
	bool has;

	assert_int_equal(stlink_diag_rw_status_decode(r12, sizeof(r12), &st, &addr, &has), 0);
	assert_int_equal(st, 0x11);
	assert_true(has);
	assert_int_equal(addr, 0x20000004);

	assert_int_equal(stlink_diag_rw_status_decode(r2, sizeof(r2), &st, &addr, &has), 0);
	assert_int_equal(st, 0x80);
	assert_false(has);

	assert_int_equal(stlink_diag_rw_status_decode(r2, 1, &st, &addr, &has), -1);
	assert_int_equal(stlink_diag_rw_status_decode(r2, 0, &st, &addr, &has), -1);
	assert_int_equal(stlink_diag_rw_status_decode(NULL, 12, &st, &addr, &has), -1);
}

int main(void)
{
	for (size_t i = 0; i < ARRAY_LEN(expected_status); i++)
		add_test(test_status_row, &expected_status[i], "status 0x%02X %s",
			(unsigned int)expected_status[i].code, expected_status[i].token);
	for (size_t i = 0; i < ARRAY_LEN(expected_tcp); i++)
		add_test(test_tcp_row, &expected_tcp[i], "tcp status 0x%08X %s",
			(unsigned int)expected_tcp[i].code, expected_tcp[i].token);
	for (size_t i = 0; i < ARRAY_LEN(expected_mode); i++)
		add_test(test_mode_row, &expected_mode[i], "mode %u %s",
			(unsigned int)expected_mode[i].code, expected_mode[i].token);
	add_test(test_status_table_matches_reference_count, NULL, "status table size");
	add_test(test_status_no_duplicates, NULL, "status no duplicates");
	add_test(test_status_unknown, NULL, "status unknown codes");
	add_test(test_status_class_names, NULL, "status class names");
	add_test(test_tcp_table, NULL, "tcp table");
	add_test(test_mode_table, NULL, "mode table");
	add_test(test_rw_status_decode, NULL, "rw status decode");
	return _cmocka_run_group_tests("stlink_diag_status", tests, n_tests, NULL, NULL);
}
