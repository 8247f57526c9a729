// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Unit tests for the STM32 knowledge tables. One test per row of the
 * reference table stm32-devid.tsv (read here, independently of the
 * generator): DEV_ID rows against the DEV_ID table and the option-byte
 * layouts, clone rows against the look-alike table. Then the decoders, with
 * expected values written from the reference manuals (DBGMCU_IDCODE sections; RM0090 §3.7.3 and RM0351 option bytes for RDP).
 */

#include <stdint.h>
#include <string.h>

#include "stlink_diag_stm32.h"

#include "unit_rows.h"

#ifndef TSV_PATH
#define TSV_PATH "stm32-devid.tsv"
#endif

#define MAX_COLS 26

struct row {
	int line;
	char *col[MAX_COLS];
};

static struct row rows[128];
static size_t n_rows;

enum { DEV, FAMILY, LINE, CORE, DPIDR, IDCODE, FLASH_BASE, FSIZE, SRAM_BASE, SRAM_KB, SYSMEM, RDP_REG, RDP_FIELD,
	RDP_ENC, BOOT_SEL, BOOTMODE, DBG_CR, DBG_BITS, GPIOA, CFG, DRIVER, REGRESS, IN012, REVS, SOURCE, NOTES };


static int load_tsv(const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[4096];
	int line = 0;

	if (!f)
		return -1;
	while (fgets(buf, sizeof(buf), f)) {
		line++;
		if (line == 1 || buf[0] == '\n')
			continue;	/* header */
		buf[strcspn(buf, "\r\n")] = '\0';
		struct row *r = &rows[n_rows++];
		char *s = strdup(buf);
		r->line = line;
		for (int c = 0; c < MAX_COLS; c++) {
			r->col[c] = s ? s : (char *)"";
			char *tab = s ? strchr(s, '\t') : NULL;
			if (tab)
				*tab = '\0';
			s = tab ? tab + 1 : NULL;
		}
	}
	fclose(f);
	return 0;
}

static uint32_t first_hex(const char *s)
{
	const char *p = strstr(s, "0x");

	return p ? (uint32_t)strtoul(p, NULL, 16) : 0;
}

static bool is_dev_id_row(const struct row *r)
{
	const char *d = r->col[DEV];

	return !strncmp(d, "0x", 2) && (strlen(d) == 5 || (strlen(d) == 6 && d[5] == '?'));
}

/* "OPTCR[15:8] RDP" -> 8, 8; "OBR bit1" -> 1, 1 */
static void rdp_field(const char *s, unsigned int *shift, unsigned int *width)
{
	const char *b = strchr(s, '[');
	unsigned int hi, lo;

	*shift = *width = 0;
	if (b && sscanf(b, "[%u:%u]", &hi, &lo) == 2) {
		*shift = lo;
		*width = hi - lo + 1;
	} else if ((b = strstr(s, "bit")) && sscanf(b, "bit%u", &lo) == 1) {
		*shift = lo;
		*width = 1;
	}
}

