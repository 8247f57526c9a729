/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * ST-LINK firmware version decoding, feature flags and firmware minimums,
 * exactly as OpenOCD 0.12.0 computes them; plus the target-voltage and
 * STLINK-V3 frequency-list replies.
 *
 * Depends on the C standard library only.
 *
 * Sources: OpenOCD 0.12.0 src/jtag/drivers/stlink_usb.c: stlink_usb_version()
 * (GET_VERSION / GET_VERSION_EX decoding and the STLINK_F_* flags, with the
 * firmware version each needs), stlink_usb_check_voltage() (the F7 formula),
 * stlink_get_com_freq() (the V3 list), stlink_dap_init() (dap-direct needs
 * STLINK_F_HAS_DAP_REG: "ST-Link version does not support DAP direct
 * transport"); doc/openocd.texi, "Interface Driver hla" (V2.J21.S4
 * recommended) and "Interface Driver st-link" (from firmware V2J24).
 */

#ifndef OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_VERSION_H
#define OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_VERSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STLINK_DIAG_VERSION_REPLY_SIZE     6   /* GET_VERSION (0xF1) */
#define STLINK_DIAG_VERSION_EX_REPLY_SIZE  12  /* APIV3_GET_VERSION_EX (0xFB) */
#define STLINK_DIAG_VOLTAGE_REPLY_SIZE     8   /* GET_TARGET_VOLTAGE (0xF7) */
#define STLINK_DIAG_COM_FREQ_REPLY_SIZE    52  /* APIV3_GET_COM_FREQ (0xF2 0x62) */
#define STLINK_DIAG_COM_FREQ_MAX           10  /* OpenOCD clamps the count to this */
/* "V" + 4 x ("J"/"M"/"B"/"S" + 3 digits) + hw digits, with room to spare */
#define STLINK_DIAG_VERSION_STRING_SIZE    32

/* Where to get newer probe firmware, named in every "update" message. */
#define STLINK_DIAG_FW_UPDATE_TOOL "STSW-LINK007 (ST-LINK firmware upgrade) or STM32CubeProgrammer"

struct stlink_diag_version {
	unsigned int hw;      /* 1, 2 or 3 */
	unsigned int jtag, swim, msd, bridge;
	uint16_t vid, pid;
	bool needs_ex;        /* F1 said v3.0.0: send GET_VERSION_EX (0xFB) */
	/* JTAG API 1, 2 or 3; 0 for an unknown hardware generation (0.12.0 prints "API v0") */
	unsigned int api;
	/* STM8-only V2-1 firmware (MxSy): no SWD/JTAG at all */
	bool stm8_only;
};

/* 6-byte F1 reply; 0 ok, -1 malformed */
int stlink_diag_version_decode(const uint8_t *reply, size_t len, struct stlink_diag_version *v);
/* 12-byte FB reply; overwrites hw, swim, jtag, msd, bridge, vid, pid; 0 ok, -1 malformed */
int stlink_diag_version_decode_ex(const uint8_t *reply, size_t len, struct stlink_diag_version *v);
/* "V2J37M26", exactly as OpenOCD prints; buf gets "" when size is too small */
void stlink_diag_version_string(const struct stlink_diag_version *v, char *buf, size_t size);

/* Firmware "never" has the feature on this hardware generation. */
#define STLINK_DIAG_FW_NEVER 0x100u

/* Bit numbers of OpenOCD 0.12.0's STLINK_F_* */
enum stlink_diag_feature_bit {
	STLINK_DIAG_F_HAS_TRACE = 0,
	STLINK_DIAG_F_HAS_GETLASTRWSTATUS2 = 1,
	STLINK_DIAG_F_HAS_SWD_SET_FREQ = 2,
	STLINK_DIAG_F_HAS_JTAG_SET_FREQ = 3,
	STLINK_DIAG_F_QUIRK_JTAG_DP_READ = 4,
	STLINK_DIAG_F_HAS_DAP_REG = 5,
	STLINK_DIAG_F_HAS_MEM_16BIT = 6,
	STLINK_DIAG_F_HAS_AP_INIT = 7,
	STLINK_DIAG_F_FIX_CLOSE_AP = 8,
	STLINK_DIAG_F_HAS_DPBANKSEL = 9,
	STLINK_DIAG_F_HAS_RW8_512BYTES = 10,
};

