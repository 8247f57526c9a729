// SPDX-License-Identifier: GPL-2.0-or-later
#include "sim_fault.h"

#include <stdio.h>
#include <string.h>

#include "sim_log.h"
#include "sim_target.h"
#include "stlink_const.h"

/* OpenOCD 0.12.0 stlink_usb.c STLINK_SWD_*_PARITY_ERROR; not used by the probe model itself */
#define ST_SWD_AP_PARITY_ERROR	0x13
#define ST_SWD_DP_PARITY_ERROR	0x17

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


/* ---- link faults (line health, wiring, firmware that takes the link away) ---- */

static const char *const error_kind_choices[] = { "no_ack", "parity", "fault", NULL };
enum { KIND_NO_ACK, KIND_PARITY, KIND_FAULT };

/* the status a failed transfer of this kind reports at this hook (OpenOCD stlink_usb.c, stlink_usb_error_check) */
static uint8_t link_error_status(const struct sim_fault_event *ev, int kind)
{
	bool dp = ev->hook != SIM_HOOK_ACCESS || ev->kind == SIM_ACCESS_DP;

	switch (kind) {
	case KIND_PARITY:
		return dp ? ST_SWD_DP_PARITY_ERROR : ST_SWD_AP_PARITY_ERROR;
	case KIND_FAULT:
		return dp ? STLINK_SWD_DP_FAULT : STLINK_SWD_AP_FAULT;
	default:
		/* nothing answered: the firmware's line reset + DPIDR read fails, later accesses see a DP error */
		return ev->hook == SIM_HOOK_ACCESS ? STLINK_SWD_DP_ERROR : STLINK_JTAG_GET_IDCODE_ERROR;
	}
}

static bool is_link_hook(const struct sim_fault_event *ev)
{
	return ev->hook == SIM_HOOK_ENTER || ev->hook == SIM_HOOK_IDCODE || ev->hook == SIM_HOOK_ACCESS;
}

static void link_fail(struct sim_fault *f, struct sim_fault_event *ev, int kind)
{
	if (ev->status != STLINK_DEBUG_ERR_OK)
		return;
	ev->status = link_error_status(ev, kind);
	f->fired++;
}