static void test_dev_id_row(void **state)
{
	const struct row *r = *state;
	uint16_t dev = first_hex(r->col[DEV]);
	const struct stlink_diag_stm32_part *p = stlink_diag_stm32_part_lookup(dev);

	assert_non_null(p);
	assert_string_equal(p->family, r->col[FAMILY]);
	assert_string_equal(p->line, r->col[LINE]);
	assert_string_equal(p->core, r->col[CORE]);
	assert_int_equal(p->idcode_addr, first_hex(r->col[IDCODE]));
	assert_int_equal(p->flash_size_reg, first_hex(r->col[FSIZE]));
	assert_int_equal(p->sram_kb, strtoul(r->col[SRAM_KB], NULL, 10));
	assert_int_equal(p->sysmem_base, first_hex(r->col[SYSMEM]));
	assert_int_equal(p->dpidr, first_hex(r->col[DPIDR]));
	assert_string_equal(p->flash_driver, r->col[DRIVER][0] == '(' ? "(none)" : r->col[DRIVER]);
	assert_int_equal(p->single_source, strchr(r->col[DEV], '?') || r->col[LINE][strlen(r->col[LINE]) - 1] == '?');

	/* REV_ID -> revision, every "0xNNNN=X" of the row */
	for (const char *s = r->col[REVS]; (s = strstr(s, "0x")); s += 2) {
		char name[16];
		unsigned int rev;
		if (sscanf(s, "0x%4x=%15[0-9A-Za-z.,/]", &rev, name) != 2 || s[6] != '=')
			continue;
		assert_string_equal(stlink_diag_stm32_rev_name(p, rev), name);
	}
	assert_null(stlink_diag_stm32_rev_name(p, 0xBEEF));

	/* the option-byte layout: register, RDP field, encoding, regress command */
	const struct stlink_diag_stm32_layout *l = stlink_diag_stm32_layout_lookup(p->layout);
	if (r->col[RDP_REG][0] == '?' || r->col[RDP_REG][0] == '\0' || strstr(r->col[RDP_REG], ")?")) {
		assert_null(l);	/* product states or single-source register: not decoded, said so */
		return;
	}
	assert_non_null(l);
	assert_int_equal(l->reg, first_hex(r->col[RDP_REG]));
	unsigned int shift, width;
	rdp_field(r->col[RDP_FIELD], &shift, &width);
	assert_int_equal(l->rdp_shift, shift);
	assert_int_equal(l->rdp_width, width);
	assert_int_equal(l->enc == STLINK_DIAG_RDP_BYTE_TZ, strstr(r->col[RDP_ENC], "0x55=L0.5") != NULL);
	assert_int_equal(l->enc == STLINK_DIAG_RDP_F1_BIT, strstr(r->col[RDP_ENC], "no level 2") != NULL);
	/* "stm32l4x unlock 0" is in the TSV's command text */
	char first_cmd[32];
	snprintf(first_cmd, sizeof(first_cmd), "%.*s", (int)strcspn(l->regress, ";("), l->regress);
	while (first_cmd[0] && first_cmd[strlen(first_cmd) - 1] == ' ')
		first_cmd[strlen(first_cmd) - 1] = '\0';
	assert_non_null(strstr(r->col[REGRESS], first_cmd));
	if (strstr(r->col[REGRESS], "option_load"))
		assert_non_null(strstr(l->regress, "option_load 0"));
	/* the family knows how this part boots */
	assert_non_null(stlink_diag_stm32_family_lookup(p->family));
}

/* clone rows: expected clone (name substring) and the IDs to present */
static const struct {
	const char *tsv_line;
	const char *clone;
	uint16_t dev_id;	/* for rows without one of their own */
	uint16_t partno;
} clone_expect[] = {
	{ "GigaDevice GD32F1x0", "GD32F1x0", 0, 0xC23 },
	{ "GigaDevice GD32F3x0", "GD32F3x0", 0, 0xC24 },
	{ "GigaDevice GD32E23x", "GD32E23x", 0, 0xD20 },
	{ "GigaDevice GD32VF103 (RISC-V)", "GD32VF103", 0, 0 },
	{ "GigaDevice GD32F10x/F20x/F30x", "GD32F10x", 0, 0xC23 },
	{ "GigaDevice GD32F450/GD32F470/GD32F405", "GD32F4xx", 0, 0xC24 },
	{ "GigaDevice GD32E50x", "GD32E50x", 0, 0xD21 },
	{ "CKS32F103 / CS32F103 (Blue Pill clones)", "CKS32F103", 0, 0xC23 },
	{ "Geehy APM32F0x", "APM32F0", 0x440, 0xC60 },
	{ "Geehy APM32F1x", "APM32F103", 0x410, 0xC23 },
	{ "Geehy APM32F4x", "APM32F4", 0x413, 0xC24 },
};

static void test_clone_row(void **state)
{
	const struct row *r = *state;
	size_t e;

	for (e = 0; e < sizeof(clone_expect) / sizeof(clone_expect[0]); e++)
		if (!strcmp(clone_expect[e].tsv_line, r->col[LINE]))
			break;
	assert_true(e < sizeof(clone_expect) / sizeof(clone_expect[0]));

	const struct stlink_diag_stm32_clone *listed = NULL;
	for (size_t i = 0; i < stlink_diag_stm32_clones_size; i++)
		if (strstr(stlink_diag_stm32_clones[i].name, clone_expect[e].clone))
			listed = &stlink_diag_stm32_clones[i];
	assert_non_null(listed);
	assert_non_null(listed->todo);

	/* IDs as the TSV row gives them: "0x410 (REV 0x1303)", DPIDR column, core column */
	const char *d = r->col[DEV];
	uint16_t dev = !strncmp(d, "0x", 2) ? first_hex(d) : clone_expect[e].dev_id;
	const char *rev = strstr(d, "REV ");
	uint32_t idcode = dev | (rev ? first_hex(rev) << 16 : 0x10000000u);
	uint32_t dpidr = first_hex(r->col[DPIDR]);
	char why[256];
	const struct stlink_diag_stm32_clone *m = stlink_diag_stm32_clone_match(dpidr, clone_expect[e].partno, idcode,
		why, sizeof(why));
	if (listed->detectable) {
		assert_ptr_equal(m, listed);
	} else {
		/* not recognisable from the IDs: never a wrong name (a GD32F30x shares the CKS32 tell) */
		assert_true(m == NULL || m == listed || strstr(m->name, "GD32F30x"));
	}
}

