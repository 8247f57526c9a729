/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * Helpers shared by the libFuzzer targets. Each target hands a decoder a copy
 * of the input in a buffer of exactly the input's size, so AddressSanitizer
 * sees any read past the reply the probe sent.
 */

#ifndef STLINK_DIAG_FUZZ_COMMON_H
#define STLINK_DIAG_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* touch every byte of a result string: an unterminated or dangling one is an ASan report */
static inline size_t fuzz_use_string(const char *s)
{
	return s ? strlen(s) : 0;
}

/* trap (reported by libFuzzer as a crash) when a decoder breaks a promise the tests cannot see */
#define FUZZ_CHECK(cond) do { if (!(cond)) abort(); } while (0)

static inline uint32_t fuzz_le32(const uint8_t *b)
{
	return b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
}

#endif
