// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Unit tests for stlink_diag_version. Expected values are written from
 * OpenOCD 0.12.0 src/jtag/drivers/stlink_usb.c: stlink_usb_version() (version
 * fields and the STLINK_F_* flags: the bit lists below were derived by hand
 * from its "if (h->version.jtag >= N)" conditions), stlink_usb_check_voltage()
 * (voltage), stlink_get_com_freq() (COM_FREQ); doc/openocd.texi (minimums).
 */

#include <stdint.h>
#include <string.h>

#include "stlink_diag_version.h"

#include "unit_rows.h"

/* ---- GET_VERSION (+ GET_VERSION_EX) decoding ---- */
struct expected_version {
	const char *what;
	uint8_t f1[6];
	bool has_ex;
	uint8_t fb[12];
	const char *string;
	unsigned int hw, jtag, swim, msd, bridge, api;
	uint16_t vid, pid;
	bool stm8_only;
};

static struct expected_version expected_versions[] = {
	{ .what = "V2-1 J37M26 (section 2.2 log line)",
		.f1 = { 0x29, 0x5a, 0x83, 0x04, 0x4b, 0x37 },
		.string = "V2J37M26", .hw = 2, .jtag = 37, .msd = 26, .api = 2, .vid = 0x0483, .pid = 0x374B },
	{ .what = "V3 through GET_VERSION_EX",
		.f1 = { 0x30, 0x00, 0x83, 0x04, 0x4f, 0x37 }, .has_ex = true,
		.fb = { 3, 1, 7, 2, 4, 0, 0, 0, 0x83, 0x04, 0x4f, 0x37 },
		.string = "V3J7M2B4S1", .hw = 3, .jtag = 7, .swim = 1, .msd = 2, .bridge = 4, .api = 3,
		.vid = 0x0483, .pid = 0x374F },
	{ .what = "V2 J24 S0 (PID 0x3748)",
		.f1 = { 0x26, 0x00, 0x83, 0x04, 0x48, 0x37 },
		.string = "V2J24S0", .hw = 2, .jtag = 24, .api = 2, .vid = 0x0483, .pid = 0x3748 },
	{ .what = "V2 J37 S7 (PID 0x3748: no STM8 heuristic)",
		.f1 = { 0x29, 0x47, 0x83, 0x04, 0x48, 0x37 },
		.string = "V2J37S7", .hw = 2, .jtag = 37, .swim = 7, .api = 2, .vid = 0x0483, .pid = 0x3748 },
	{ .what = "STM8-only V2-1 M25S7",       /* x = 25 >= 25, y = 7 in 7..12 */
		.f1 = { 0x26, 0x47, 0x83, 0x04, 0x4b, 0x37 },
		.string = "V2M25S7", .hw = 2, .msd = 25, .swim = 7, .api = 2, .vid = 0x0483, .pid = 0x374B,
		.stm8_only = true },
	{ .what = "STM8-only V2-1 no-MSD M22S7",  /* x = 22 <= 22, y = 7 */
		.f1 = { 0x25, 0x87, 0x83, 0x04, 0x52, 0x37 },
		.string = "V2M22S7", .hw = 2, .msd = 22, .swim = 7, .api = 2, .vid = 0x0483, .pid = 0x3752,
		.stm8_only = true },
	{ .what = "V2-1 J23M7 is STM32 firmware",  /* x = 23: neither range */
		.f1 = { 0x25, 0xc7, 0x83, 0x04, 0x4b, 0x37 },
		.string = "V2J23M7", .hw = 2, .jtag = 23, .msd = 7, .api = 2, .vid = 0x0483, .pid = 0x374B },
	{ .what = "V1 J10 (API v1)",
		.f1 = { 0x12, 0x80, 0x83, 0x04, 0x44, 0x37 },
		.string = "V1J10S0", .hw = 1, .jtag = 10, .api = 1, .vid = 0x0483, .pid = 0x3744 },
	{ .what = "V1 J11 (API v2)",
		.f1 = { 0x12, 0xc0, 0x83, 0x04, 0x44, 0x37 },
		.string = "V1J11S0", .hw = 1, .jtag = 11, .api = 2, .vid = 0x0483, .pid = 0x3744 },
	{ .what = "clone V0J8S0 (API v0, VID:PID 0000:0000)",
		.f1 = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x00 },
		.string = "V0J8S0", .hw = 0, .jtag = 8, .api = 0, .vid = 0, .pid = 0 },
};