/* ---- decoders (DBGMCU_IDCODE fields; RDP levels, RM0090 §3.7.3) ---- */

static void test_rdp_levels(void **state)
{
	(void)state;
	const struct stlink_diag_stm32_layout *f2 = stlink_diag_stm32_layout_lookup("f2_optcr");
	const struct stlink_diag_stm32_layout *f1 = stlink_diag_stm32_layout_lookup("f1_obr");
	const struct stlink_diag_stm32_layout *f0 = stlink_diag_stm32_layout_lookup("f0_obr");
	const struct stlink_diag_stm32_layout *l5 = stlink_diag_stm32_layout_lookup("l5_optr");
	const struct stlink_diag_stm32_layout *h7 = stlink_diag_stm32_layout_lookup("h7_optsr");
	uint32_t raw;

	assert_string_equal(stlink_diag_stm32_rdp_level(f2, 0x0FFFAAED, &raw), "0");
	assert_int_equal(raw, 0xAA);
	assert_string_equal(stlink_diag_stm32_rdp_level(f2, 0x0FFFCCED, NULL), "2");
	assert_string_equal(stlink_diag_stm32_rdp_level(f2, 0x0FFF55ED, NULL), "1");
	assert_string_equal(stlink_diag_stm32_rdp_level(f1, 0x03FFFFFC, NULL), "0");	/* RDPRT bit1 clear */
	assert_string_equal(stlink_diag_stm32_rdp_level(f1, 0x03FFFFFE, NULL), "1");
	assert_string_equal(stlink_diag_stm32_rdp_level(f0, 0x00FF0000, NULL), "0");
	assert_string_equal(stlink_diag_stm32_rdp_level(f0, 0x00FF0002, NULL), "1");	/* OBR bit1 */
	assert_string_equal(stlink_diag_stm32_rdp_level(f0, 0x00FF0006, NULL), "2");	/* bits 2:1 = 11 */
	assert_string_equal(stlink_diag_stm32_rdp_level(l5, 0x80000055, NULL), "0.5");	/* TZEN = 1 */
	assert_string_equal(stlink_diag_stm32_rdp_level(l5, 0x00000055, NULL), "1");	/* 0x55 without TZEN */
	assert_string_equal(stlink_diag_stm32_rdp_level(l5, 0x000000AA, NULL), "0");
	assert_string_equal(stlink_diag_stm32_rdp_level(h7, 0x0000CC00, NULL), "2");
	assert_null(stlink_diag_stm32_rdp_level(NULL, 0, NULL));
	assert_non_null(strstr(stlink_diag_stm32_rdp_meaning("1")->debugger, "debugger reads of flash fault"));
	assert_non_null(strstr(stlink_diag_stm32_rdp_meaning("2")->debugger, "debug is gone for good"));
	/* write protection: nWRP (0 protects) in OPTCR[27:16] on F4 */
	assert_int_equal(stlink_diag_stm32_wrp_count(f2, 0x0FFFAAED), 0);
	assert_int_equal(stlink_diag_stm32_wrp_count(f2, 0x0FFCAAED), 2);
	assert_int_equal(stlink_diag_stm32_wrp_count(stlink_diag_stm32_layout_lookup("l4_optr"), 0), -1);
}

