// SPDX-License-Identifier: GPL-2.0-or-later

/* ST-LINK/V2 clock tables. See stlink_diag_speed.h for the sources. */

#include "stlink_diag_array.h"
#include "stlink_diag_speed.h"

/* Fastest first, as in OpenOCD; the matching rule does not depend on the order. */
static const struct stlink_diag_speed swd_speeds[] = {
	{ .khz = 4000, .divisor = 0 },
	{ .khz = 1800, .divisor = 1, .is_default = true },
	{ .khz = 1200, .divisor = 2 },
	{ .khz = 950, .divisor = 3 },
	{ .khz = 480, .divisor = 7 },
	{ .khz = 240, .divisor = 15 },
	{ .khz = 125, .divisor = 31 },
	{ .khz = 100, .divisor = 40 },
	{ .khz = 50, .divisor = 79 },
	{ .khz = 25, .divisor = 158 },
	{ .khz = 15, .divisor = 265 },
	{ .khz = 5, .divisor = 798 },
};

static const struct stlink_diag_speed jtag_speeds[] = {
	{ .khz = 9000, .divisor = 4 },
	{ .khz = 4500, .divisor = 8 },
	{ .khz = 2250, .divisor = 16 },
	{ .khz = 1125, .divisor = 32, .is_default = true },
	{ .khz = 562, .divisor = 64 },
	{ .khz = 281, .divisor = 128 },
	{ .khz = 140, .divisor = 256 },
};

const struct stlink_diag_speed *stlink_diag_speed_table(bool jtag)
{
	return jtag ? jtag_speeds : swd_speeds;
}

size_t stlink_diag_speed_table_size(bool jtag)
{
	return jtag ? ARRAY_LEN(jtag_speeds) : ARRAY_LEN(swd_speeds);
}

size_t stlink_diag_speed_pick(const uint32_t *khz_list, size_t n, unsigned int khz)
{
	size_t below = n;	/* fastest entry <= khz */
	size_t slowest = n;

	for (size_t i = 0; khz_list && i < n; i++) {
		if (khz_list[i] <= khz && (below == n || khz_list[i] > khz_list[below]))
			below = i;
		if (slowest == n || khz_list[i] < khz_list[slowest])
			slowest = i;
	}
	return below != n ? below : slowest;
}

const struct stlink_diag_speed *stlink_diag_speed_match(bool jtag, unsigned int khz)
{
	const struct stlink_diag_speed *t = stlink_diag_speed_table(jtag);
	size_t n = stlink_diag_speed_table_size(jtag);
	uint32_t list[ARRAY_LEN(swd_speeds) > ARRAY_LEN(jtag_speeds) ? ARRAY_LEN(swd_speeds) : ARRAY_LEN(jtag_speeds)];

	for (size_t i = 0; i < n; i++)
		list[i] = t[i].khz;
	return &t[stlink_diag_speed_pick(list, n, khz)];
}

const struct stlink_diag_speed *stlink_diag_speed_default(bool jtag)
{
	const struct stlink_diag_speed *t = stlink_diag_speed_table(jtag);
	size_t n = stlink_diag_speed_table_size(jtag);

	for (size_t i = 0; i < n; i++)
		if (t[i].is_default)
			return &t[i];
	return &t[0];
}

bool stlink_diag_speed_is_exact(bool jtag, unsigned int khz)
{
	return stlink_diag_speed_match(jtag, khz)->khz == khz;
}
