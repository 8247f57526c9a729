// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * ST-LINK status tables. See stlink_diag_status.h for the sources.
 * Every fact lives in exactly one row; the lookups are plain loops so a new
 * firmware code is one new row and nothing else.
 */

#include "stlink_diag_array.h"
#include "stlink_diag_status.h"

/* Causes shared by several rows, written once. */
#define CAUSES_NO_ANSWER \
	"SWDIO/SWCLK not connected or swapped, no common ground, target unpowered, " \
	"debug pins reconfigured by the application, target in STOP/STANDBY or held in reset"
#define CAUSES_WAIT \
	"core or bus stalled: target in a low-power mode (WFI/STOP) without DBGMCU debug bits, " \
	"flash operation in progress, clock gating"
#define CAUSES_LINE \
	"signal integrity: SWD clock too fast for the wiring, long flying leads, missing ground, " \
	"noise or a marginal supply"
#define CAUSES_FAULT \
	"access to an unclocked, protected (RDP/TrustZone) or non-existent address, or a sticky " \
	"error left over from an earlier failed access"

const struct stlink_diag_status stlink_diag_status_table[] = {
	{
		.code = 0x80, .token = "DEBUG_ERR_OK",
		.meaning = "The command completed successfully.",
		.causes = "none",
		.class = STLINK_DIAG_ST_OK, .named_by_openocd = true, .openocd_result = "ERROR_OK",
	},
	{
		.code = 0x81, .token = "DEBUG_ERR_FAULT",
		.meaning = "The target answered an SWD access with a FAULT response.",
		.causes = CAUSES_FAULT,
		.class = STLINK_DIAG_ST_FAULT, .named_by_openocd = true, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x01, .token = "JTAG_UNKNOWN_ERROR",
		.meaning = "The ST-LINK firmware reported an unspecified error.",
		.causes = "probe firmware problem; replug the probe, update its firmware",
		.class = STLINK_DIAG_ST_PROBE, .named_by_openocd = false, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x02, .token = "JTAG_SPI_ERROR",
		.meaning = "The ST-LINK firmware reported an error of its internal SPI engine.",
		.causes = "probe-internal fault; replug the probe, update its firmware",
		.class = STLINK_DIAG_ST_PROBE, .named_by_openocd = false, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x03, .token = "JTAG_DMA_ERROR",
		.meaning = "The ST-LINK firmware reported an error of its internal DMA.",
		.causes = "probe-internal fault; replug the probe, update its firmware",
		.class = STLINK_DIAG_ST_PROBE, .named_by_openocd = false, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x04, .token = "JTAG_UNKNOWN_JTAG_CHAIN",
		.meaning = "The probe could not identify the devices on the JTAG chain.",
		.causes = "TDI/TDO/TMS/TCK wiring, target unpowered, other devices on the chain, "
			"JTAG pins reconfigured by the application",
		.class = STLINK_DIAG_ST_NO_TARGET, .named_by_openocd = false, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x05, .token = "JTAG_NO_DEVICE_CONNECTED",
		.meaning = "No target answered on the debug port.",
		.causes = CAUSES_NO_ANSWER,
		.class = STLINK_DIAG_ST_NO_TARGET, .named_by_openocd = false, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x06, .token = "JTAG_INTERNAL_ERROR",
		.meaning = "The ST-LINK firmware reported an internal error.",
		.causes = "probe firmware problem; replug the probe, update its firmware",
		.class = STLINK_DIAG_ST_PROBE, .named_by_openocd = false, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x07, .token = "JTAG_CMD_WAIT",
		.meaning = "The probe is still busy with the previous command.",
		.causes = "command issued too early; target or probe busy",
		.class = STLINK_DIAG_ST_WAIT, .named_by_openocd = false, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x08, .token = "JTAG_CMD_ERROR",
		.meaning = "The probe rejected the command.",
		.causes = "command or parameter not supported by this firmware version, or sent in the wrong mode",
		.class = STLINK_DIAG_ST_PROBE, .named_by_openocd = false, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x09, .token = "JTAG_GET_IDCODE_ERROR",
		.meaning = "The probe could not read the target's IDCODE/DPIDR.",
		.causes = CAUSES_NO_ANSWER "; non-ST target refused by the ST-LINK firmware",
		.class = STLINK_DIAG_ST_NO_TARGET, .named_by_openocd = true, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x0A, .token = "JTAG_ALIGNMENT_ERROR",
		.meaning = "The requested address or size is not aligned as the access width requires.",
		.causes = "unaligned 16/32-bit memory access requested by the host",
		.class = STLINK_DIAG_ST_PROBE, .named_by_openocd = false, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x0B, .token = "JTAG_DBG_POWER_ERROR",
		.meaning = "The target's debug domain did not power up (CDBGPWRUPACK never set).",
		.causes = "target in deep low-power mode, NRST held low (pull-down, supervisor), "
			"VCAP/VCORE problem, target supply too low",
		.class = STLINK_DIAG_ST_POWER, .named_by_openocd = false, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x0C, .token = "JTAG_WRITE_ERROR",
		.meaning = "A write to the target failed.",
		.causes = CAUSES_FAULT,
		.class = STLINK_DIAG_ST_FAULT, .named_by_openocd = true, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x0D, .token = "JTAG_WRITE_VERIF_ERROR",
		.meaning = "Data read back after a write differed from what was written.",
		.causes = "write-only or self-clearing register, protected memory, unstable target",
		.class = STLINK_DIAG_ST_FAULT, .named_by_openocd = true, .openocd_result = "ERROR_OK",
	},
	{
		.code = 0x0E, .token = "JTAG_ALREADY_OPENED_IN_OTHER_MODE",
		.meaning = "The probe is already in use in another mode (e.g. SWIM or mass storage).",
		.causes = "another tool holds the probe, or the previous session did not exit its mode; "
			"close the other tool or replug the probe",
		.class = STLINK_DIAG_ST_PROBE, .named_by_openocd = false, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x10, .token = "SWD_AP_WAIT",
		.meaning = "The target answered an AP access with WAIT.",
		.causes = CAUSES_WAIT,
		.class = STLINK_DIAG_ST_WAIT, .named_by_openocd = true, .openocd_result = "ERROR_WAIT",
	},
	{
		.code = 0x11, .token = "SWD_AP_FAULT",
		.meaning = "The target answered an AP access with FAULT.",
		.causes = CAUSES_FAULT,
		.class = STLINK_DIAG_ST_FAULT, .named_by_openocd = true, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x12, .token = "SWD_AP_ERROR",
		.meaning = "An AP access got no valid acknowledge from the target.",
		.causes = CAUSES_LINE "; target lost power or reset during the access",
		.class = STLINK_DIAG_ST_LINE_ERROR, .named_by_openocd = true, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x13, .token = "SWD_AP_PARITY_ERROR",
		.meaning = "The data of an AP read failed its parity check.",
		.causes = CAUSES_LINE,
		.class = STLINK_DIAG_ST_LINE_ERROR, .named_by_openocd = true, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x14, .token = "SWD_DP_WAIT",
		.meaning = "The target answered a DP access with WAIT.",
		.causes = CAUSES_WAIT,
		.class = STLINK_DIAG_ST_WAIT, .named_by_openocd = true, .openocd_result = "ERROR_WAIT",
	},
	{
		.code = 0x15, .token = "SWD_DP_FAULT",
		.meaning = "The target answered a DP access with FAULT.",
		.causes = CAUSES_FAULT,
		.class = STLINK_DIAG_ST_FAULT, .named_by_openocd = true, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x16, .token = "SWD_DP_ERROR",
		.meaning = "A DP access got no valid acknowledge from the target.",
		.causes = CAUSES_LINE "; target lost power or reset during the access",
		.class = STLINK_DIAG_ST_LINE_ERROR, .named_by_openocd = true, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x17, .token = "SWD_DP_PARITY_ERROR",
		.meaning = "The data of a DP read failed its parity check.",
		.causes = CAUSES_LINE,
		.class = STLINK_DIAG_ST_LINE_ERROR, .named_by_openocd = true, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x18, .token = "SWD_AP_WDATA_ERROR",
		.meaning = "The target flagged the data phase of a write as bad (DP CTRL/STAT WDATAERR).",
		.causes = CAUSES_LINE "; NRST pulled low during the access",
		.class = STLINK_DIAG_ST_LINE_ERROR, .named_by_openocd = true, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x19, .token = "SWD_AP_STICKY_ERROR",
		.meaning = "An AP transaction failed and set STICKYERR in DP CTRL/STAT.",
		.causes = CAUSES_FAULT,
		.class = STLINK_DIAG_ST_FAULT, .named_by_openocd = true, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x1A, .token = "SWD_AP_STICKYORUN_ERROR",
		.meaning = "An AP transaction overran and set STICKYORUN in DP CTRL/STAT.",
		.causes = "target bus stalled while the probe kept issuing accesses: low-power mode, "
			"slow or gated bus clock",
		.class = STLINK_DIAG_ST_FAULT, .named_by_openocd = true, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x1D, .token = "BAD_AP_ERROR",
		.meaning = "The requested access port number is not accepted by the probe firmware.",
		.causes = "AP number above the firmware limit (older firmware only handles AP 0; "
			"multiple APs need V2J28, up to 8 APs V2J32) or an AP that does not exist",
		.class = STLINK_DIAG_ST_PROBE, .named_by_openocd = true, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x20, .token = "SWV_NOT_AVAILABLE",
		.meaning = "Serial wire viewer (SWO trace) is not available.",
		.causes = "firmware without trace support, or trace not started",
		.class = STLINK_DIAG_ST_PROBE, .named_by_openocd = false, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x41, .token = "JTAG_FREQ_NOT_SUPPORTED",
		.meaning = "The probe does not support the requested clock frequency.",
		.causes = "adapter speed not in the probe's frequency list",
		.class = STLINK_DIAG_ST_PROBE, .named_by_openocd = false, .openocd_result = "ERROR_FAIL",
	},
	{
		.code = 0x42, .token = "JTAG_UNKNOWN_CMD",
		.meaning = "The probe firmware does not know the command.",
		.causes = "firmware too old for the command; update the ST-LINK firmware",
		.class = STLINK_DIAG_ST_PROBE, .named_by_openocd = false, .openocd_result = "ERROR_FAIL",
	},
};

