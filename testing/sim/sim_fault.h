/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fault injection. A fault type is one row of the table in sim_fault.c: a name,
 * its parameters (validated generically by the scenario loader) and one apply()
 * hook. The probe model raises an event at each point where real hardware can
 * misbehave; every configured fault sees the event and may change its outcome.
 *
 * Adding a fault = one table row + one apply() function. Hook points that later
 * faults are expected to use (speed-dependent errors, wiring, low-power modes,
 * lockup, watchdog, RDP) already exist as event kinds below, even where no fault
 * uses them yet.
 */
#ifndef SIM_FAULT_H
#define SIM_FAULT_H

#include <stdbool.h>
#include <stdint.h>

#include "sim_prng.h"

#define SIM_FAULT_MAX		16
#define SIM_FAULT_MAX_PARAMS	8

enum sim_fault_hook {
	SIM_HOOK_ENTER,		/* probe enters SWD/JTAG (line reset + DPIDR read) */
	SIM_HOOK_IDCODE,	/* READ_IDCODES */
	SIM_HOOK_ACCESS,	/* one probe command that performs SWD transactions on the target */
	SIM_HOOK_VOLTAGE,	/* GET_TARGET_VOLTAGE measurement */
	SIM_HOOK_RESET,		/* the target went through a reset (NRST, SYSRESETREQ, RESETSYS, ...) */
	SIM_HOOK_NRST,		/* DRIVE_NRST: a fault can make the pin not wired */
};

enum sim_access_kind {
	SIM_ACCESS_DP,		/* DP register (READ/WRITE_DAP_REG port 0xFFFF) */
	SIM_ACCESS_AP,		/* AP register or anything that goes through the MEM-AP */
};

/* What a hook sees and may change. "status" is an ST-LINK status byte (0x80 = OK). */
struct sim_fault_event {
	enum sim_fault_hook hook;
	enum sim_access_kind kind;
	bool retryable;		/* OpenOCD 0.12.0 re-sends this command on a WAIT status */
	uint32_t swd_khz;	/* current SWD clock, for speed-dependent faults */
	uint8_t status;
	double voltage;		/* SIM_HOOK_VOLTAGE: measured volts, may be changed */
	bool suppress;		/* SIM_HOOK_RESET/NRST: the event does not reach the target */
	uint8_t nrst_level;	/* SIM_HOOK_NRST: 0 low, 1 high, 2 pulse */
	unsigned int transfers;	/* SIM_HOOK_ACCESS of a memory block: its words (0 or 1: one transfer) */
	unsigned int done;	/* a link fault on a block: the words before the failed one (W5) */
};

enum sim_param_type {
	SIM_PARAM_INT,
	SIM_PARAM_NUM,
	SIM_PARAM_BOOL,
	SIM_PARAM_ENUM,		/* string from "choices"; stored as its index */
};

struct sim_param_desc {
	const char *name;
	enum sim_param_type type;
	double min, max, def;
	const char *const *choices;	/* SIM_PARAM_ENUM only, NULL-terminated */
	const char *help;
};

struct sim_fault;
struct sim_target;

struct sim_fault_type {
	const char *name;
	const char *help;
	const struct sim_param_desc *params;	/* terminated by a NULL name */
	void (*apply)(struct sim_fault *f, struct sim_fault_event *ev);
};

struct sim_fault {
	const struct sim_fault_type *type;
	double param[SIM_FAULT_MAX_PARAMS];	/* same order as type->params */
	unsigned long events;			/* events this fault considered */
	unsigned long fired;			/* events it changed */
	struct sim_prng *prng;
	struct sim_target *target;		/* for faults that read or change target state */
	unsigned long state[4];			/* per-fault bookkeeping (counters, latches) */
};

struct sim_faults {
	struct sim_fault list[SIM_FAULT_MAX];
	unsigned int count;
	struct sim_prng prng;
	struct sim_target *target;		/* set by sim_probe_init() */
};

const struct sim_fault_type *sim_fault_type_find(const char *name);
/* names of all fault types, for error messages and --help */
void sim_fault_list_types(char *buf, unsigned long size);
int sim_fault_param_index(const struct sim_fault_type *t, const char *name);
/* initialises a fault with its parameter defaults */
void sim_fault_init(struct sim_fault *f, const struct sim_fault_type *t, struct sim_prng *prng);
void sim_faults_dispatch(struct sim_faults *fs, struct sim_fault_event *ev);

#endif /* SIM_FAULT_H */
