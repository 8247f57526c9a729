/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * Version probing of an open ST-LINK, shared by the capabilities that
 * report it.
 */

#ifndef OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_PROBE_QUERY_H
#define OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_PROBE_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <helper/command.h>

#include "stlink_diag_iface.h"
#include "stlink_diag_session.h"
#include "stlink_diag_version.h"

/* GET_VERSION (and GET_VERSION_EX when the first says so), decoded. */
int stlink_diag_probe_version(struct stlink_diag_session *s, struct stlink_diag_version *v);
/* Serial number of the open probe: USB string descriptor, or the server's
 * device list entry whose id is the opened one. Empty when unknown. */
void stlink_diag_probe_serial(struct stlink_diag_session *s, const struct stlink_diag_if_info *info,
		char *buf, size_t size);
/* The names of the features @flags has (@present) or lacks (with what the
 * user misses without each), from the feature table. */
Jim_Obj *stlink_diag_probe_feature_list(Jim_Interp *interp, uint32_t flags, bool present);

#endif /* OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_PROBE_QUERY_H */