struct stlink_diag_feature {
	unsigned int bit;           /* enum stlink_diag_feature_bit */
	const char *name;           /* OpenOCD's name without STLINK_F_, e.g. "HAS_TRACE" */
	const char *aliases;        /* other 0.12.0 names for the same bit, "" when none */
	unsigned int min_v2_jtag;   /* first V2 J with the flag; STLINK_DIAG_FW_NEVER: never on V2 */
	unsigned int max_v2_jtag;   /* first V2 J without it again (exclusive); 0 = none */
	unsigned int min_v3_jtag;   /* first V3 J with the flag (0 = every V3); STLINK_DIAG_FW_NEVER: never */
	const char *without;        /* what firmware without it cannot do, in plain words */
	const char *needed_by;      /* which driver / path needs it */
};

extern const struct stlink_diag_feature stlink_diag_feature_table[];
extern const size_t stlink_diag_feature_table_size;
const struct stlink_diag_feature *stlink_diag_feature_lookup(unsigned int bit); /* NULL when unknown */
/* Exactly the flag word OpenOCD 0.12.0 computes (V1 and unknown generations: 0). */
uint32_t stlink_diag_version_flags(const struct stlink_diag_version *v);

/* What a driver or use case needs from the probe firmware. */
enum stlink_diag_fw_need {
	STLINK_DIAG_NEED_HLA,           /* adapter driver hla */
	STLINK_DIAG_NEED_DAP_DIRECT,    /* adapter driver st-link (dapdirect_swd/jtag) */
	STLINK_DIAG_NEED_RECOMMENDED,   /* doc/openocd.texi recommendation */
	STLINK_DIAG_NEED_MULTI_AP,      /* access ports other than AP 0 */
	STLINK_DIAG_NEED_BANKED_DP,     /* banked DP registers (DPv1/DPv2 SELECT.DPBANKSEL) */
};

struct stlink_diag_fw_minimum {
	enum stlink_diag_fw_need need;
	const char *name;               /* "st-link (dap-direct) driver" */
	bool v1_ok;                     /* works on an ST-LINK/V1 at all */
	unsigned int min_v2_jtag;       /* 0 = any V2 firmware */
	unsigned int min_v3_jtag;       /* 0 = any V3 firmware */
	const char *why;                /* what breaks below the minimum */
};

extern const struct stlink_diag_fw_minimum stlink_diag_fw_minimum_table[];
extern const size_t stlink_diag_fw_minimum_table_size;
const struct stlink_diag_fw_minimum *stlink_diag_fw_minimum_lookup(enum stlink_diag_fw_need need);
/* true when the probe firmware v meets minimum m (false for NULL arguments) */
bool stlink_diag_fw_meets(const struct stlink_diag_fw_minimum *m, const struct stlink_diag_version *v);
/*
 * The firmware a probe of hardware generation @hw needs for @m, spelled as
 * ST's upgrade tool shows versions: "V2J24", "V3J2"; "V1" or "V3" when every
 * firmware of that generation meets it. A V1 that cannot meet it gets the V2
 * minimum (a V1 cannot be updated to a V2). Empty for a NULL @m.
 */
void stlink_diag_fw_minimum_string(const struct stlink_diag_fw_minimum *m, unsigned int hw, char *buf, size_t size);

/*
 * GET_TARGET_VOLTAGE (0xF7) reply: two LE u32, a0 = ADC of the internal
 * 1.2 V reference, a1 = ADC of half the target VDD; V = 2 * a1 * 1.2 / a0.
 * 0 ok, -1 short reply or a0 == 0 (OpenOCD would print 0 V there).
 */
int stlink_diag_voltage_decode(const uint8_t *reply, size_t len, double *volts);

/*
 * APIV3_GET_COM_FREQ reply: [0] status (0x80 = ok), [8] count, [12 + 4 i]
 * kHz (LE u32). The count is clamped to STLINK_DIAG_COM_FREQ_MAX like
 * OpenOCD does, then to max. 0 ok; -1 malformed (short reply, entries
 * missing, NULL pointers); -2 status byte not OK.
 */
int stlink_diag_com_freq_decode(const uint8_t *reply, size_t len, uint32_t *khz, size_t max, size_t *count);

#endif /* OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_VERSION_H */