static void test_version_row(void **state)
{
	const struct expected_version *e = *state;
	struct stlink_diag_version v;
	char s[STLINK_DIAG_VERSION_STRING_SIZE];

	assert_int_equal(stlink_diag_version_decode(e->f1, sizeof(e->f1), &v), 0);
	assert_int_equal(v.needs_ex, e->has_ex);
	if (e->has_ex)
		assert_int_equal(stlink_diag_version_decode_ex(e->fb, sizeof(e->fb), &v), 0);
	assert_false(v.needs_ex);
	stlink_diag_version_string(&v, s, sizeof(s));
	assert_string_equal(s, e->string);
	assert_int_equal(v.hw, e->hw);
	assert_int_equal(v.jtag, e->jtag);
	assert_int_equal(v.swim, e->swim);
	assert_int_equal(v.msd, e->msd);
	assert_int_equal(v.bridge, e->bridge);
	assert_int_equal(v.api, e->api);
	assert_int_equal(v.vid, e->vid);
	assert_int_equal(v.pid, e->pid);
	assert_int_equal(v.stm8_only, e->stm8_only);
}

static void test_version_malformed(void **state)
{
	(void)state;
	const uint8_t f1[6] = { 0x29, 0x5a, 0x83, 0x04, 0x4b, 0x37 };
	const uint8_t fb[12] = { 3, 1, 7, 2, 4, 0, 0, 0, 0x83, 0x04, 0x4f, 0x37 };
	struct stlink_diag_version v;

	for (size_t len = 0; len < sizeof(f1); len++)
		assert_int_equal(stlink_diag_version_decode(f1, len, &v), -1);
	for (size_t len = 0; len < sizeof(fb); len++)
		assert_int_equal(stlink_diag_version_decode_ex(fb, len, &v), -1);
	assert_int_equal(stlink_diag_version_decode(NULL, 6, &v), -1);
	assert_int_equal(stlink_diag_version_decode(f1, 6, NULL), -1);
	assert_int_equal(stlink_diag_version_decode_ex(NULL, 12, &v), -1);
}

static void test_version_string_small_buffer(void **state)
{
	(void)state;
	const uint8_t f1[6] = { 0x29, 0x5a, 0x83, 0x04, 0x4b, 0x37 };
	struct stlink_diag_version v;
	char s[5] = "xxxx";

	assert_int_equal(stlink_diag_version_decode(f1, sizeof(f1), &v), 0);
	stlink_diag_version_string(&v, s, sizeof(s));
	assert_string_equal(s, "");
	stlink_diag_version_string(&v, s, 0);
	stlink_diag_version_string(NULL, s, sizeof(s));
	assert_string_equal(s, "");
}

/* ---- feature flags: section 2.4, bit lists derived by hand ---- */
#define END 99
struct expected_flags {
	unsigned int hw, jtag;
	unsigned int bits[12];  /* terminated by END */
};

static struct expected_flags expected_flags[] = {
	{ 2, 12, { END } },
	{ 2, 13, { 0, END } },
	{ 2, 15, { 0, 1, END } },
	{ 2, 22, { 0, 1, 2, END } },
	{ 2, 24, { 0, 1, 2, 3, 4, 5, END } },
	{ 2, 26, { 0, 1, 2, 3, 4, 5, 6, END } },
	{ 2, 28, { 0, 1, 2, 3, 4, 5, 6, 7, END } },
	{ 2, 29, { 0, 1, 2, 3, 4, 5, 6, 7, 8, END } },
	{ 2, 31, { 0, 1, 2, 3, 4, 5, 6, 7, 8, END } },
	{ 2, 32, { 0, 1, 2, 3, 5, 6, 7, 8, 9, END } },
	{ 2, 37, { 0, 1, 2, 3, 5, 6, 7, 8, 9, END } },
	{ 3, 1, { 0, 1, 5, 6, 7, 8, END } },
	{ 3, 2, { 0, 1, 5, 6, 7, 8, 9, END } },
	{ 3, 6, { 0, 1, 5, 6, 7, 8, 9, 10, END } },
	{ 1, 13, { END } },
	{ 1, 40, { END } },
	{ 0, 8, { END } },
};

