// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * ST-LINK firmware version knowledge. See stlink_diag_version.h for the
 * sources. Firmware thresholds live only in the tables below; the code
 * just walks them.
 */

#include <stdio.h>
#include <string.h>

#include "stlink_diag_array.h"
#include "stlink_diag_version.h"
#include "stlink_diag_probe_models.h"
#include "stlink_diag_status.h"

static uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * JTAG API chosen by 0.12.0: the last row whose hardware matches and whose
 * minimum J is reached wins (rows sorted by hw, then min_jtag).
 */
static const struct {
	unsigned int hw;
	unsigned int min_jtag;
	unsigned int api;
} api_table[] = {
	{ .hw = 1, .min_jtag = 0, .api = 1 },
	{ .hw = 1, .min_jtag = 11, .api = 2 },   /* ST-LINK/V1 switched to API v2 (and SWD) at J11 */
	{ .hw = 2, .min_jtag = 0, .api = 2 },
	{ .hw = 3, .min_jtag = 0, .api = 3 },
};

static unsigned int version_api(unsigned int hw, unsigned int jtag)
{
	unsigned int api = 0;

	for (size_t i = 0; i < ARRAY_LEN(api_table); i++)
		if (api_table[i].hw == hw && jtag >= api_table[i].min_jtag)
			api = api_table[i].api;
	return api;
}

/*
 * STM8-only V2-1 firmware encodes "MxSy" where STM32 firmware encodes
 * "JxMy"; 0.12.0 tells them apart by these x/y ranges only.
 */
static bool v21_is_stm8_only(unsigned int x, unsigned int y)
{
	return (x <= 22 && y == 7) || (x >= 25 && y >= 7 && y <= 12);
}

int stlink_diag_version_decode(const uint8_t *reply, size_t len, struct stlink_diag_version *v)
{
	if (!reply || !v || len < STLINK_DIAG_VERSION_REPLY_SIZE)
		return -1;

	/* bytes 0-1 are big-endian, unlike the rest of the protocol */
	unsigned int word = (unsigned int)reply[0] << 8 | reply[1];
	unsigned int x = (word >> 6) & 0x3f;
	unsigned int y = word & 0x3f;

	memset(v, 0, sizeof(*v));
	v->hw = (word >> 12) & 0x0f;
	v->vid = get_le16(reply + 2);
	v->pid = get_le16(reply + 4);

	const struct stlink_diag_probe_model *model = stlink_diag_probe_model_lookup(v->pid);

	if (model && model->v21_swim_heuristic && v21_is_stm8_only(x, y)) {
		v->msd = x;
		v->swim = y;
		v->stm8_only = true;
	} else if (model && model->v21_swim_heuristic) {
		v->jtag = x;
		v->msd = y;
	} else {
		v->jtag = x;
		v->swim = y;
	}
	v->needs_ex = v->hw == 3 && x == 0 && y == 0;
	v->api = version_api(v->hw, v->jtag);
	return 0;
}

int stlink_diag_version_decode_ex(const uint8_t *reply, size_t len, struct stlink_diag_version *v)
{
	if (!reply || !v || len < STLINK_DIAG_VERSION_EX_REPLY_SIZE)
		return -1;

	v->hw = reply[0];
	v->swim = reply[1];
	v->jtag = reply[2];
	v->msd = reply[3];
	v->bridge = reply[4];
	/* bytes 5-7 are not used by OpenOCD 0.12.0 */
	v->vid = get_le16(reply + 8);
	v->pid = get_le16(reply + 10);
	v->needs_ex = false;
	v->stm8_only = false;
	v->api = version_api(v->hw, v->jtag);
	return 0;
}

/* Append to buf, never overflowing; returns false once the text no longer fits. */
static bool append(char *buf, size_t size, size_t *used, char tag, unsigned int value)
{
	int n = snprintf(buf + *used, size - *used, "%c%u", tag, value);

	if (n < 0 || (size_t)n >= size - *used)
		return false;
	*used += (size_t)n;
	return true;
}