static const struct sim_param_desc swd_errors_params[] = {
	{ "max_khz", SIM_PARAM_INT, 0, 1e6, 480, NULL, "clocks above this fail with probability 'rate'" },
	{ "rate", SIM_PARAM_NUM, 0, 1, 1, NULL, "error probability per transfer above max_khz" },
	{ "low_rate", SIM_PARAM_NUM, 0, 1, 0, NULL, "error probability per transfer at or below max_khz" },
	{ "kind", SIM_PARAM_ENUM, 0, 0, 0, error_kind_choices, "no_ack (0x09/0x16), parity (0x17/0x13), fault" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

enum { SE_MAX_KHZ, SE_RATE, SE_LOW_RATE, SE_KIND };

/* signal integrity: long leads or weak ground corrupt the fast clocks first */
static void swd_errors_apply(struct sim_fault *f, struct sim_fault_event *ev)
{
	if (!is_link_hook(ev) || ev->status != STLINK_DEBUG_ERR_OK)
		return;
	f->events++;
	double rate = ev->swd_khz > f->param[SE_MAX_KHZ] ? f->param[SE_RATE] : f->param[SE_LOW_RATE];
	/* rates 0 and 1 consume no PRNG draws, so they stay exact; a block's words each meet the rate (W5) */
	for (unsigned int i = 0; i < (ev->transfers > 1 ? ev->transfers : 1); i++) {
		if (rate >= 1 || (rate > 0 && sim_prng_unit(f->prng) < rate)) {
			ev->done = i;
			link_fail(f, ev, (int)f->param[SE_KIND]);
			return;
		}
	}
}

static const char *const wiring_choices[] = { "open", "swapped", "no_ground", NULL };
enum { WIRE_OPEN, WIRE_SWAPPED, WIRE_NO_GROUND };

static const struct sim_param_desc wiring_params[] = {
	{ "fault", SIM_PARAM_ENUM, 0, 0, 0, wiring_choices, "open: SWDIO/SWCLK not connected; swapped; no_ground" },
	{ "rate", SIM_PARAM_NUM, 0, 1, 0.35, NULL, "no_ground: error probability per transfer, at every clock" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

/* wiring: open or swapped lines never answer; without a common ground the line works by chance */
static void wiring_apply(struct sim_fault *f, struct sim_fault_event *ev)
{
	if (!is_link_hook(ev) || ev->status != STLINK_DEBUG_ERR_OK)
		return;
	f->events++;
	if (f->param[0] != WIRE_NO_GROUND) {
		link_fail(f, ev, KIND_NO_ACK);
		return;
	}
	for (unsigned int i = 0; i < (ev->transfers > 1 ? ev->transfers : 1); i++) {
		if (sim_prng_unit(f->prng) < f->param[1]) {
			ev->done = i;
			link_fail(f, ev, sim_prng_unit(f->prng) < 0.5 ? KIND_NO_ACK : KIND_PARITY);
			return;
		}
	}
}

/*
 * Shared by faults that describe what the application does once it runs:
 * "active" after the core has executed for 'after' probe commands since its
 * last reset (it was running long before the session started, so active at
 * first), never while NRST is held low or the core is halted.
 * state[0] = commands run since reset, state[1] = resets seen, state[2] = started.
 */
static bool firmware_active(struct sim_fault *f, unsigned long after)
{
	struct sim_target *t = f->target;

	if (!t)
		return false;
	if (!f->state[2]) {
		f->state[2] = 1;
		f->state[1] = t->resets;
		f->state[0] = after;	/* powered long before the probe connected */
	}
	if (t->nrst_low) {
		f->state[0] = 0;
		return false;
	}
	if (t->resets != f->state[1]) {
		f->state[1] = t->resets;
		f->state[0] = 0;
	}
	/* a halted core runs nothing, but what the application did stays done */
	if (!t->halted && f->state[0] < after) {
		f->state[0]++;
		return false;
	}
	return f->state[0] >= after;
}

static const struct sim_param_desc pins_taken_params[] = {
	{ "after", SIM_PARAM_INT, 0, 1e9, 3, NULL, "probe commands the core runs after reset before it takes the pins" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

/* the application reconfigures PA13/PA14 as GPIO: only a connect under reset gets through */
static void swd_pins_taken_apply(struct sim_fault *f, struct sim_fault_event *ev)
{
	if (!is_link_hook(ev))
		return;
	f->events++;
	if (firmware_active(f, (unsigned long)f->param[0]))
		link_fail(f, ev, KIND_NO_ACK);
}

static const char *const low_power_choices[] = { "sleep", "stop", "standby", NULL };

static const struct sim_param_desc low_power_params[] = {
	{ "mode", SIM_PARAM_ENUM, 0, 0, 0, low_power_choices, "the low-power mode the application enters" },
	{ "dbg_bits", SIM_PARAM_BOOL, 0, 1, 0, NULL, "DBGMCU_CR DBG_SLEEP/STOP/STANDBY set at start" },
	{ "after", SIM_PARAM_INT, 0, 1e9, 3, NULL, "probe commands the core runs after reset before it sleeps" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

/*
 * The application sleeps (WFI), or enters STOP/STANDBY. With the matching
 * DBGMCU_CR bit the debug clocks stay on and DHCSR shows S_SLEEP; without it
 * SLEEP stops HCLK (the AHB-AP faults, the DP answers) and STOP/STANDBY take
 * the whole debug domain away (nothing answers). Reads DBGMCU_CR live, so
 * setting the bits under reset fixes it, as on hardware.
 */
static void low_power_apply(struct sim_fault *f, struct sim_fault_event *ev)
{
	struct sim_target *t = f->target;
	int mode = (int)f->param[0];

	if (!t || !is_link_hook(ev))
		return;
	if (!f->state[3]) {
		f->state[3] = 1;
		if (f->param[1])
			t->dbgmcu_cr |= 0x7;
	}
	f->events++;
	bool active = firmware_active(f, (unsigned long)f->param[2]);
	t->sleeping = active;
	if (!active || (t->dbgmcu_cr & (1u << mode)))
		return;
	if (mode == 0) {
		if (ev->hook == SIM_HOOK_ACCESS && ev->kind == SIM_ACCESS_AP)
			link_fail(f, ev, KIND_FAULT);
		return;
	}
	link_fail(f, ev, KIND_NO_ACK);
}

static const char *const stuck_choices[] = { "lockup", "hardfault", NULL };

static const struct sim_param_desc stuck_params[] = {
	{ "where", SIM_PARAM_ENUM, 0, 0, 0, stuck_choices, "lockup: S_LOCKUP; hardfault: spinning in the fault handler" },
	{ "after", SIM_PARAM_INT, 0, 1e9, 2, NULL, "probe commands the core runs after reset before it is stuck" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

/* the application crashed: locked up (fault in the fault handler) or looping in HardFault_Handler */
static void firmware_stuck_apply(struct sim_fault *f, struct sim_fault_event *ev)
{
	struct sim_target *t = f->target;

	if (!t || !is_link_hook(ev))
		return;
	f->events++;
	if (f->param[0] == 0) {
		if (firmware_active(f, (unsigned long)f->param[1]) && !t->lockup) {
			t->lockup = true;
			f->fired++;
		}
		return;
	}
	/* the generated image puts the shared default handler's `b .` right after the idle loop:
	 * move the place the pretend firmware ends up in there */
	if (!f->state[3]) {
		f->state[3] = 1;
		t->idle_pc += 2;
		if (!t->halted)
			t->regs[0x0F] = t->idle_pc;
		f->fired++;
	}
}

static const struct sim_param_desc watchdog_params[] = {
	{ "period", SIM_PARAM_INT, 1, 1e9, 6, NULL, "probe commands between two watchdog resets" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

/* an independent watchdog nobody refreshes: a system reset every 'period' commands, halted or not */
static void watchdog_apply(struct sim_fault *f, struct sim_fault_event *ev)
{
	struct sim_target *t = f->target;

	if (!t || !is_link_hook(ev) || t->nrst_low)
		return;
	if (++f->events % (unsigned long)f->param[0])
		return;
	f->fired++;
	sim_log("TARGET watchdog reset");
	sim_target_reset(t, false);
}

static const struct sim_param_desc vapp_params[] = {
	{ "volts", SIM_PARAM_NUM, 0, 1, 0.02, NULL, "what the floating sense input reads" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

/* VAPP/T_VCC sense pin not connected: the target runs but the probe measures ~0 V */
static void vapp_unwired_apply(struct sim_fault *f, struct sim_fault_event *ev)
{
	if (ev->hook != SIM_HOOK_VOLTAGE)
		return;
	f->events++;
	f->fired++;
	ev->voltage = f->param[0];
}

static const struct sim_param_desc sticky_params[] = {
	{ "after", SIM_PARAM_INT, 0, 1e9, 0, NULL, "MEM-AP accesses to let through first" },
	{ "count", SIM_PARAM_INT, 0, 1e9, 1, NULL, "accesses that fault and set STICKYERR (0 = all later)" },
	{ NULL, 0, 0, 0, 0, NULL, NULL },
};

/* a MEM-AP transfer faults (bus error behind the AP) and leaves STICKYERR set in CTRL/STAT */
static void sticky_error_apply(struct sim_fault *f, struct sim_fault_event *ev)
{
	if (!f->target || ev->hook != SIM_HOOK_ACCESS || ev->kind != SIM_ACCESS_AP)
		return;
	if (ev->status != STLINK_DEBUG_ERR_OK)
		return;
	unsigned long n = f->events++;
	if (n < (unsigned long)f->param[0])
		return;
	if (f->param[1] > 0 && f->fired >= (unsigned long)f->param[1])
		return;
	ev->status = STLINK_SWD_AP_FAULT;
	f->target->dp_sticky |= 1u << 5;	/* STICKYERR */
	f->fired++;
}

/*
 * The fault table. Planned row (hooks already raised by the probe model):
 * rdp_level (ACCESS on flash addresses).
 */
static const struct sim_fault_type fault_types[] = {
	{ "dp_wait", "inject SWD_DP_WAIT (0x14) answers", wait_params, dp_wait_apply },
	{ "ap_wait", "inject SWD_AP_WAIT (0x10) answers on MEM-AP accesses", wait_params, ap_wait_apply },
	{ "nrst_unwired", "NRST not connected: DRIVE_NRST has no effect", nrst_params, nrst_unwired_apply },
	{ "swd_errors", "transfer errors above a clock speed (signal integrity)", swd_errors_params, swd_errors_apply },
	{ "wiring", "SWDIO/SWCLK open or swapped, or no common ground", wiring_params, wiring_apply },
	{ "swd_pins_taken", "the application takes PA13/PA14 soon after reset", pins_taken_params,
		swd_pins_taken_apply },
	{ "low_power", "the application sleeps, stops or stands by, with or without DBGMCU bits", low_power_params,
		low_power_apply },
	{ "firmware_stuck", "the core is locked up or spins in its fault handler", stuck_params, firmware_stuck_apply },
	{ "watchdog", "a watchdog resets the target periodically", watchdog_params, watchdog_apply },
	{ "vapp_unwired", "the voltage sense pin is not connected (reads ~0 V)", vapp_params, vapp_unwired_apply },
	{ "sticky_error", "MEM-AP transfers fault and set CTRL/STAT.STICKYERR", sticky_params, sticky_error_apply },
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

		f->target = fs->target;
		f->type->apply(f, ev);
		if (f->fired != before)
			sim_log("FAULT %s fired (#%lu)", f->type->name, f->fired);
	}
}