static void test_idcode_candidates(void **state)
{
	(void)state;
	uint32_t a[8];

	assert_int_equal(stlink_diag_stm32_idcode_candidates("Cortex-M0+", a, 8), 4);	/* M0+ */
	assert_int_equal(a[0], 0x40015800);
	assert_int_equal(stlink_diag_stm32_idcode_candidates("Cortex-M33", a, 8), 4);	/* M33 */
	assert_int_equal(a[0], 0xE0044000);
	assert_int_equal(stlink_diag_stm32_idcode_candidates("Cortex-M7", a, 8), 4);	/* M7: F7 first, then H7 */
	assert_int_equal(a[0], 0xE0042000);
	assert_int_equal(a[1], 0x5C001000);
	assert_int_equal(a[2], 0xE0044000);
	assert_int_equal(a[3], 0x40015800);
	assert_int_equal(stlink_diag_stm32_idcode_candidates("Cortex-M4", a, 1), 1);
	assert_int_equal(a[0], 0xE0042000);
	/* an unknown core: OpenOCD's order, then the rest of the table */
	assert_int_equal(stlink_diag_stm32_idcode_candidates(NULL, a, 8), 4);
	assert_int_equal(a[0], 0xE0042000);
	assert_int_equal(a[3], 0x5C001000);
	assert_int_equal(stlink_diag_stm32_effective_dev_id(0x10000411, 0xC24), 0x413);	/* F40x rev A trap */
	assert_int_equal(stlink_diag_stm32_effective_dev_id(0x20000411, 0xC23), 0x411);
	assert_false(stlink_diag_stm32_dev_id_plausible(0x00000000));
	assert_false(stlink_diag_stm32_dev_id_plausible(0xFFFFFFFF));
	assert_true(stlink_diag_stm32_dev_id_plausible(0x10076413));
}

static void test_genuine_and_suspicious(void **state)
{
	(void)state;
	char why[256];

	/* genuine F103 (DPIDR 0x1BA01477) and F407: no clone, no doubt */
	assert_null(stlink_diag_stm32_clone_match(0x1BA01477, 0xC23, 0x20036410, why, sizeof(why)));
	assert_string_equal(why, "");
	assert_null(stlink_diag_stm32_clone_match(0x2BA01477, 0xC24, 0x10076413, why, sizeof(why)));
	assert_string_equal(why, "");
	/* F030 batch answering 0x2BA01477 (§9): suspicious, no name */
	assert_null(stlink_diag_stm32_clone_match(0x2BA01477, 0xC20, 0x10006444, why, sizeof(why)));
	assert_non_null(strstr(why, "0x0BB11477"));
}

static void test_regions(void **state)
{
	(void)state;
	const struct stlink_diag_stm32_part *f4 = stlink_diag_stm32_part_lookup(0x413);

	assert_string_equal(stlink_diag_stm32_region(f4, 0x080001C5), "user flash");
	assert_string_equal(stlink_diag_stm32_region(f4, 0x1FFF0101), "system memory");
	assert_string_equal(stlink_diag_stm32_region(f4, 0x0BF90001), "system memory");
	assert_string_equal(stlink_diag_stm32_region(f4, 0x20000101), "SRAM");
	assert_null(stlink_diag_stm32_region(f4, 0xFFFFFFFF));
	assert_string_equal(stlink_diag_stm32_bootmode_name("F4", 1), "system memory");
	assert_string_equal(stlink_diag_stm32_bootmode_name("L0", 3), "SRAM");
	assert_null(stlink_diag_stm32_bootmode_name("F1", 0));
}

int main(void)
{
	if (load_tsv(TSV_PATH) != 0) {
		fprintf(stderr, "cannot read %s\n", TSV_PATH);
		return 1;
	}
	size_t dev_rows = 0, clone_rows = 0;
	for (size_t i = 0; i < n_rows; i++) {
		if (is_dev_id_row(&rows[i])) {
			add_test(test_dev_id_row, &rows[i], "tsv line %d DEV_ID %s %s", rows[i].line, rows[i].col[DEV],
				rows[i].col[FAMILY]);
			dev_rows++;
		} else {
			add_test(test_clone_row, &rows[i], "tsv line %d clone %s", rows[i].line, rows[i].col[LINE]);
			clone_rows++;
		}
	}
	/* every reference row is a test, and every generated row came from one */
	if (n_rows != 91 || dev_rows != stlink_diag_stm32_parts_size) {
		fprintf(stderr, "%zu TSV rows (expected 91), %zu DEV_ID rows vs %zu table rows\n", n_rows, dev_rows,
			stlink_diag_stm32_parts_size);
		return 1;
	}
	add_test(test_rdp_levels, NULL, "rdp levels per layout");
	add_test(test_idcode_candidates, NULL, "idcode candidate order");
	add_test(test_genuine_and_suspicious, NULL, "genuine parts are not clones");
	add_test(test_regions, NULL, "boot regions");
	return _cmocka_run_group_tests("stlink_diag_stm32", tests, n_tests, NULL, NULL);
}