const size_t stlink_diag_status_table_size = ARRAY_LEN(stlink_diag_status_table);

const struct stlink_diag_status *stlink_diag_status_lookup(uint8_t code)
{
	for (size_t i = 0; i < stlink_diag_status_table_size; i++)
		if (stlink_diag_status_table[i].code == code)
			return &stlink_diag_status_table[i];
	return NULL;
}

static const char * const status_class_names[] = {
	[STLINK_DIAG_ST_OK] = "ok",
	[STLINK_DIAG_ST_WAIT] = "wait",
	[STLINK_DIAG_ST_NO_TARGET] = "no_target",
	[STLINK_DIAG_ST_FAULT] = "fault",
	[STLINK_DIAG_ST_LINE_ERROR] = "line_error",
	[STLINK_DIAG_ST_POWER] = "power",
	[STLINK_DIAG_ST_PROBE] = "probe",
};

const char *stlink_diag_status_class_name(enum stlink_diag_status_class c)
{
	if ((unsigned int)c >= ARRAY_LEN(status_class_names) || !status_class_names[c])
		return "unknown";
	return status_class_names[c];
}

const struct stlink_diag_tcp_status stlink_diag_tcp_status_table[] = {
	{ .code = 0x00000001, .token = "SS_OK", .meaning = "Success.",
		.named_by_openocd = true, .openocd_result = "ERROR_OK" },
	{ .code = 0x00000004, .token = "SS_ERR", .meaning = "Generic error.",
		.named_by_openocd = false, .openocd_result = "ERROR_FAIL" },
	{ .code = 0x00001000, .token = "SS_MEMORY_PROBLEM", .meaning = "The server ran out of memory.",
		.named_by_openocd = true, .openocd_result = "ERROR_FAIL" },
	{ .code = 0x00001001, .token = "SS_TIMEOUT", .meaning = "The USB transfer to the probe timed out.",
		.named_by_openocd = true, .openocd_result = "ERROR_FAIL" },
	{ .code = 0x00001002, .token = "SS_BAD_PARAMETER", .meaning = "The server rejected a request parameter.",
		.named_by_openocd = true, .openocd_result = "ERROR_FAIL" },
	{ .code = 0x00001003, .token = "SS_OPEN_ERR", .meaning = "The server could not open the probe.",
		.named_by_openocd = true, .openocd_result = "ERROR_FAIL" },
	{ .code = 0x00001004, .token = "SS_TRANSFER_ERR", .meaning = "A USB transfer to the probe failed.",
		.named_by_openocd = false, .openocd_result = "ERROR_FAIL" },
	{ .code = 0x00001050, .token = "SS_NO_SUCH_INFO", .meaning = "The requested information does not exist.",
		.named_by_openocd = false, .openocd_result = "ERROR_FAIL" },
	{ .code = 0x00001051, .token = "SS_BAD_BUFFER_SIZE", .meaning = "A request or reply buffer has the wrong size.",
		.named_by_openocd = false, .openocd_result = "ERROR_FAIL" },
	{ .code = 0x00001052, .token = "SS_TRUNCATED_DATA", .meaning = "The reply data were truncated.",
		.named_by_openocd = true, .openocd_result = "ERROR_FAIL" },
	{ .code = 0x00001053, .token = "SS_CMD_NOT_AVAILABLE", .meaning = "The server does not implement the command.",
		.named_by_openocd = true, .openocd_result = "ERROR_FAIL" },
	{ .code = 0x00001054, .token = "SS_DEVICE_NOT_SUPPORTED", .meaning = "The server does not support this probe.",
		.named_by_openocd = false, .openocd_result = "ERROR_FAIL" },
	{ .code = 0x00001055, .token = "SS_PERMISSION_ERR", .meaning = "The server lacks permission to use the probe.",
		.named_by_openocd = false, .openocd_result = "ERROR_FAIL" },
	{ .code = 0x00002000, .token = "SS_FAILED", .meaning = "The request failed.",
		.named_by_openocd = false, .openocd_result = "ERROR_FAIL" },
	{ .code = 0x00002001, .token = "SS_TCP_ERROR", .meaning = "A TCP error occurred in the server.",
		.named_by_openocd = true, .openocd_result = "ERROR_FAIL" },
	{ .code = 0x00002002, .token = "SS_TCP_CANT_CONNECT", .meaning = "The server could not accept the connection.",
		.named_by_openocd = true, .openocd_result = "ERROR_FAIL" },
	{ .code = 0x00002003, .token = "SS_TCP_CLOSE_ERROR", .meaning = "The server failed to close the connection.",
		.named_by_openocd = true, .openocd_result = "ERROR_FAIL" },
	{ .code = 0x00002004, .token = "SS_TCP_BUSY",
		.meaning = "The probe is busy serving another client; the request may be retried.",
		.named_by_openocd = true, .openocd_result = "ERROR_WAIT" },
	{ .code = 0x00005000, .token = "SS_SCSI_ERROR", .meaning = "A SCSI (mass-storage wrapper) error occurred.",
		.named_by_openocd = false, .openocd_result = "ERROR_FAIL" },
	{ .code = 0x00010000, .token = "SS_WIN32_ERROR", .meaning = "A Windows API call failed in the server.",
		.named_by_openocd = true, .openocd_result = "ERROR_FAIL" },
};

