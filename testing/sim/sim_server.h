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
#include <stdint.h>

#include "sim_fault.h"
#include "sim_probe.h"
#include "sim_scenario.h"
#include "sim_target.h"

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
};

int sim_server_listen(struct sim_server *s, uint16_t port);
/* serve until deadline (CLOCK_MONOTONIC seconds), *stop, or exit-on-disconnect; returns 0 */
int sim_server_run(struct sim_server *s, double deadline, volatile sig_atomic_t *stop);
void sim_server_close(struct sim_server *s);

#endif /* SIM_SERVER_H */
