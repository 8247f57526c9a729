/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * The number of elements of an array, for the files of stlink_diag that are
 * also compiled without OpenOCD's headers (the knowledge tables and decoders,
 * unit-tested standalone by testing/unit). Files built only inside OpenOCD
 * use ARRAY_SIZE from helper/types.h instead.
 *
 * Depends on nothing.
 */

#ifndef OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_ARRAY_H
#define OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_ARRAY_H

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif /* OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_ARRAY_H */