const size_t stlink_diag_tcp_status_table_size = ARRAY_LEN(stlink_diag_tcp_status_table);

const struct stlink_diag_tcp_status *stlink_diag_tcp_status_lookup(uint32_t code)
{
	for (size_t i = 0; i < stlink_diag_tcp_status_table_size; i++)
		if (stlink_diag_tcp_status_table[i].code == code)
			return &stlink_diag_tcp_status_table[i];
	return NULL;
}

const struct stlink_diag_mode stlink_diag_mode_table[] = {
	{
		.code = 0, .token = "DEV_DFU_MODE", .name = "DFU",
		.meaning = "The probe sits in its firmware-update mode; OpenOCD sends DFU_EXIT, "
			"a probe that stays here needs a replug or a firmware update.",
	},
	{
		.code = 1, .token = "DEV_MASS_MODE", .name = "mass storage",
		.meaning = "The probe is idle (mass-storage/VCP only); OpenOCD enters debug mode itself.",
	},
	{
		.code = 2, .token = "DEV_DEBUG_MODE", .name = "debug",
		.meaning = "The probe is already in debug mode, possibly left there by an earlier session or tool.",
	},
	{
		.code = 3, .token = "DEV_SWIM_MODE", .name = "SWIM",
		.meaning = "The probe is in STM8 SWIM mode; OpenOCD leaves it before entering SWD/JTAG.",
	},
	{
		.code = 4, .token = "DEV_BOOTLOADER_MODE", .name = "bootloader",
		.meaning = "The probe runs its own bootloader, not the debug firmware: "
			"reflash it with the ST-LINK firmware upgrade tool.",
	},
};

const size_t stlink_diag_mode_table_size = ARRAY_LEN(stlink_diag_mode_table);

const struct stlink_diag_mode *stlink_diag_mode_lookup(uint8_t code)
{
	for (size_t i = 0; i < stlink_diag_mode_table_size; i++)
		if (stlink_diag_mode_table[i].code == code)
			return &stlink_diag_mode_table[i];
	return NULL;
}

int stlink_diag_rw_status_decode(const uint8_t *reply, size_t len, uint8_t *status,
		uint32_t *fault_addr, bool *has_addr)
{
	if (!reply || !status || !fault_addr || !has_addr || len < 2)
		return -1;

	*status = reply[0];
	*has_addr = len >= 8;
	*fault_addr = 0;
	if (*has_addr)
		*fault_addr = (uint32_t)reply[4] | (uint32_t)reply[5] << 8 |
			(uint32_t)reply[6] << 16 | (uint32_t)reply[7] << 24;
	return 0;
}
