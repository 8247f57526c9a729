// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Unit tests for stlink_diag_speed. Expected rows and matching results are
 * written from OpenOCD 0.12.0 src/jtag/drivers/stlink_usb.c:
 * stlink_khz_to_speed_map_swd[], stlink_khz_to_speed_map_jtag[],
 * stlink_match_speed_map().
 */

#include <stdint.h>
#include <string.h>

#include "stlink_diag_speed.h"

#include "unit_rows.h"

struct expected_row {
	bool jtag;
	unsigned int khz;
	uint16_t divisor;
	bool is_default;
};

static struct expected_row expected_rows[] = {
	{ false, 4000, 0, false }, { false, 1800, 1, true }, { false, 1200, 2, false },
	{ false, 950, 3, false }, { false, 480, 7, false }, { false, 240, 15, false },
	{ false, 125, 31, false }, { false, 100, 40, false }, { false, 50, 79, false },
	{ false, 25, 158, false }, { false, 15, 265, false }, { false, 5, 798, false },
	{ true, 9000, 4, false }, { true, 4500, 8, false }, { true, 2250, 16, false },
	{ true, 1125, 32, true }, { true, 562, 64, false }, { true, 281, 128, false },
	{ true, 140, 256, false },
};

/* every row is in the table and an exact request selects it */
static void test_row(void **state)
{
	const struct expected_row *e = *state;
	const struct stlink_diag_speed *t = stlink_diag_speed_table(e->jtag);
	size_t n = stlink_diag_speed_table_size(e->jtag), found = 0;

	for (size_t i = 0; i < n; i++)
		if (t[i].khz == e->khz) {
			found++;
			assert_int_equal(t[i].divisor, e->divisor);
			assert_int_equal(t[i].is_default, e->is_default);
		}
	assert_int_equal(found, 1);

	const struct stlink_diag_speed *m = stlink_diag_speed_match(e->jtag, e->khz);

	assert_non_null(m);
	assert_int_equal(m->khz, e->khz);
	assert_int_equal(m->divisor, e->divisor);
	assert_true(stlink_diag_speed_is_exact(e->jtag, e->khz));
}

struct expected_match {
	bool jtag;
	unsigned int request;
	unsigned int khz;
	uint16_t divisor;
};

static struct expected_match expected_matches[] = {
	{ false, 2000, 1800, 1 },      /* observed: adapter speed 2000 -> f2 43 01 00 */
	{ false, 4000, 4000, 0 },
	{ false, 1, 5, 798 },          /* below all -> slowest */
	{ false, 0, 5, 798 },
	{ false, 24000, 4000, 0 },     /* above all -> fastest */
	{ false, 1000, 950, 3 },
	{ false, 6, 5, 798 },
	{ true, 2000, 1125, 32 },      /* observed: f2 44 20 00 */
	{ true, 100, 140, 256 },
	{ true, 100000, 9000, 4 },
	{ true, 563, 562, 64 },
};

static void test_match(void **state)
{
	const struct expected_match *e = *state;
	const struct stlink_diag_speed *m = stlink_diag_speed_match(e->jtag, e->request);

	assert_non_null(m);
	assert_int_equal(m->khz, e->khz);
	assert_int_equal(m->divisor, e->divisor);
	assert_int_equal(stlink_diag_speed_is_exact(e->jtag, e->request), e->request == e->khz);
}

/*
 * The rule on a list in any order, as a V3 reports it in GET_COM_FREQ (the
 * SWD list of the simulated STLINK-V3, testing/scenarios/healthy-f407-v3.json):
 * expected picks by hand from OpenOCD 0.12.0 stlink_usb.c, stlink_speed_v3()
 * (fastest <= request, else the slowest).
 */
static const uint32_t v3_list[] = { 24000, 8000, 3300, 1000, 200, 50, 5 };
static const uint32_t v3_unsorted[] = { 200, 24000, 5, 3300, 50, 8000, 1000 };

struct expected_pick {
	unsigned int request, pick;
};

static struct expected_pick expected_picks[] = {
	{ 24000, 24000 }, { 100000, 24000 }, { 4000, 3300 }, { 3300, 3300 }, { 999, 200 },
	{ 5, 5 }, { 4, 5 }, { 0, 5 },
};

static void test_pick(void **state)
{
	const struct expected_pick *e = *state;

	assert_int_equal(v3_list[stlink_diag_speed_pick(v3_list, ARRAY_LEN(v3_list), e->request)], e->pick);
	assert_int_equal(v3_unsorted[stlink_diag_speed_pick(v3_unsorted, ARRAY_LEN(v3_unsorted), e->request)],
		e->pick);
}

static void test_pick_empty_and_default(void **state)
{
	(void)state;
	assert_int_equal(stlink_diag_speed_pick(v3_list, 0, 1000), 0);
	assert_int_equal(stlink_diag_speed_pick(NULL, 0, 1000), 0);
	assert_int_equal(stlink_diag_speed_default(false)->khz, 1800);
	assert_int_equal(stlink_diag_speed_default(true)->khz, 1125);
}

static void test_sizes(void **state)
{
	(void)state;
	assert_int_equal(stlink_diag_speed_table_size(false), 12);
	assert_int_equal(stlink_diag_speed_table_size(true), 7);
}

static void test_no_duplicates(void **state)
{
	(void)state;
	for (int jtag = 0; jtag < 2; jtag++) {
		const struct stlink_diag_speed *t = stlink_diag_speed_table(jtag);
		size_t n = stlink_diag_speed_table_size(jtag), defaults = 0;

		for (size_t i = 0; i < n; i++) {
			assert_true(t[i].khz > 0);
			defaults += t[i].is_default;
			for (size_t j = i + 1; j < n; j++) {
				assert_int_not_equal(t[i].khz, t[j].khz);
				assert_int_not_equal(t[i].divisor, t[j].divisor);
			}
		}
		assert_int_equal(defaults, 1);
	}
}

int main(void)
{
	for (size_t i = 0; i < ARRAY_LEN(expected_rows); i++)
		add_test(test_row, &expected_rows[i], "%s row %u kHz", expected_rows[i].jtag ? "jtag" : "swd",
			expected_rows[i].khz);
	for (size_t i = 0; i < ARRAY_LEN(expected_matches); i++)
		add_test(test_match, &expected_matches[i], "%s match %u -> %u kHz",
			expected_matches[i].jtag ? "jtag" : "swd", expected_matches[i].request, expected_matches[i].khz);
	for (size_t i = 0; i < ARRAY_LEN(expected_picks); i++)
		add_test(test_pick, &expected_picks[i], "pick %u -> %u kHz", expected_picks[i].request,
			expected_picks[i].pick);
	add_test(test_pick_empty_and_default, NULL, "pick from no speeds; the defaults");
	add_test(test_sizes, NULL, "table sizes");
	add_test(test_no_duplicates, NULL, "no duplicates, one default each");
	return _cmocka_run_group_tests("stlink_diag_speed", tests, n_tests, NULL, NULL);
}
