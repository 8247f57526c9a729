/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stlink-server TCP front end: accepts OpenOCD's "st-link backend tcp" /
 * "hla_stlink_backend tcp" clients on 127.0.0.1 and unwraps SEND_USB_CMD frames
 * into sim_probe_command() calls. Single-threaded, poll()-driven, and every wait
 * is bounded so the simulator can always honour its --timeout.
 */
#ifndef SIM_SERVER_H
#define SIM_SERVER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim_fault.h"
#include "sim_probe.h"
#include "sim_scenario.h"
#include "sim_target.h"
#include "stlink_const.h"

#define SIM_MAX_CLIENTS	8

struct sim_device {
	struct sim_probe probe;
	struct sim_target target;
	struct sim_faults faults;
	uint32_t usb_id;	/* StLinkUsbId cookie reported by GET_DEV_INFO */
	int owner;		/* client slot that has it open, -1 if none */
	uint32_t connect_id;
};

struct sim_client;
struct sim_hostile;

struct sim_server {
	int listen_fd;
	uint16_t port;
	struct sim_server_config cfg;
	struct sim_device *devs;
	unsigned int n_devs;
	struct sim_client *clients[SIM_MAX_CLIENTS];
	uint32_t next_connect_id;
	bool exit_on_disconnect;
	bool done;		/* set when --exit-on-disconnect triggers */
	struct sim_hostile *hostile;	/* --hostile: rewrites reply payloads; NULL = off */
};

/* largest request: SEND_USB_CMD header + the most write data OpenOCD's 10240-byte buffer can hold */
#define SIM_SERVER_MAX_WRITE_DATA	(STLINK_TCP_BUF_SIZE - STLINK_TCP_USB_CMD_HDR)
#define SIM_SERVER_MAX_READ_DATA	(STLINK_TCP_BUF_SIZE - 4)

/*
 * Size of the request at the head of r[0..len): > 0 the complete request's size (it may be more than
 * len: wait for more bytes), 0 more bytes are needed to know, -1 malformed (*why says why). No sockets:
 * the fuzz target in testing/fuzz calls it directly.
 */
long sim_server_request_size(const uint8_t *r, size_t len, const char **why);

int sim_server_listen(struct sim_server *s, uint16_t port);
/* serve until deadline (CLOCK_MONOTONIC seconds), *stop, or exit-on-disconnect; returns 0 */
int sim_server_run(struct sim_server *s, double deadline, volatile sig_atomic_t *stop);
void sim_server_close(struct sim_server *s);

#endif /* SIM_SERVER_H */
