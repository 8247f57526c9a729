// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Unit tests for stlink_diag_probe_models. Expected rows are written from
 * OpenOCD 0.12.0 (the nine PIDs of tcl/interface/stlink.cfg, their #define
 * names and command endpoints in src/jtag/drivers/stlink_usb.c,
 * stlink_usb_usb_open()) and from pyOCD pyocd/probe/stlink/usb.py and
 * stlink-org src/stlink-lib/usb.h (PIDs only other tools know).
 */

#include <stdint.h>
#include <string.h>

#include "stlink_diag_probe_models.h"

#include "unit_rows.h"

struct expected_model {
	uint16_t pid;
	const char *model;
	unsigned int hw;
	bool known;
	const char *openocd_name;   /* NULL: 0.12.0 has no #define */
	bool v21_heuristic;         /* OpenOCD applies the STM8-only V2-1 check to this PID */
	uint8_t tx_ep;              /* command endpoint: STLINK_TX_EP 0x02 or STLINK_V2_1_TX_EP 0x01 */
};

static struct expected_model expected[] = {
	{ 0x3744, "STLINK-V1", 1, true, "STLINK_V1_PID", false, 0x02 },
	{ 0x3748, "STLINK-V2", 2, true, "STLINK_V2_PID", false, 0x02 },
	{ 0x374B, "STLINK-V2-1", 2, true, "STLINK_V2_1_PID", true, 0x01 },
	{ 0x3752, "STLINK-V2-1 (no MSD)", 2, true, "STLINK_V2_1_NO_MSD_PID", true, 0x01 },
	{ 0x374D, "STLINK-V3 (USB loader)", 3, true, "STLINK_V3_USBLOADER_PID", false, 0x01 },
	{ 0x374E, "STLINK-V3E", 3, true, "STLINK_V3E_PID", false, 0x01 },
	{ 0x374F, "STLINK-V3S", 3, true, "STLINK_V3S_PID", false, 0x01 },
	{ 0x3753, "STLINK-V3 (2 VCP)", 3, true, "STLINK_V3_2VCP_PID", false, 0x01 },
	{ 0x3754, "STLINK-V3E (no MSD)", 3, true, "STLINK_V3E_NO_MSD_PID", false, 0x01 },
	{ 0x374A, "STLINK-V2-1 (audio)", 2, false, NULL, false, 0x01 },
	{ 0x3742, "STLINK-V2-1 (no MSD, pyOCD)", 2, false, NULL, false, 0x01 },
	{ 0x3755, "STLINK-V3P (USB loader)", 3, false, NULL, false, 0x01 },
	{ 0x3757, "STLINK-V3PWR", 3, false, NULL, false, 0x01 },
};

static void test_model_row(void **state)
{
	const struct expected_model *e = *state;
	const struct stlink_diag_probe_model *m = stlink_diag_probe_model_lookup(e->pid);

	assert_non_null(m);
	assert_int_equal(m->pid, e->pid);
	assert_string_equal(m->model, e->model);
	assert_int_equal(m->hw, e->hw);
	assert_int_equal(m->known_to_openocd_0_12, e->known);
	if (e->openocd_name)
		assert_string_equal(m->openocd_name, e->openocd_name);
	else
		assert_null(m->openocd_name);
	assert_int_equal(m->v21_swim_heuristic, e->v21_heuristic);
	assert_int_equal(m->tx_ep, e->tx_ep);
	assert_true(m->note && m->note[0]);
}

static void test_table_size(void **state)
{
	(void)state;
	assert_int_equal(stlink_diag_probe_model_table_size, ARRAY_LEN(expected));
}

static void test_no_duplicates(void **state)
{
	(void)state;
	for (size_t i = 0; i < stlink_diag_probe_model_table_size; i++)
		for (size_t j = i + 1; j < stlink_diag_probe_model_table_size; j++)
			assert_int_not_equal(stlink_diag_probe_model_table[i].pid, stlink_diag_probe_model_table[j].pid);
}

/* "exactly these nine PIDs: 3744 3748 374b 374d 374e 374f 3752 3753 3754" */
static void test_nine_known(void **state)
{
	(void)state;
	size_t known = 0;

	for (size_t i = 0; i < stlink_diag_probe_model_table_size; i++)
		if (stlink_diag_probe_model_table[i].known_to_openocd_0_12)
			known++;
	assert_int_equal(known, 9);
}

static void test_unknown(void **state)
{
	(void)state;
	const uint16_t unknown[] = { 0x0000, 0x3743, 0x3749, 0x3756, 0x3758, 0xDF11, 0xFFFF };

	for (size_t i = 0; i < ARRAY_LEN(unknown); i++)
		assert_null(stlink_diag_probe_model_lookup(unknown[i]));
}

int main(void)
{
	for (size_t i = 0; i < ARRAY_LEN(expected); i++)
		add_test(test_model_row, &expected[i], "pid 0x%04X %s", (unsigned int)expected[i].pid, expected[i].model);
	add_test(test_table_size, NULL, "table size");
	add_test(test_no_duplicates, NULL, "no duplicate PIDs");
	add_test(test_nine_known, NULL, "nine PIDs known to 0.12.0");
	add_test(test_unknown, NULL, "unknown PIDs");
	return _cmocka_run_group_tests("stlink_diag_probe_models", tests, n_tests, NULL, NULL);
}
