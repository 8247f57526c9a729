// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The simulator's stlink-server request parser, without sockets: the input is
 * a byte stream as a client would send it. Each complete request is framed
 * by sim_server_request_size(); SEND_USB_CMD requests then run on a default
 * probe + STM32F407 model (as sim_server.c's handle_usb_cmd does), so the
 * probe model's command decoding is fuzzed with them.
 */
#include "fuzz_common.h"
#include "sim_server.h"

static uint8_t reply[SIM_SERVER_MAX_READ_DATA];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sim_target_config tc;
	static struct sim_probe_config pc;
	static bool configured;
	struct sim_target t;
	struct sim_faults f = { 0 };
	struct sim_probe p;
	uint8_t *buf = malloc(size ? size : 1);
	size_t off = 0;

	if (!configured) {
		sim_target_config_defaults(&tc);
		sim_probe_config_defaults(&pc);
		/* a small memory map: the model is set up afresh for every input */
		tc.flash_kb = 32;
		tc.sram_kb = 16;
		configured = true;
	}
	if (sim_target_init(&t, &tc)) {
		free(buf);
		return 0;
	}
	sim_probe_init(&p, &pc, &t, &f, 0);
	memcpy(buf, data, size);
	while (off < size) {
		const char *why;
		long need = sim_server_request_size(buf + off, size - off, &why);

		if (need < 0) {
			FUZZ_CHECK(why && why[0]);
			break;
		}
		if (need == 0 || (size_t)need > size - off)
			break;	/* incomplete: the server would wait for more */
		FUZZ_CHECK(why == NULL);
		const uint8_t *r = buf + off;

		if (r[0] == STLINK_TCP_SEND_USB_CMD) {
			uint32_t len = fuzz_le32(r + 28);

			if (r[24] == STLINK_TCP_REQUEST_WRITE)
				sim_probe_command(&p, r + 8, r + STLINK_TCP_USB_CMD_HDR, len, NULL, 0);
			else if (r[24] == STLINK_TCP_REQUEST_READ)
				sim_probe_command(&p, r + 8, NULL, 0, reply, len);
		}
		off += need;
	}
	sim_target_free(&t);
	free(buf);
	return 0;
}
