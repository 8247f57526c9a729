// SPDX-License-Identifier: GPL-2.0-or-later

/* ST-LINK probe model table. See stlink_diag_probe_models.h for the sources. */

#include "stlink_diag_array.h"
#include "stlink_diag_probe_models.h"

const struct stlink_diag_probe_model stlink_diag_probe_model_table[] = {
	{
		.pid = 0x3744, .model = "STLINK-V1", .openocd_name = "STLINK_V1_PID", .hw = 1,
		.tx_ep = 0x02, .known_to_openocd_0_12 = true, .has_msd = true, .v21_swim_heuristic = false,
		.note = "first generation (STM32VL/L-Discovery); SCSI-wrapped protocol, no voltage, "
			"no speed setting, no SWO; not reachable through stlink-server",
	},
	{
		.pid = 0x3748, .model = "STLINK-V2", .openocd_name = "STLINK_V2_PID", .hw = 2,
		.tx_ep = 0x02, .known_to_openocd_0_12 = true, .has_msd = false, .v21_swim_heuristic = false,
		.note = "standalone ST-LINK/V2 and most clone dongles; interface/stlink-v2.cfg lists only this PID",
	},
	{
		.pid = 0x374A, .model = "STLINK-V2-1 (audio)", .openocd_name = NULL, .hw = 2,
		.tx_ep = 0x01, .known_to_openocd_0_12 = false, .has_msd = true, .v21_swim_heuristic = false,
		.note = "V2-1 variant with an audio interface (stlink-org calls it 32L_AUDIO); "
			"not in OpenOCD 0.12.0's interface/stlink.cfg",
	},
	{
		.pid = 0x374B, .model = "STLINK-V2-1", .openocd_name = "STLINK_V2_1_PID", .hw = 2,
		.tx_ep = 0x01, .known_to_openocd_0_12 = true, .has_msd = true, .v21_swim_heuristic = true,
		.note = "on-board probe of Nucleo and Discovery boards, with VCP and mass storage",
	},
	{
		.pid = 0x3752, .model = "STLINK-V2-1 (no MSD)", .openocd_name = "STLINK_V2_1_NO_MSD_PID", .hw = 2,
		.tx_ep = 0x01, .known_to_openocd_0_12 = true, .has_msd = false, .v21_swim_heuristic = true,
		.note = "V2-1 with mass storage disabled by the firmware upgrade tool",
	},
	{
		.pid = 0x3742, .model = "STLINK-V2-1 (no MSD, pyOCD)", .openocd_name = NULL, .hw = 2,
		.tx_ep = 0x01, .known_to_openocd_0_12 = false, .has_msd = false, .v21_swim_heuristic = false,
		.note = "listed only by pyOCD as a V2-1 without mass storage; not in OpenOCD or stlink-org",
	},
	{
		.pid = 0x374D, .model = "STLINK-V3 (USB loader)", .openocd_name = "STLINK_V3_USBLOADER_PID", .hw = 3,
		.tx_ep = 0x01, .known_to_openocd_0_12 = true, .has_msd = false, .v21_swim_heuristic = false,
		.note = "STLINK-V3 in its bootloader, e.g. during a firmware upgrade; not usable for debugging",
	},
	{
		.pid = 0x374E, .model = "STLINK-V3E", .openocd_name = "STLINK_V3E_PID", .hw = 3,
		.tx_ep = 0x01, .known_to_openocd_0_12 = true, .has_msd = true, .v21_swim_heuristic = false,
		.note = "embedded STLINK-V3E of newer Nucleo/Discovery boards",
	},
	{
		.pid = 0x374F, .model = "STLINK-V3S", .openocd_name = "STLINK_V3S_PID", .hw = 3,
		.tx_ep = 0x01, .known_to_openocd_0_12 = true, .has_msd = true, .v21_swim_heuristic = false,
		.note = "standalone STLINK-V3SET / STLINK-V3MINI with bridge interface",
	},
	{
		.pid = 0x3753, .model = "STLINK-V3 (2 VCP)", .openocd_name = "STLINK_V3_2VCP_PID", .hw = 3,
		.tx_ep = 0x01, .known_to_openocd_0_12 = true, .has_msd = false, .v21_swim_heuristic = false,
		.note = "STLINK-V3 configured with two virtual COM ports instead of mass storage",
	},
	{
		.pid = 0x3754, .model = "STLINK-V3E (no MSD)", .openocd_name = "STLINK_V3E_NO_MSD_PID", .hw = 3,
		.tx_ep = 0x01, .known_to_openocd_0_12 = true, .has_msd = false, .v21_swim_heuristic = false,
		.note = "STLINK-V3 without mass storage, e.g. STLINK-V3MINIE and recent on-board probes",
	},
	{
		.pid = 0x3755, .model = "STLINK-V3P (USB loader)", .openocd_name = NULL, .hw = 3,
		.tx_ep = 0x01, .known_to_openocd_0_12 = false, .has_msd = false, .v21_swim_heuristic = false,
		.note = "STLINK-V3PWR / V3P bootloader; OpenOCD 0.12.0 does not list it: use a later OpenOCD",
	},
	{
		.pid = 0x3757, .model = "STLINK-V3PWR", .openocd_name = NULL, .hw = 3,
		.tx_ep = 0x01, .known_to_openocd_0_12 = false, .has_msd = false, .v21_swim_heuristic = false,
		.note = "STLINK-V3PWR / V3P; OpenOCD 0.12.0 fails with \"open failed\" (USB) or a vid/pid "
			"mismatch (TCP): use a later OpenOCD",
	},
};

const size_t stlink_diag_probe_model_table_size = ARRAY_LEN(stlink_diag_probe_model_table);

const struct stlink_diag_probe_model *stlink_diag_probe_model_lookup(uint16_t pid)
{
	for (size_t i = 0; i < stlink_diag_probe_model_table_size; i++)
		if (stlink_diag_probe_model_table[i].pid == pid)
			return &stlink_diag_probe_model_table[i];
	return NULL;
}