void stlink_diag_version_string(const struct stlink_diag_version *v, char *buf, size_t size)
{
	size_t used = 0;
	bool ok;

	if (!buf || size == 0)
		return;
	buf[0] = '\0';
	if (!v)
		return;

	/* same field selection as stlink_usb_version() in 0.12.0 */
	ok = append(buf, size, &used, 'V', v->hw);
	if (ok && (v->jtag || !v->msd))
		ok = append(buf, size, &used, 'J', v->jtag);
	if (ok && v->msd)
		ok = append(buf, size, &used, 'M', v->msd);
	if (ok && v->bridge)
		ok = append(buf, size, &used, 'B', v->bridge);
	if (ok && (v->swim || !v->msd))
		ok = append(buf, size, &used, 'S', v->swim);
	if (!ok)
		buf[0] = '\0';
}

const struct stlink_diag_feature stlink_diag_feature_table[] = {
	{
		.bit = STLINK_DIAG_F_HAS_TRACE, .name = "HAS_TRACE", .aliases = "HAS_TARGET_VOLT",
		.min_v2_jtag = 13, .max_v2_jtag = 0, .min_v3_jtag = 0,
		.without = "cannot report the target voltage and cannot capture SWO trace",
		.needed_by = "hla and st-link: target voltage check at init, SWO trace",
	},
	{
		.bit = STLINK_DIAG_F_HAS_GETLASTRWSTATUS2, .name = "HAS_GETLASTRWSTATUS2", .aliases = "HAS_FPU_REG",
		.min_v2_jtag = 15, .max_v2_jtag = 0, .min_v3_jtag = 0,
		.without = "gives no fault address after a failed memory access, and reaches FPU registers "
			"only through slower debug-register accesses",
		.needed_by = "hla and st-link: memory error reporting; hla: FPU registers",
	},
	{
		.bit = STLINK_DIAG_F_HAS_SWD_SET_FREQ, .name = "HAS_SWD_SET_FREQ", .aliases = "",
		.min_v2_jtag = 22, .max_v2_jtag = 0, .min_v3_jtag = STLINK_DIAG_FW_NEVER,
		.without = "cannot set the SWD clock: speed stays at the firmware default "
			"(STLINK-V3 sets its clock with another command)",
		.needed_by = "hla and st-link over SWD on V2: adapter speed",
	},
	{
		.bit = STLINK_DIAG_F_HAS_JTAG_SET_FREQ, .name = "HAS_JTAG_SET_FREQ", .aliases = "",
		.min_v2_jtag = 24, .max_v2_jtag = 0, .min_v3_jtag = STLINK_DIAG_FW_NEVER,
		.without = "cannot set the JTAG clock: speed stays at the firmware default "
			"(STLINK-V3 sets its clock with another command)",
		.needed_by = "hla and st-link over JTAG on V2: adapter speed",
	},
	{
		.bit = STLINK_DIAG_F_QUIRK_JTAG_DP_READ, .name = "QUIRK_JTAG_DP_READ", .aliases = "",
		.min_v2_jtag = 24, .max_v2_jtag = 32, .min_v3_jtag = STLINK_DIAG_FW_NEVER,
		.without = "(a quirk, not a feature) firmware with it returns stale DP reads over JTAG, "
			"so OpenOCD follows each DP read with an RDBUFF read",
		.needed_by = "st-link dapdirect_jtag",
	},
	{
		.bit = STLINK_DIAG_F_HAS_DAP_REG, .name = "HAS_DAP_REG", .aliases = "",
		.min_v2_jtag = 24, .max_v2_jtag = 0, .min_v3_jtag = 0,
		.without = "cannot access DAP registers directly: the st-link (dap-direct) driver refuses the probe",
		.needed_by = "st-link driver (dapdirect_swd, dapdirect_jtag)",
	},
	{
		.bit = STLINK_DIAG_F_HAS_MEM_16BIT, .name = "HAS_MEM_16BIT", .aliases = "HAS_MEM_WR_NO_INC",
		.min_v2_jtag = 26, .max_v2_jtag = 0, .min_v3_jtag = 0,
		.without = "cannot do 16-bit memory accesses (they become 8-bit accesses, which 16-bit-only "
			"registers reject) nor writes without address increment",
		.needed_by = "hla and st-link: 16-bit memory access, flash drivers writing half-words",
	},
	{
		.bit = STLINK_DIAG_F_HAS_AP_INIT, .name = "HAS_AP_INIT", .aliases = "",
		.min_v2_jtag = 28, .max_v2_jtag = 0, .min_v3_jtag = 0,
		.without = "cannot open access ports other than AP 0 (no INIT_AP)",
		.needed_by = "st-link driver: multi-AP targets (dual-core, STM32H7/MP1)",
	},
	{
		.bit = STLINK_DIAG_F_FIX_CLOSE_AP, .name = "FIX_CLOSE_AP", .aliases = "",
		.min_v2_jtag = 29, .max_v2_jtag = 0, .min_v3_jtag = 0,
		.without = "returns a wrong status when closing an AP, so OpenOCD ignores that status",
		.needed_by = "st-link driver: multi-AP targets",
	},
	{
		.bit = STLINK_DIAG_F_HAS_DPBANKSEL, .name = "HAS_DPBANKSEL",
		.aliases = "HAS_MEM_RD_NO_INC, HAS_RW_MISC, HAS_CSW",
		.min_v2_jtag = 32, .max_v2_jtag = 0, .min_v3_jtag = 2,
		.without = "cannot access banked DP registers, cannot pass an AP number or CSW with memory "
			"commands, and has no batched (RW_MISC) or non-incrementing reads",
		.needed_by = "st-link driver: DPv1/DPv2 banked registers, memory on AP > 0, CSW attributes",
	},
	{
		.bit = STLINK_DIAG_F_HAS_RW8_512BYTES, .name = "HAS_RW8_512BYTES", .aliases = "",
		.min_v2_jtag = STLINK_DIAG_FW_NEVER, .max_v2_jtag = 0, .min_v3_jtag = 6,
		.without = "limits 8-bit memory transfers to 64 bytes per command (slower byte access)",
		.needed_by = "hla and st-link: 8-bit memory access speed",
	},
};