static void test_flags_row(void **state)
{
	const struct expected_flags *e = *state;
	struct stlink_diag_version v = { .hw = e->hw, .jtag = e->jtag };
	uint32_t want = 0;

	for (size_t i = 0; e->bits[i] != END; i++)
		want |= UINT32_C(1) << e->bits[i];
	assert_int_equal(stlink_diag_version_flags(&v), want);
}

/* section 2.4, column by column */
struct expected_feature {
	unsigned int bit;
	const char *name;
	unsigned int min_v2, max_v2, min_v3;
};

static struct expected_feature expected_features[] = {
	{ 0, "HAS_TRACE", 13, 0, 0 },
	{ 1, "HAS_GETLASTRWSTATUS2", 15, 0, 0 },
	{ 2, "HAS_SWD_SET_FREQ", 22, 0, STLINK_DIAG_FW_NEVER },
	{ 3, "HAS_JTAG_SET_FREQ", 24, 0, STLINK_DIAG_FW_NEVER },
	{ 4, "QUIRK_JTAG_DP_READ", 24, 32, STLINK_DIAG_FW_NEVER },
	{ 5, "HAS_DAP_REG", 24, 0, 0 },
	{ 6, "HAS_MEM_16BIT", 26, 0, 0 },
	{ 7, "HAS_AP_INIT", 28, 0, 0 },
	{ 8, "FIX_CLOSE_AP", 29, 0, 0 },
	{ 9, "HAS_DPBANKSEL", 32, 0, 2 },
	{ 10, "HAS_RW8_512BYTES", STLINK_DIAG_FW_NEVER, 0, 6 },
};

static void test_feature_row(void **state)
{
	const struct expected_feature *e = *state;
	const struct stlink_diag_feature *f = stlink_diag_feature_lookup(e->bit);

	assert_non_null(f);
	assert_int_equal(f->bit, e->bit);
	assert_string_equal(f->name, e->name);
	assert_int_equal(f->min_v2_jtag, e->min_v2);
	assert_int_equal(f->max_v2_jtag, e->max_v2);
	assert_int_equal(f->min_v3_jtag, e->min_v3);
	assert_non_null(f->aliases);
	assert_true(f->without && f->without[0]);
	assert_true(f->needed_by && f->needed_by[0]);
}

static void test_feature_table(void **state)
{
	(void)state;
	assert_int_equal(stlink_diag_feature_table_size, ARRAY_LEN(expected_features));
	for (size_t i = 0; i < stlink_diag_feature_table_size; i++)
		for (size_t j = i + 1; j < stlink_diag_feature_table_size; j++) {
			assert_int_not_equal(stlink_diag_feature_table[i].bit, stlink_diag_feature_table[j].bit);
			assert_string_not_equal(stlink_diag_feature_table[i].name, stlink_diag_feature_table[j].name);
		}
	assert_null(stlink_diag_feature_lookup(11));
	assert_null(stlink_diag_feature_lookup(31));
	assert_int_equal(stlink_diag_version_flags(NULL), 0);
}

/* ---- firmware minimums (section 2.5, brief) ---- */
struct expected_minimum {
	enum stlink_diag_fw_need need;
	bool v1_ok;
	unsigned int min_v2, min_v3;
	/* the minimum as the messages spell it, for a V1, V2 and V3 probe */
	const char *text_v1, *text_v2, *text_v3;
};

static struct expected_minimum expected_minimums[] = {
	{ STLINK_DIAG_NEED_HLA, true, 0, 0, "V1", "V2", "V3" },
	{ STLINK_DIAG_NEED_DAP_DIRECT, false, 24, 0, "V2J24", "V2J24", "V3" },
	{ STLINK_DIAG_NEED_RECOMMENDED, false, 21, 0, "V2J21", "V2J21", "V3" },
	{ STLINK_DIAG_NEED_MULTI_AP, false, 28, 0, "V2J28", "V2J28", "V3" },
	{ STLINK_DIAG_NEED_BANKED_DP, false, 32, 2, "V2J32", "V2J32", "V3J2" },
};

