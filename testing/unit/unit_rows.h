/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * Table-driven cmocka tests: one named test case per table row, so a failure
 * names the row. Included by each test_*.c (one translation unit each).
 */

#ifndef STLINK_DIAG_TESTING_UNIT_ROWS_H
#define STLINK_DIAG_TESTING_UNIT_ROWS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "stlink_diag_array.h"

#define UNIT_ROWS_MAX 1024

static struct CMUnitTest tests[UNIT_ROWS_MAX];
static char test_names[UNIT_ROWS_MAX][96];
static size_t n_tests;

static void add_test(CMUnitTestFunction f, void *state, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_test(CMUnitTestFunction f, void *state, const char *fmt, ...)
{
	va_list ap;

	/* never drop a row silently: a test that is not run must not pass */
	if (n_tests >= UNIT_ROWS_MAX) {
		fprintf(stderr, "unit_rows.h: more than %d test rows: raise UNIT_ROWS_MAX\n", UNIT_ROWS_MAX);
		exit(1);
	}
	va_start(ap, fmt);
	vsnprintf(test_names[n_tests], sizeof(test_names[n_tests]), fmt, ap);
	va_end(ap);
	tests[n_tests] = (struct CMUnitTest){ .name = test_names[n_tests], .test_func = f, .initial_state = state };
	n_tests++;
}

#endif /* STLINK_DIAG_TESTING_UNIT_ROWS_H */
