/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Probe model: executes ST-LINK V2/V2-1/V3 commands (16-byte command block,
 * optional OUT data, IN reply) against a target model. Transport-agnostic: the
 * stlink-server TCP front end (sim_server.c) calls it today, a preloaded fake
 * libusb can call the same entry point with the bulk-transfer buffers.
 */
#ifndef SIM_PROBE_H
#define SIM_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim_fault.h"
#include "sim_target.h"

#define SIM_MAX_FREQS		10
#define SIM_RW_MISC_MAX_ITEMS	1227

struct sim_probe_config {
	uint16_t vid, pid;
	unsigned int hw;		/* hardware generation: 2 or 3 */
	unsigned int jtag, swim, msd, bridge;	/* firmware sub-versions */
	char serial[33];		/* ASCII, as reported by the server */
	uint8_t mode_at_start;		/* STLINK_DEV_*_MODE */
	bool in_use;			/* another program holds the probe */
	uint32_t vref_adc;		/* GET_TARGET_VOLTAGE a0: ADC reading of the 1.2 V reference */
	uint8_t connect_fail_status;	/* status of ENTER/READ_IDCODES when nothing answers */
	uint32_t swd_freqs[SIM_MAX_FREQS];	/* V3 GET_COM_FREQ lists, kHz, fastest first */
	unsigned int n_swd_freqs;
	uint32_t jtag_freqs[SIM_MAX_FREQS];
	unsigned int n_jtag_freqs;
};

void sim_probe_config_defaults(struct sim_probe_config *cfg);
/* parse "V2J37M26" / "V3J7M2B4S1" into hw/jtag/swim/msd/bridge; returns 0 or -1 */
int sim_probe_parse_firmware(struct sim_probe_config *cfg, const char *s);

struct sim_probe {
	struct sim_probe_config cfg;
	struct sim_target *target;
	struct sim_faults *faults;
	unsigned int index;		/* device number, for the log */

	uint8_t mode;			/* STLINK_DEV_*_MODE */
	bool jtag_transport;		/* last ENTER was JTAG */
	bool connected;			/* ENTER succeeded since the last EXIT */
	uint32_t swd_khz, jtag_khz;
	uint8_t last_rw_status;
	uint32_t last_rw_fault_addr;
	bool trace_running;
	uint8_t ap_open;		/* bitmap of INIT_AP'd access ports */

	/* RW_MISC_OUT results waiting for RW_MISC_IN */
	unsigned int misc_items;
	uint32_t misc_value[SIM_RW_MISC_MAX_ITEMS];
	uint32_t misc_status[SIM_RW_MISC_MAX_ITEMS];
};

void sim_probe_init(struct sim_probe *p, const struct sim_probe_config *cfg, struct sim_target *t,
		struct sim_faults *faults, unsigned int index);

/*
 * Execute one ST-LINK command.
 * cmd: the 16-byte command block; out/out_len: host-to-probe data phase (may be empty);
 * in/in_len: probe-to-host data phase as requested by the host. in[] is always filled
 * completely (zero padded) so a transport can return exactly in_len bytes.
 * Returns the ST-LINK status byte the reply carries, or -1 when the reply has none
 * (GET_VERSION, memory data phases, commands without data phase).
 */
int sim_probe_command(struct sim_probe *p, const uint8_t cmd[16], const uint8_t *out, size_t out_len,
		uint8_t *in, size_t in_len);

/* the host closed the device: the probe keeps its mode, like real hardware */
void sim_probe_host_closed(struct sim_probe *p);

#endif /* SIM_PROBE_H */
