/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hostile probe: rewrites the payload of ST-LINK replies (random bytes, zeros,
 * impossible status codes, version 0, voltage a0 = 0, absurd GET_COM_FREQ
 * counts, ...) to test that a client survives a broken or malicious probe.
 *
 * Only the payload changes, never the length: OpenOCD's stlink-server client
 * reads exactly the number of bytes it asked for and blocks on a shorter TCP
 * reply (OpenOCD stlink_usb.c, stlink_tcp_recv), so a short reply would
 * test OpenOCD's socket code, not the decoders. "Truncated" and "wrong length"
 * replies are modelled as a reply whose tail the probe did not fill (zeros),
 * which is what a short USB transfer leaves in the host's buffer.
 */
#ifndef SIM_HOSTILE_H
#define SIM_HOSTILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim_prng.h"

struct sim_hostile_kind;

struct sim_hostile {
	const struct sim_hostile_kind *kind;	/* NULL: replies untouched */
	struct sim_prng prng;
	double rate;			/* probability that an eligible reply is rewritten (default 1) */
	unsigned long after;		/* replies let through untouched first */
	unsigned long seen, rewritten;
};

/*
 * "KIND[,seed=N][,rate=R][,after=N]"; 0 ok, -1 with a message in err.
 * KIND is one of the names sim_hostile_list() prints.
 */
int sim_hostile_parse(struct sim_hostile *h, const char *spec, char *err, size_t err_size);
/* one "  name  help" line per kind */
void sim_hostile_list(char *buf, size_t size);
/*
 * Rewrite reply[0..len) of the ST-LINK command cmd in place (and maybe the
 * stlink-server status word *tcp_status). Does nothing when h or h->kind is NULL.
 */
void sim_hostile_reply(struct sim_hostile *h, const uint8_t cmd[16], uint8_t *reply, size_t len,
		uint32_t *tcp_status);

#endif /* SIM_HOSTILE_H */