static void test_minimum_row(void **state)
{
	const struct expected_minimum *e = *state;
	const struct stlink_diag_fw_minimum *m = stlink_diag_fw_minimum_lookup(e->need);

	assert_non_null(m);
	assert_int_equal(m->v1_ok, e->v1_ok);
	assert_int_equal(m->min_v2_jtag, e->min_v2);
	assert_int_equal(m->min_v3_jtag, e->min_v3);
	assert_true(m->name && m->name[0]);
	assert_true(m->why && m->why[0]);

	char text[16];
	stlink_diag_fw_minimum_string(m, 1, text, sizeof(text));
	assert_string_equal(text, e->text_v1);
	stlink_diag_fw_minimum_string(m, 2, text, sizeof(text));
	assert_string_equal(text, e->text_v2);
	stlink_diag_fw_minimum_string(m, 3, text, sizeof(text));
	assert_string_equal(text, e->text_v3);

	struct stlink_diag_version v1 = { .hw = 1, .jtag = 13 };
	struct stlink_diag_version at = { .hw = 2, .jtag = e->min_v2 };
	struct stlink_diag_version v3 = { .hw = 3, .jtag = e->min_v3 };
	struct stlink_diag_version stm8 = { .hw = 2, .msd = 25, .swim = 7, .stm8_only = true };

	assert_int_equal(stlink_diag_fw_meets(m, &v1), e->v1_ok);
	assert_true(stlink_diag_fw_meets(m, &at));
	assert_true(stlink_diag_fw_meets(m, &v3));
	assert_false(stlink_diag_fw_meets(m, &stm8));
	if (e->min_v2 > 0) {
		struct stlink_diag_version below = { .hw = 2, .jtag = e->min_v2 - 1 };

		assert_false(stlink_diag_fw_meets(m, &below));
	}
	if (e->min_v3 > 0) {
		struct stlink_diag_version below = { .hw = 3, .jtag = e->min_v3 - 1 };

		assert_false(stlink_diag_fw_meets(m, &below));
	}
}

static void test_minimum_table(void **state)
{
	(void)state;
	assert_int_equal(stlink_diag_fw_minimum_table_size, ARRAY_LEN(expected_minimums));
	for (size_t i = 0; i < stlink_diag_fw_minimum_table_size; i++)
		for (size_t j = i + 1; j < stlink_diag_fw_minimum_table_size; j++)
			assert_int_not_equal(stlink_diag_fw_minimum_table[i].need, stlink_diag_fw_minimum_table[j].need);
	assert_null(stlink_diag_fw_minimum_lookup((enum stlink_diag_fw_need)42));
	assert_false(stlink_diag_fw_meets(NULL, NULL));
	char text[4] = "x";
	stlink_diag_fw_minimum_string(NULL, 2, text, sizeof(text));
	assert_string_equal(text, "");
	/* truncated, never overrun */
	stlink_diag_fw_minimum_string(stlink_diag_fw_minimum_lookup(STLINK_DIAG_NEED_DAP_DIRECT), 2, text, sizeof(text));
	assert_string_equal(text, "V2J");
	assert_string_equal(STLINK_DIAG_FW_UPDATE_TOOL,
		"STSW-LINK007 (ST-LINK firmware upgrade) or STM32CubeProgrammer");
}

/* ---- voltage (section 4.1) ---- */
static void test_voltage(void **state)
{
	(void)state;
	/* a0 = 1600 (0x640), a1 = 2000 (0x7d0) -> 3.0 V */
	const uint8_t ok[8] = { 0x40, 0x06, 0, 0, 0xd0, 0x07, 0, 0 };
	const uint8_t zero[8] = { 0, 0, 0, 0, 0xd0, 0x07, 0, 0 };
	double volts = -1;

	assert_int_equal(stlink_diag_voltage_decode(ok, sizeof(ok), &volts), 0);
	assert_float_equal(volts, 3.0, 1e-9);
	assert_int_equal(stlink_diag_voltage_decode(zero, sizeof(zero), &volts), -1);
	for (size_t len = 0; len < sizeof(ok); len++)
		assert_int_equal(stlink_diag_voltage_decode(ok, len, &volts), -1);
	assert_int_equal(stlink_diag_voltage_decode(NULL, 8, &volts), -1);
	assert_int_equal(stlink_diag_voltage_decode(ok, 8, NULL), -1);
}

