// SPDX-License-Identifier: GPL-2.0-or-later
#include "sim_fault.h"

#include <stdio.h>
#include <string.h>

#include "sim_log.h"
#include "stlink_const.h"

static const char *const wait_scope_choices[] = { "retryable", "all", NULL };

/* shared by every "WAIT on some accesses" fault: deterministic head + seeded rate */
static const struct sim_param_desc wait_params[] = {
	{ "first", SIM_PARAM_INT, 0, 1e9, 0, NULL, "answer WAIT to the first N eligible accesses (after 'after')" },
	{ "after", SIM_PARAM_INT, 0, 1e9, 0, NULL, "eligible accesses to let through before injecting" },
	{ "rate", SIM_PARAM_NUM, 0, 1, 0, NULL, "probability of WAIT for each later eligible access" },
	{ "max", SIM_PARAM_INT, 0, 1e9, 0, NULL, "stop after this many injected WAITs (0 = unlimited)" },
	{ "scope", SIM_PARAM_ENUM, 0, 0, 0, wait_scope_choices,
		"retryable: only commands OpenOCD retries on WAIT; all: every target access" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

enum { WAIT_FIRST, WAIT_AFTER, WAIT_RATE, WAIT_MAX, WAIT_SCOPE };

static bool wait_should_fire(struct sim_fault *f, const struct sim_fault_event *ev)
{
	if (ev->hook != SIM_HOOK_ACCESS)
		return false;
	if (f->param[WAIT_SCOPE] == 0 && !ev->retryable)
		return false;
	if (f->param[WAIT_MAX] > 0 && f->fired >= (unsigned long)f->param[WAIT_MAX])
		return false;

	unsigned long n = f->events++;
	unsigned long after = (unsigned long)f->param[WAIT_AFTER];

	if (n < after)
		return false;
	if (n - after < (unsigned long)f->param[WAIT_FIRST])
		return true;
	/* the PRNG is only consumed here, so the head of the run never perturbs it */
	return f->param[WAIT_RATE] > 0 && sim_prng_unit(f->prng) < f->param[WAIT_RATE];
}

/*
 * DP WAIT: the target's DP answered WAIT longer than the firmware's own retry
 * budget, so the probe reports SWD_DP_WAIT. Real ST-LINK firmware reports this
 * code for memory commands too, which is what OpenOCD's retry loops expect.
 */
static void dp_wait_apply(struct sim_fault *f, struct sim_fault_event *ev)
{
	if (ev->status == STLINK_DEBUG_ERR_OK && wait_should_fire(f, ev)) {
		ev->status = STLINK_SWD_DP_WAIT;
		f->fired++;
	}
}

/* AP WAIT: only accesses that go through the MEM-AP can see it */
static void ap_wait_apply(struct sim_fault *f, struct sim_fault_event *ev)
{
	if (ev->kind != SIM_ACCESS_AP)
		return;
	if (ev->status == STLINK_DEBUG_ERR_OK && wait_should_fire(f, ev)) {
		ev->status = STLINK_SWD_AP_WAIT;
		f->fired++;
	}
}

static const struct sim_param_desc nrst_params[] = {
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

/* NRST not wired between probe and target: DRIVE_NRST is acknowledged but does nothing */
static void nrst_unwired_apply(struct sim_fault *f, struct sim_fault_event *ev)
{
	if (ev->hook != SIM_HOOK_NRST)
		return;
	f->events++;
	f->fired++;
	ev->suppress = true;
}

/*
 * The fault table. Planned rows (hooks already raised by the probe model):
 * swd_error_rate (ACCESS + swd_khz), wires_open/swapped/no_ground (ENTER, IDCODE,
 * VOLTAGE), swd_pins_taken (ACCESS after RESET + delay), low-power modes and
 * lockup (ACCESS, target state), watchdog_reset (RESET), vapp_unwired (VOLTAGE),
 * sticky_error (ACCESS), rdp_level (ACCESS on flash addresses).
 */
static const struct sim_fault_type fault_types[] = {
	{ "dp_wait", "inject SWD_DP_WAIT (0x14) answers", wait_params, dp_wait_apply },
	{ "ap_wait", "inject SWD_AP_WAIT (0x10) answers on MEM-AP accesses", wait_params, ap_wait_apply },
	{ "nrst_unwired", "NRST not connected: DRIVE_NRST has no effect", nrst_params, nrst_unwired_apply },
};

const struct sim_fault_type *sim_fault_type_find(const char *name)
{
	for (size_t i = 0; i < sizeof(fault_types) / sizeof(fault_types[0]); i++)
		if (!strcmp(fault_types[i].name, name))
			return &fault_types[i];
	return NULL;
}

void sim_fault_list_types(char *buf, unsigned long size)
{
	size_t pos = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(fault_types) / sizeof(fault_types[0]) && pos < size; i++)
		pos += snprintf(buf + pos, size - pos, "%s%s", i ? ", " : "", fault_types[i].name);
}

int sim_fault_param_index(const struct sim_fault_type *t, const char *name)
{
	for (int i = 0; t->params[i].name; i++)
		if (!strcmp(t->params[i].name, name))
			return i;
	return -1;
}

void sim_fault_init(struct sim_fault *f, const struct sim_fault_type *t, struct sim_prng *prng)
{
	memset(f, 0, sizeof(*f));
	f->type = t;
	f->prng = prng;
	for (int i = 0; t->params[i].name && i < SIM_FAULT_MAX_PARAMS; i++)
		f->param[i] = t->params[i].def;
}

void sim_faults_dispatch(struct sim_faults *fs, struct sim_fault_event *ev)
{
	for (unsigned int i = 0; i < fs->count; i++) {
		struct sim_fault *f = &fs->list[i];
		unsigned long before = f->fired;

		f->type->apply(f, ev);
		if (f->fired != before)
			sim_log("FAULT %s fired (#%lu)", f->type->name, f->fired);
	}
}
