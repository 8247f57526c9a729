// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of stlink_diag_usb_format.c. Expected values come from
 * OpenOCD 0.12.0 stlink_usb.c, stlink_usb_get_alternate_serial() and its comment on the
 * buggy V2 DFU serial ("57FF72067265575742132067": descriptor 0x1a 0x03 0x57
 * 0x00 0xFF 0x00 0x72 0x00 ...) and the doc of `adapter usb location`
 * ("<bus>-<port>[.<port>]...").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "stlink_diag_usb_format.h"

/* the 26-byte descriptor of the example serial 57FF72067265575742132067 */
static const uint8_t binary_desc[26] = {
	0x1a, 0x03, 0x57, 0x00, 0xff, 0x00, 0x72, 0x00, 0x06, 0x00, 0x72, 0x00, 0x65, 0x00,
	0x57, 0x00, 0x57, 0x00, 0x42, 0x00, 0x13, 0x00, 0x20, 0x00, 0x67, 0x00,
};

static void binary_serial_from_the_reference_example(void **state)
{
	char out[32];

	(void)state;
	assert_int_equal(stlink_diag_usb_binary_serial(binary_desc, sizeof(binary_desc), out, sizeof(out)), 0);
	assert_string_equal(out, "57FF72067265575742132067");
}

static void normal_serial_is_not_binary(void **state)
{
	/* 24 hex digits as UTF-16: bLength 50 */
	uint8_t desc[50] = { 50, 0x03 };
	char out[32];

	(void)state;
	for (int i = 0; i < 24; i++)
		desc[2 + 2 * i] = "066DFF535254887767184434"[i];
	assert_int_equal(stlink_diag_usb_binary_serial(desc, sizeof(desc), out, sizeof(out)), -1);
}

static void binary_serial_rejects_short_or_wrong_type(void **state)
{
	uint8_t desc[26];
	char out[32], small[10];

	(void)state;
	memcpy(desc, binary_desc, sizeof(desc));
	assert_int_equal(stlink_diag_usb_binary_serial(desc, 20, out, sizeof(out)), -1);
	desc[1] = 0x02;	/* a configuration descriptor, not a string */
	assert_int_equal(stlink_diag_usb_binary_serial(desc, sizeof(desc), out, sizeof(out)), -1);
	assert_int_equal(stlink_diag_usb_binary_serial(binary_desc, sizeof(binary_desc), small, sizeof(small)), -1);
}

static void location_forms(void **state)
{
	char out[64];
	const uint8_t one[] = { 1 }, hub[] = { 2, 1, 4 };

	(void)state;
	stlink_diag_usb_location(1, one, 1, out, sizeof(out));
	assert_string_equal(out, "1-1");
	stlink_diag_usb_location(3, hub, 3, out, sizeof(out));
	assert_string_equal(out, "3-2.1.4");
	stlink_diag_usb_location(12, NULL, 0, out, sizeof(out));
	assert_string_equal(out, "12");
}

static void location_truncates_safely(void **state)
{
	char out[4];
	const uint8_t hub[] = { 2, 1, 4, 7, 7, 7, 7 };

	(void)state;
	stlink_diag_usb_location(200, hub, 7, out, sizeof(out));
	assert_int_equal(strlen(out), 3);
}

static void escape_serial(void **state)
{
	char out[128];

	(void)state;
	/* libusb's ASCII reading of the example: 0xFF becomes '?', 0x06 and 0x13 stay control bytes */
	stlink_diag_usb_escape_serial("W?r\x06reWWB\x13 g", out, sizeof(out));
	assert_string_equal(out, "W?r\\x06reWWB\\x13 g");
	stlink_diag_usb_escape_serial("066DFF535254887767184434", out, sizeof(out));
	assert_string_equal(out, "066DFF535254887767184434");
	stlink_diag_usb_escape_serial("a\\b", out, sizeof(out));
	assert_string_equal(out, "a\\x5Cb");
}

static void escape_serial_bounded(void **state)
{
	char out[8];

	(void)state;
	stlink_diag_usb_escape_serial("\x01\x02\x03\x04", out, sizeof(out));
	assert_true(strlen(out) < sizeof(out));
	assert_string_equal(out, "\\x01");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(binary_serial_from_the_reference_example),
		cmocka_unit_test(normal_serial_is_not_binary),
		cmocka_unit_test(binary_serial_rejects_short_or_wrong_type),
		cmocka_unit_test(location_forms),
		cmocka_unit_test(location_truncates_safely),
		cmocka_unit_test(escape_serial),
		cmocka_unit_test(escape_serial_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
