/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * ST-LINK/V2 clock divisor tables and OpenOCD 0.12.0's speed matching rule.
 * (STLINK-V3 has no divisor table: it reports its own list through
 * GET_COM_FREQ, see stlink_diag_com_freq_decode().)
 *
 * Depends on the C standard library only.
 *
 * Source: OpenOCD 0.12.0 src/jtag/drivers/stlink_usb.c:
 * stlink_khz_to_speed_map_swd[] and stlink_khz_to_speed_map_jtag[] (kHz and
 * divisor per row), stlink_match_speed_map() (V2 rule), stlink_speed_v3()
 * (the same rule on the V3 list); the defaults (1800 kHz SWD, 1125 kHz JTAG)
 * are the rows whose divisor the firmware uses before any SET_FREQ (the
 * "default" comments of those maps).
 */

#ifndef OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_SPEED_H
#define OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_SPEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The clock OpenOCD 0.12.0 asks for when no `adapter speed` was given
 * before init (src/jtag/adapter.c: DEFAULT_CLOCK_SPEED_KHZ, adapter_init(),
 * which warns "An adapter speed is not selected in the init scripts...");
 * the ST-LINK then runs at what the matching rule gives for it.
 */
#define STLINK_DIAG_OPENOCD_DEFAULT_KHZ 100

struct stlink_diag_speed {
	unsigned int khz;
	uint16_t divisor;       /* cmd[2..3] of SWD_SET_FREQ (0x43) / JTAG_SET_FREQ (0x44) */
	bool is_default;        /* the firmware's clock before any SET_FREQ */
};

/*
 * OpenOCD 0.12.0's speed matching rule, the one place for it: of the @n
 * speeds in @khz_list (any order), the exact one, else the fastest below the
 * request, else (request below every entry) the slowest. Returns its index,
 * or @n for an empty list. Used for the V2 divisor tables and for the list
 * a V3 reports (GET_COM_FREQ); OpenOCD: stlink_match_speed_map() (V2) and
 * stlink_speed_v3() (V3).
 */
size_t stlink_diag_speed_pick(const uint32_t *khz_list, size_t n, unsigned int khz);
/* The V2 table entry the rule picks. Never NULL. */
const struct stlink_diag_speed *stlink_diag_speed_match(bool jtag, unsigned int khz);
/* The V2 firmware's clock before any SET_FREQ (the is_default entry). Never NULL. */
const struct stlink_diag_speed *stlink_diag_speed_default(bool jtag);
/* true when khz is an exact table entry (OpenOCD prints "Unable to match ..." otherwise) */
bool stlink_diag_speed_is_exact(bool jtag, unsigned int khz);
const struct stlink_diag_speed *stlink_diag_speed_table(bool jtag);
size_t stlink_diag_speed_table_size(bool jtag);

#endif /* OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_SPEED_H */