const size_t stlink_diag_feature_table_size = ARRAY_LEN(stlink_diag_feature_table);

const struct stlink_diag_feature *stlink_diag_feature_lookup(unsigned int bit)
{
	for (size_t i = 0; i < stlink_diag_feature_table_size; i++)
		if (stlink_diag_feature_table[i].bit == bit)
			return &stlink_diag_feature_table[i];
	return NULL;
}

static bool feature_present(const struct stlink_diag_feature *f, const struct stlink_diag_version *v)
{
	if (v->hw == 2)
		return v->jtag >= f->min_v2_jtag && (f->max_v2_jtag == 0 || v->jtag < f->max_v2_jtag);
	if (v->hw == 3)
		return v->jtag >= f->min_v3_jtag;
	/* ST-LINK/V1 and unknown generations get no flags at all in 0.12.0 */
	return false;
}

uint32_t stlink_diag_version_flags(const struct stlink_diag_version *v)
{
	uint32_t flags = 0;

	if (!v)
		return 0;
	for (size_t i = 0; i < stlink_diag_feature_table_size; i++)
		if (feature_present(&stlink_diag_feature_table[i], v))
			flags |= UINT32_C(1) << stlink_diag_feature_table[i].bit;
	return flags;
}

const struct stlink_diag_fw_minimum stlink_diag_fw_minimum_table[] = {
	{
		.need = STLINK_DIAG_NEED_HLA, .name = "hla driver",
		.v1_ok = true, .min_v2_jtag = 0, .min_v3_jtag = 0,
		.why = "hla accepts every firmware; older firmware only loses features silently",
	},
	{
		.need = STLINK_DIAG_NEED_DAP_DIRECT, .name = "st-link (dap-direct) driver",
		.v1_ok = false, .min_v2_jtag = 24, .min_v3_jtag = 0,
		.why = "OpenOCD stops with \"ST-Link version does not support DAP direct transport\"",
	},
	{
		.need = STLINK_DIAG_NEED_RECOMMENDED, .name = "recommended minimum (OpenOCD manual)",
		.v1_ok = false, .min_v2_jtag = 21, .min_v3_jtag = 0,
		.why = "older firmware resets the probe serial number after first use (manual recommends V2J21S4)",
	},
	{
		.need = STLINK_DIAG_NEED_MULTI_AP, .name = "access ports other than AP 0",
		.v1_ok = false, .min_v2_jtag = 28, .min_v3_jtag = 0,
		.why = "the firmware cannot open a second AP (no INIT_AP), e.g. the second core of a dual-core part",
	},
	{
		.need = STLINK_DIAG_NEED_BANKED_DP, .name = "banked DP registers",
		.v1_ok = false, .min_v2_jtag = 32, .min_v3_jtag = 2,
		.why = "OpenOCD stops with \"Banked DP registers not supported in current STLink FW\"",
	},
};