/* ---- GET_COM_FREQ (section 4.2) ---- */
static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
}

static void test_com_freq(void **state)
{
	(void)state;
	const uint32_t list[] = { 24000, 8000, 3300, 1000, 200, 50, 5 };
	uint8_t r[52] = { 0x80 };
	uint32_t khz[10];
	size_t count = 99;

	r[8] = ARRAY_LEN(list);
	for (size_t i = 0; i < ARRAY_LEN(list); i++)
		put_le32(r + 12 + 4 * i, list[i]);

	assert_int_equal(stlink_diag_com_freq_decode(r, sizeof(r), khz, ARRAY_LEN(khz), &count), 0);
	assert_int_equal(count, ARRAY_LEN(list));
	for (size_t i = 0; i < ARRAY_LEN(list); i++)
		assert_int_equal(khz[i], list[i]);

	/* caller buffer smaller than the list */
	assert_int_equal(stlink_diag_com_freq_decode(r, sizeof(r), khz, 3, &count), 0);
	assert_int_equal(count, 3);
	assert_int_equal(khz[2], 3300);

	/* reply ends inside the announced list (needs 12 + 4 * 7 = 40 bytes) */
	assert_int_equal(stlink_diag_com_freq_decode(r, 39, khz, ARRAY_LEN(khz), &count), -1);
	assert_int_equal(stlink_diag_com_freq_decode(r, 40, khz, ARRAY_LEN(khz), &count), 0);
	for (size_t len = 0; len < 12; len++)
		assert_int_equal(stlink_diag_com_freq_decode(r, len, khz, ARRAY_LEN(khz), &count), -1);

	/* count above 10 is clamped to 10 like OpenOCD */
	r[8] = 200;
	assert_int_equal(stlink_diag_com_freq_decode(r, sizeof(r), khz, ARRAY_LEN(khz), &count), 0);
	assert_int_equal(count, 10);

	/* status byte not OK */
	r[0] = 0x42;
	assert_int_equal(stlink_diag_com_freq_decode(r, sizeof(r), khz, ARRAY_LEN(khz), &count), -2);
	assert_int_equal(count, 0);

	assert_int_equal(stlink_diag_com_freq_decode(NULL, 52, khz, 10, &count), -1);
	assert_int_equal(stlink_diag_com_freq_decode(r, 52, NULL, 10, &count), -1);
}

int main(void)
{
	for (size_t i = 0; i < ARRAY_LEN(expected_versions); i++)
		add_test(test_version_row, &expected_versions[i], "version %s", expected_versions[i].what);
	for (size_t i = 0; i < ARRAY_LEN(expected_flags); i++)
		add_test(test_flags_row, &expected_flags[i], "flags V%uJ%u", expected_flags[i].hw, expected_flags[i].jtag);
	for (size_t i = 0; i < ARRAY_LEN(expected_features); i++)
		add_test(test_feature_row, &expected_features[i], "feature bit %u %s",
			expected_features[i].bit, expected_features[i].name);
	for (size_t i = 0; i < ARRAY_LEN(expected_minimums); i++)
		add_test(test_minimum_row, &expected_minimums[i], "firmware minimum %d", (int)expected_minimums[i].need);
	add_test(test_version_malformed, NULL, "version malformed lengths");
	add_test(test_version_string_small_buffer, NULL, "version string small buffer");
	add_test(test_feature_table, NULL, "feature table");
	add_test(test_minimum_table, NULL, "firmware minimum table");
	add_test(test_voltage, NULL, "voltage decode");
	add_test(test_com_freq, NULL, "com freq decode");
	return _cmocka_run_group_tests("stlink_diag_version", tests, n_tests, NULL, NULL);
}