const size_t stlink_diag_fw_minimum_table_size = ARRAY_LEN(stlink_diag_fw_minimum_table);

const struct stlink_diag_fw_minimum *stlink_diag_fw_minimum_lookup(enum stlink_diag_fw_need need)
{
	for (size_t i = 0; i < stlink_diag_fw_minimum_table_size; i++)
		if (stlink_diag_fw_minimum_table[i].need == need)
			return &stlink_diag_fw_minimum_table[i];
	return NULL;
}

bool stlink_diag_fw_meets(const struct stlink_diag_fw_minimum *m, const struct stlink_diag_version *v)
{
	if (!m || !v)
		return false;
	/* every need in the table is about SWD/JTAG, which STM8-only firmware lacks */
	if (v->stm8_only)
		return false;
	if (v->hw == 1)
		return m->v1_ok;
	if (v->hw == 2)
		return v->jtag >= m->min_v2_jtag;
	if (v->hw == 3)
		return v->jtag >= m->min_v3_jtag;
	return false;
}

void stlink_diag_fw_minimum_string(const struct stlink_diag_fw_minimum *m, unsigned int hw, char *buf, size_t size)
{
	if (!buf || !size)
		return;
	buf[0] = '\0';
	if (!m)
		return;
	if (hw == 3 && m->min_v3_jtag)
		snprintf(buf, size, "V3J%u", m->min_v3_jtag);
	else if (hw == 3)
		snprintf(buf, size, "V3");
	else if (hw == 1 && m->v1_ok)
		snprintf(buf, size, "V1");
	else if (m->min_v2_jtag)
		snprintf(buf, size, "V2J%u", m->min_v2_jtag);
	else
		snprintf(buf, size, "V2");
}

int stlink_diag_voltage_decode(const uint8_t *reply, size_t len, double *volts)
{
	if (!reply || !volts || len < STLINK_DIAG_VOLTAGE_REPLY_SIZE)
		return -1;

	uint32_t a0 = get_le32(reply);
	uint32_t a1 = get_le32(reply + 4);

	/* a0 is the reference reading: 0 means the ADC did not run */
	if (a0 == 0)
		return -1;
	*volts = 2.0 * (double)a1 * 1.2 / (double)a0;
	return 0;
}

int stlink_diag_com_freq_decode(const uint8_t *reply, size_t len, uint32_t *khz, size_t max, size_t *count)
{
	if (!reply || !count || (max && !khz) || len < 12)
		return -1;
	*count = 0;
	if (reply[0] != STLINK_DIAG_STATUS_OK)
		return -2;

	/* OpenOCD reads the count as one byte at [8] and clamps it */
	size_t n = reply[8];

	if (n > STLINK_DIAG_COM_FREQ_MAX)
		n = STLINK_DIAG_COM_FREQ_MAX;
	if (len < 12 + 4 * n)
		return -1;
	if (n > max)
		n = max;
	for (size_t i = 0; i < n; i++)
		khz[i] = get_le32(reply + 12 + 4 * i);
	*count = n;
	return 0;
}
