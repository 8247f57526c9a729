// SPDX-License-Identifier: GPL-2.0-or-later
#include "sim_scenario.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sim_parts.h"
#include "sim_phys.h"
#include "stlink_const.h"

enum field_type {
	F_U32,		/* integer or "0x..." string */
	F_BOOL,
	F_NUM,		/* double */
	F_STR,
	F_FIRMWARE,	/* "V2J37M26" into struct sim_probe_config */
	F_MODE,		/* "dfu" / "mass" / "debug" into uint8_t */
	F_U8,		/* integer or "0x..." into uint8_t */
	F_FREQS,	/* array of kHz into uint32_t[SIM_MAX_FREQS] + count right after */
	F_VERSION,	/* "2.1.3" into major/minor/build */
	F_CHOICE,	/* string from "choices" into int (its index) */
};

struct field {
	const char *key;
	enum field_type type;
	size_t offset;
	double min, max;
	size_t size;		/* F_STR buffer size */
	const char *const *choices;	/* F_CHOICE, NULL-terminated */
};

struct ctx {
	const char *path;
	const char *text;	/* raw file, to find the line of a key */
	char *err;
	size_t err_size;
};

#define FIELD(st, k, t, m, lo, hi) { k, t, offsetof(struct st, m), lo, hi, sizeof(((struct st *)0)->m), NULL }
#define PF(k, t, m, lo, hi) FIELD(sim_probe_config, k, t, m, lo, hi)
#define TF(k, t, m, lo, hi) FIELD(sim_target_config, k, t, m, lo, hi)
#define SF(k, t, m, lo, hi) FIELD(sim_server_config, k, t, m, lo, hi)
#define XF(k, t, m, lo, hi) FIELD(sim_phys_config, k, t, m, lo, hi)
#define XC(k, m, ch) { k, F_CHOICE, offsetof(struct sim_phys_config, m), 0, 0, sizeof(int), ch }
#define XO(k, m, ch) XC(k, opt.m, ch)

static const struct field probe_fields[] = {
	PF("vid", F_U32, vid, 0, 0xFFFF),
	PF("pid", F_U32, pid, 0, 0xFFFF),
	PF("firmware", F_FIRMWARE, hw, 0, 0),
	PF("serial", F_STR, serial, 0, 0),
	PF("mode", F_MODE, mode_at_start, 0, 4),
	PF("in_use", F_BOOL, in_use, 0, 0),
	PF("vref_adc", F_U32, vref_adc, 1, 4095),
	PF("connect_fail_status", F_U8, connect_fail_status, 0, 0xFF),
	PF("swd_freqs_khz", F_FREQS, swd_freqs, 1, 100000),
	PF("jtag_freqs_khz", F_FREQS, jtag_freqs, 1, 100000),
	{ NULL, 0, 0, 0, 0, 0, NULL },
};

static const struct field server_fields[] = {
	SF("api", F_U32, api, 1, 255),
	SF("version", F_VERSION, major, 0, 0),
	SF("num_probes", F_U32, num_probes, 0, SIM_MAX_PROBES),
	{ NULL, 0, 0, 0, 0, 0, NULL },
};

/* physical model (README "Physical model"); the first choice of each list is the default */
static const char *const vectors_ch[] = { "ok", "erased", "zero", NULL };
static const char *const sram_ch[] = { "zero", "random", NULL };
static const char *const line_ch[] = { "ok", "open", NULL };
static const char *const stop_dp_ch[] = { "answers", "silent", NULL };
static const char *const standby_dp_ch[] = { "silent", "answers", NULL };
static const char *const stall_ch[] = { "wait", "fault", NULL };
static const char *const sleep_ch[] = { "documented", "all", "none", NULL };
static const char *const absent_ch[] = { "absent", "present", NULL };
static const char *const pcsr_lockup_ch[] = { "ones", "lockup_pc", NULL };
static const char *const trcena_ch[] = { "pc", "ones", NULL };
static const char *const idcode_ch[] = { "fault", "readable", NULL };
static const char *const rdp1_ch[] = { "ap_fault", "ap_error", NULL };
static const char *const rdp1_sram_ch[] = { "readable", "fault", NULL };
static const char *const noack_ch[] = { "error", "fault", NULL };
static const char *const parity_ch[] = { "parity", "error", NULL };
static const char *const ground_ch[] = { "flat", "rising", NULL };
static const char *const pdr_ch[] = { "silent", "answers_in_reset", NULL };
static const char *const syscfg_ch[] = { "reset_value", "zero", NULL };
static const char *const swj_ch[] = { "zero", "written", NULL };

static const struct field supply_fields[] = {
	XF("vdd", F_NUM, vdd, 0, 5.5),
	XF("dip_v", F_NUM, dip_v, 0, 3.3),
	XF("dip_hz", F_NUM, dip_hz, 0.1, 100000),
	XF("vapp_wired", F_BOOL, vapp_wired, 0, 0),
	{ NULL, 0, 0, 0, 0, 0, NULL },
};

static const struct field wiring_fields[] = {
	XC("swdio", swdio_open, line_ch),
	XC("swclk", swclk_open, line_ch),
	XF("swapped", F_BOOL, swapped, 0, 0),
	XF("ground", F_BOOL, ground, 0, 0),
	XF("no_ground_rate", F_NUM, no_ground_rate, 0, 1),
	XF("cable_cm", F_NUM, cable_cm, 1, 300),
	XF("crit_khz", F_NUM, crit_khz, 1, 100000),
	XF("nrst", F_BOOL, nrst_wired, 0, 0),
	XF("nrst_held_low", F_BOOL, nrst_held_low, 0, 0),
	{ NULL, 0, 0, 0, 0, 0, NULL },
};

static const struct field timing_fields[] = {
	XF("wall_clock", F_BOOL, wall_clock, 0, 0),
	XF("probe_us", F_NUM, probe_us, 1, 100000),
	XF("core_hz", F_NUM, core_hz, 1e5, 1e9),
	XF("lsi_hz", F_NUM, lsi_hz, 1000, 100000),
	{ NULL, 0, 0, 0, 0, 0, NULL },
};

static const struct field option_fields[] = {
	XF("s_lockup_needs_debugen", F_BOOL, opt.s_lockup_needs_debugen, 0, 0),
	XO("stop_dp", stop_dp, stop_dp_ch),
	XO("standby_dp", standby_dp, standby_dp_ch),
	XO("stall_status", stall_status, stall_ch),
	XO("sleep_stops_hclk", sleep_stops_hclk, sleep_ch),
	XO("pcsr_v6m", pcsr_v6m, absent_ch),
	XO("pcsr_lockup", pcsr_lockup, pcsr_lockup_ch),
	XO("pcsr_without_trcena", pcsr_without_trcena, trcena_ch),
	XO("idcode_under_reset", idcode_under_reset, idcode_ch),
	XO("rdp1_read_status", rdp1_read_status, rdp1_ch),
	XO("rdp1_sram", rdp1_sram, rdp1_sram_ch),
	XO("no_ack_status", no_ack_status, noack_ch),
	XO("parity_status", parity_status, parity_ch),
	XO("no_ground_errors", no_ground_errors, ground_ch),
	XO("below_pdr_dp", below_pdr_dp, pdr_ch),
	XO("syscfg_unclocked", syscfg_unclocked, syscfg_ch),
	XO("swj_cfg_read", swj_cfg_read, swj_ch),
	{ NULL, 0, 0, 0, 0, 0, NULL },
};

static const struct field target_fields[] = {
	TF("part", F_STR, part, 0, 0),
	TF("powered", F_BOOL, powered, 0, 0),
	TF("voltage", F_NUM, voltage, 0, 5.5),
	TF("dpidr", F_U32, dpidr, 0, 0xFFFFFFFF),
	TF("jtag_idcode", F_U32, jtag_idcode, 0, 0xFFFFFFFF),
	TF("cpuid", F_U32, cpuid, 0, 0xFFFFFFFF),
	TF("ap_idr", F_U32, ap_idr, 0, 0xFFFFFFFF),
	TF("dbgmcu_idcode", F_U32, dbgmcu_idcode, 0, 0xFFFFFFFF),
	TF("dbgmcu_idcode_addr", F_U32, dbgmcu_idcode_addr, 0, 0xFFFFFFFC),
	TF("flash_base", F_U32, flash_base, 0, 0xFFFFFFFF),
	TF("flash_kb", F_U32, flash_kb, 1, 4096),
	TF("flash_size_reg", F_U32, flash_size_reg, 0, 0xFFFFFFFF),
	TF("sram_base", F_U32, sram_base, 0, 0xFFFFFFFF),
	TF("sram_kb", F_U32, sram_kb, 1, 2048),
	TF("sysmem_base", F_U32, sysmem_base, 0, 0xFFFFFFFF),
	TF("sysmem_kb", F_U32, sysmem_kb, 1, 256),
	TF("optbytes_base", F_U32, optbytes_base, 0, 0xFFFFFFFF),
	TF("flash_regs_base", F_U32, flash_regs_base, 0, 0xFFFFFFFF),
	TF("initial_sp", F_U32, initial_sp, 0, 0xFFFFFFFF),
	TF("reset_vector", F_U32, reset_vector, 0, 0xFFFFFFFF),
	TF("mvfr0", F_U32, mvfr0, 0, 0xFFFFFFFF),
	TF("mvfr1", F_U32, mvfr1, 0, 0xFFFFFFFF),
	TF("rdp", F_U8, rdp, 0, 0xFF),
	TF("model", F_STR, model, 0, 0),
	TF("rdp_level", F_U32, rdp_level, 0, 2),
	TF("boot", F_STR, boot, 0, 0),
	TF("empty_flash", F_BOOL, empty_flash, 0, 0),
	TF("hw_watchdog", F_BOOL, hw_watchdog, 0, 0),
	{ "vectors", F_CHOICE, offsetof(struct sim_target_config, phys.vectors), 0, 0, sizeof(int), vectors_ch },
	{ "sram_contents", F_CHOICE, offsetof(struct sim_target_config, phys.sram_contents), 0, 0, sizeof(int),
		sram_ch },
	{ NULL, 0, 0, 0, 0, 0, NULL },
};

/* 1-based line of the first occurrence of "key" in the file, 0 if not found */
static int key_line(const struct ctx *c, const char *key)
{
	char pat[80];
	const char *hit;
	int line = 1;

	snprintf(pat, sizeof(pat), "\"%s\"", key);
	hit = strstr(c->text, pat);
	if (!hit)
		return 0;
	for (const char *s = c->text; s < hit; s++)
		line += *s == '\n';
	return line;
}

static int fail(const struct ctx *c, const char *path, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(const struct ctx *c, const char *path, const char *key, const char *fmt, ...)
{
	char why[256];
	int line = key ? key_line(c, key) : 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (line)
		snprintf(c->err, c->err_size, "scenario %s: line %d: key '%s': %s", c->path, line, path, why);
	else
		snprintf(c->err, c->err_size, "scenario %s: key '%s': %s", c->path, path, why);
	return -1;
}

/* integer JSON value or string "0x..." / decimal string */
static int get_number(const struct ctx *c, const char *path, const char *key, json_t *v, double *out)
{
	if (json_is_integer(v)) {
		*out = (double)json_integer_value(v);
		return 0;
	}
	if (json_is_real(v)) {
		*out = json_real_value(v);
		return 0;
	}
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char *end;
		unsigned long long n;

		errno = 0;
		n = strtoull(s, &end, 0);
		if (*s && !*end && !errno && s[0] != '-') {
			*out = (double)n;
			return 0;
		}
		return fail(c, path, key, "'%s' is not a number (use an integer or a \"0x...\" string)", s);
	}
	return fail(c, path, key, "expected a number, got %s",
		json_is_boolean(v) ? "a boolean" : json_is_null(v) ? "null" : json_is_array(v) ? "an array" :
		"an object");
}

static int check_range(const struct ctx *c, const char *path, const char *key, double v, double lo, double hi,
		bool integer)
{
	if (integer && v != (double)(long long)v)
		return fail(c, path, key, "expected an integer, got %g", v);
	if (v < lo || v > hi)
		return fail(c, path, key, "value %.10g out of range (%.10g..%.10g)", v, lo, hi);
	return 0;
}

static int parse_field(const struct ctx *c, const char *path, const char *key, const struct field *f, json_t *v,
		void *base)
{
	uint8_t *dst = (uint8_t *)base + f->offset;
	double n;

	switch (f->type) {
	case F_U32:
	case F_U8:
		if (get_number(c, path, key, v, &n) || check_range(c, path, key, n, f->min, f->max, true))
			return -1;
		if (f->size == 1)
			*dst = (uint8_t)n;
		else if (f->size == 2)
			*(uint16_t *)dst = (uint16_t)n;
		else
			*(uint32_t *)dst = (uint32_t)n;
		return 0;
	case F_NUM:
		if (!json_is_number(v))
			return fail(c, path, key, "expected a number");
		n = json_number_value(v);
		return check_range(c, path, key, n, f->min, f->max, false) ? -1 : (*(double *)dst = n, 0);
	case F_BOOL:
		if (!json_is_boolean(v))
			return fail(c, path, key, "expected true or false");
		*(bool *)dst = json_is_true(v);
		return 0;
	case F_STR:
		if (!json_is_string(v))
			return fail(c, path, key, "expected a string");
		if (strlen(json_string_value(v)) >= f->size)
			return fail(c, path, key, "string longer than %zu characters", f->size - 1);
		strcpy((char *)dst, json_string_value(v));
		return 0;
	case F_FIRMWARE: {
		struct sim_probe_config *pc = base;

		if (!json_is_string(v) || sim_probe_parse_firmware(pc, json_string_value(v)))
			return fail(c, path, key, "expected a firmware string like \"V2J37M26\" or \"V3J7M2B4S1\"");
		return 0;
	}
	case F_MODE: {
		static const char *const modes[] = { "dfu", "mass", "debug", "swim", "bootloader" };

		if (json_is_string(v)) {
			for (unsigned int i = 0; i < 5; i++) {
				if (!strcmp(json_string_value(v), modes[i])) {
					*dst = i;
					return 0;
				}
			}
		}
		return fail(c, path, key, "expected one of \"dfu\", \"mass\", \"debug\", \"swim\", \"bootloader\"");
	}
	case F_FREQS: {
		uint32_t *list = (uint32_t *)dst;
		unsigned int *count = (unsigned int *)(list + SIM_MAX_FREQS);
		size_t i;
		json_t *e;

		if (!json_is_array(v) || json_array_size(v) > SIM_MAX_FREQS)
			return fail(c, path, key, "expected an array of at most %d frequencies in kHz", SIM_MAX_FREQS);
		json_array_foreach(v, i, e) {
			if (get_number(c, path, key, e, &n) || check_range(c, path, key, n, f->min, f->max, true))
				return -1;
			list[i] = (uint32_t)n;
		}
		*count = json_array_size(v);
		return 0;
	}
	case F_VERSION: {
		struct sim_server_config *s = base;
		unsigned int a, b, d;
		char tail;

		if (!json_is_string(v) || sscanf(json_string_value(v), "%u.%u.%u%c", &a, &b, &d, &tail) != 3)
			return fail(c, path, key, "expected a version string like \"2.1.3\"");
		s->major = a;
		s->minor = b;
		s->build = d;
		return 0;
	}
	case F_CHOICE: {
		char known[256] = "";
		size_t pos = 0;

		for (unsigned int i = 0; json_is_string(v) && f->choices[i]; i++) {
			if (!strcmp(json_string_value(v), f->choices[i])) {
				*(int *)dst = i;
				return 0;
			}
		}
		for (unsigned int i = 0; f->choices[i] && pos < sizeof(known); i++)
			pos += snprintf(known + pos, sizeof(known) - pos, "%s\"%s\"", i ? ", " : "", f->choices[i]);
		return fail(c, path, key, "expected one of %s", known);
	}
	}
	return fail(c, path, key, "internal: unhandled field type");
}

static int parse_section(const struct ctx *c, json_t *root, const char *name, const struct field *fields, void *base)
{
	json_t *obj = json_object_get(root, name);
	const char *key;
	json_t *v;

	if (!obj)
		return 0;
	if (!json_is_object(obj))
		return fail(c, name, name, "expected an object");
	json_object_foreach(obj, key, v) {
		char path[128];
		const struct field *f = fields;

		snprintf(path, sizeof(path), "%s.%s", name, key);
		while (f->key && strcmp(f->key, key))
			f++;
		if (!f->key) {
			char known[512] = "";
			size_t pos = 0;

			for (f = fields; f->key && pos < sizeof(known); f++)
				pos += snprintf(known + pos, sizeof(known) - pos, "%s%s", f == fields ? "" : ", ",
					f->key);
			return fail(c, path, key, "unknown key (known keys: %s)", known);
		}
		if (parse_field(c, path, key, f, v, base))
			return -1;
	}
	return 0;
}

static int parse_faults(const struct ctx *c, json_t *root, struct sim_scenario *sc)
{
	json_t *arr = json_object_get(root, "faults");
	size_t i;
	json_t *item;

	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return fail(c, "faults", "faults", "expected an array of fault objects");
	if (json_array_size(arr) > SIM_FAULT_MAX)
		return fail(c, "faults", "faults", "at most %d faults are supported", SIM_FAULT_MAX);
	json_array_foreach(arr, i, item) {
		struct sim_fault_spec *spec = &sc->faults[i];
		const struct sim_fault_type *t;
		json_t *type = json_object_get(item, "type"), *v;
		const char *key;
		char path[128];
		struct sim_fault tmp;

		snprintf(path, sizeof(path), "faults[%zu]", i);
		if (!json_is_object(item))
			return fail(c, path, "faults", "expected an object");
		if (!json_is_string(type))
			return fail(c, path, "faults", "missing string key \"type\"");
		t = sim_fault_type_find(json_string_value(type));
		if (!t) {
			char names[256];

			sim_fault_list_types(names, sizeof(names));
			return fail(c, path, json_string_value(type), "unknown fault type \"%s\" (known: %s)",
				json_string_value(type), names);
		}
		sim_fault_init(&tmp, t, NULL);
		spec->type = t;
		memcpy(spec->param, tmp.param, sizeof(spec->param));
		json_object_foreach(item, key, v) {
			int idx;
			double n;

			if (!strcmp(key, "type"))
				continue;
			snprintf(path, sizeof(path), "faults[%zu].%s", i, key);
			idx = sim_fault_param_index(t, key);
			if (idx < 0)
				return fail(c, path, key, "unknown parameter for fault \"%s\"", t->name);
			const struct sim_param_desc *d = &t->params[idx];

			switch (d->type) {
			case SIM_PARAM_BOOL:
				if (!json_is_boolean(v))
					return fail(c, path, key, "expected true or false");
				n = json_is_true(v);
				break;
			case SIM_PARAM_ENUM:
				n = -1;
				for (int k = 0; json_is_string(v) && d->choices[k]; k++)
					if (!strcmp(d->choices[k], json_string_value(v)))
						n = k;
				if (n < 0)
					return fail(c, path, key, "not one of the allowed values");
				break;
			default:
				if (get_number(c, path, key, v, &n) ||
				    check_range(c, path, key, n, d->min, d->max, d->type == SIM_PARAM_INT))
					return -1;
				break;
			}
			spec->param[idx] = n;
		}
	}
	sc->n_faults = json_array_size(arr);
	return 0;
}

/* "firmware": { "actions": [ { "at_us": N, "do": "...", params } ] } (README "Physical model") */
static int parse_firmware(const struct ctx *c, json_t *root, struct sim_scenario *sc)
{
	static const char *const dos[] = { "take_swd_pins", "swj_cfg", "dbgmcu_cr", "sleep", "iwdg_start",
		"bad_pointer", "sysreset", NULL };
	static const char *const modes[] = { "sleep", "stop", "standby", NULL };
	static const char *const handlers[] = { "spin", "fault", NULL };
	/* keys allowed per action, besides "at_us" and "do" */
	static const char *const allowed[][4] = {
		{ NULL }, { "value", NULL }, { "value", NULL }, { "mode", NULL },
		{ "prescaler", "reload", "refresh_us", NULL }, { "address", "handler", NULL }, { NULL },
	};
	struct sim_phys_config *pc = &sc->target.phys;
	json_t *fwo = json_object_get(root, "firmware"), *arr, *item;
	const char *key;
	json_t *v;
	size_t i;

	if (!fwo)
		return 0;
	if (!json_is_object(fwo))
		return fail(c, "firmware", "firmware", "expected an object");
	json_object_foreach(fwo, key, v) {
		if (strcmp(key, "actions"))
			return fail(c, "firmware", key, "unknown key (known keys: actions)");
	}
	arr = json_object_get(fwo, "actions");
	if (!arr)
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) > SIM_PHYS_MAX_ACTIONS)
		return fail(c, "firmware.actions", "actions", "expected an array of at most %d actions",
			SIM_PHYS_MAX_ACTIONS);
	json_array_foreach(arr, i, item) {
		struct sim_fw_action *a = &pc->actions[i];
		char path[96];
		json_t *d = json_object_get(item, "do");
		int w = -1, pins = 0;
		double n;

		snprintf(path, sizeof(path), "firmware.actions[%zu]", i);
		if (!json_is_object(item))
			return fail(c, path, "actions", "expected an object");
		for (int k = 0; json_is_string(d) && dos[k]; k++)
			if (!strcmp(dos[k], json_string_value(d)))
				w = k;
		if (w < 0)
			return fail(c, path, "do", "missing or unknown \"do\" (known: take_swd_pins, swj_cfg, dbgmcu_cr, "
				"sleep, iwdg_start, bad_pointer, sysreset)");
		memset(a, 0, sizeof(*a));
		a->what = w;
		a->prescaler = 4;
		a->reload = 0xFFF;
		a->value = w == FW_BAD_POINTER ? 0x00100000 : 0;
		a->mode = w == FW_SLEEP ? LP_SLEEP : 0;
		json_object_foreach(item, key, v) {
			char kp[128];
			bool ok = !strcmp(key, "at_us") || !strcmp(key, "do");

			for (int k = 0; !ok && allowed[w][k]; k++)
				ok = !strcmp(allowed[w][k], key);
			snprintf(kp, sizeof(kp), "%s.%s", path, key);
			if (!ok)
				return fail(c, kp, key, "unknown parameter for \"%s\"", dos[w]);
			if (!strcmp(key, "do"))
				continue;
			if (!strcmp(key, "mode") || !strcmp(key, "handler")) {
				const char *const *ch = !strcmp(key, "mode") ? modes : handlers;
				int found = -1;

				for (int k = 0; json_is_string(v) && ch[k]; k++)
					if (!strcmp(ch[k], json_string_value(v)))
						found = k;
				if (found < 0)
					return fail(c, kp, key, "not one of the allowed values (%s)",
						ch == modes ? "sleep, stop, standby" : "spin, fault");
				a->mode = ch == modes ? LP_SLEEP + found : found;
				continue;
			}
			if (get_number(c, kp, key, v, &n))
				return -1;
			if (!strcmp(key, "at_us")) {
				if (check_range(c, kp, key, n, 0, 1e9, false))
					return -1;
				a->at_us = n;
			} else if (!strcmp(key, "value")) {
				if (check_range(c, kp, key, n, 0, w == FW_SWJ_CFG ? 4 : 4294967295.0, true))
					return -1;
				a->value = (uint32_t)n;
			} else if (!strcmp(key, "address")) {
				if (check_range(c, kp, key, n, 0, 4294967295.0, true))
					return -1;
				a->value = (uint32_t)n;
			} else if (!strcmp(key, "prescaler")) {
				if (check_range(c, kp, key, n, 4, 256, true) || ((int)n & ((int)n - 1)))
					return fail(c, kp, key, "expected a power of two 4..256");
				a->prescaler = (uint32_t)n;
			} else if (!strcmp(key, "reload")) {
				if (check_range(c, kp, key, n, 0, 4095, true))
					return -1;
				a->reload = (uint32_t)n;
			} else if (!strcmp(key, "refresh_us")) {
				if (check_range(c, kp, key, n, 0, 1e9, false))
					return -1;
				a->refresh_us = n;
			}
		}
		for (size_t k = 0; k <= i; k++)
			pins += pc->actions[k].what == FW_TAKE_SWD_PINS;
		if (pins > 1)
			return fail(c, path, "do", "take_swd_pins given twice");
		if (i > 0 && a->at_us < pc->actions[i - 1].at_us)
			return fail(c, path, "at_us", "actions must be in at_us order");
	}
	pc->n_actions = json_array_size(arr);
	return 0;
}

/* physical sections present: validate the combination (README "Impossible combinations") */
static int check_physical(const struct ctx *c, json_t *root, struct sim_scenario *sc)
{
	struct sim_phys_config *pc = &sc->target.phys;
	json_t *tgt = json_object_get(root, "target"), *wir = json_object_get(root, "wiring");
	static const char *const legacy[][2] = {
		{ "wiring", "wiring.swdio/swclk/swapped/ground" }, { "swd_errors", "wiring.cable_cm/crit_khz" },
		{ "swd_pins_taken", "firmware take_swd_pins / swj_cfg" }, { "low_power", "firmware sleep + dbgmcu_cr" },
		{ "firmware_stuck", "firmware bad_pointer / target.vectors" }, { "watchdog", "firmware iwdg_start / "
		"target.hw_watchdog" },
	};

	if (!sim_phys_family(sc->target.model))
		return fail(c, "target.model", "model", "the physical model needs target.model, one of: %s",
			sim_phys_family_names());
	if (json_object_get(tgt, "powered"))
		return fail(c, "target.powered", "powered", "not with the physical model: use supply.vdd 0");
	if (json_object_get(tgt, "voltage"))
		return fail(c, "target.voltage", "voltage", "not with the physical model: use supply.vdd");
	for (unsigned int i = 0; i < sc->n_faults; i++)
		for (size_t k = 0; k < sizeof(legacy) / sizeof(legacy[0]); k++)
			if (!strcmp(sc->faults[i].type->name, legacy[k][0]))
				return fail(c, "faults", legacy[k][0], "legacy fault \"%s\" cannot be combined with the "
					"physical model (use %s)", legacy[k][0], legacy[k][1]);
	if (pc->vdd < 1.0 && pc->dip_v > 0)
		return fail(c, "supply.dip_v", "dip_v", "physically impossible: an unpowered target (supply.vdd %.2f) "
			"has no brown-out dips", pc->vdd);
	pc->crit_given = json_object_get(wir, "crit_khz") != NULL;
	pc->cable_given = json_object_get(wir, "cable_cm") != NULL;
	if ((pc->swdio_open || pc->swclk_open || pc->swapped) &&
	    (!pc->ground || pc->crit_given || pc->cable_given || json_object_get(wir, "no_ground_rate")))
		return fail(c, "wiring", pc->swapped ? "swapped" : "swdio", "physically impossible: with a line open "
			"or swapped no transfer reaches the target, so ground/cable/crit_khz/no_ground_rate "
			"(a transfer error rate) cannot apply");
	for (unsigned int i = 0; i < pc->n_actions; i++)
		if (pc->actions[i].what == FW_SWJ_CFG && !sim_phys_is_f1(sc->target.model))
			return fail(c, "firmware.actions", "swj_cfg", "action \"swj_cfg\": AFIO_MAPR.SWJ_CFG exists only on F1 (target.model "
				"\"%s\"); use take_swd_pins", sc->target.model);
	if (!strcmp(sc->target.model, "f7") || !strcmp(sc->target.model, "h7"))
		if (!strcmp(sc->target.boot, "sram"))
			return fail(c, "target.boot", "boot", "F7/H7 boot from BOOT_ADDx, not modelled for SRAM");
	pc->enabled = true;
	pc->seed = sc->seed;
	return 0;
}

void sim_scenario_defaults(struct sim_scenario *sc)
{
	memset(sc, 0, sizeof(*sc));
	sc->seed = 1;
	sc->server.api = 2;
	sc->server.major = 2;
	sc->server.minor = 1;
	sc->server.build = 3;
	sc->server.num_probes = 1;
	sim_probe_config_defaults(&sc->probe);
	sim_target_config_defaults(&sc->target);
	sim_phys_config_defaults(&sc->target.phys);
}

int sim_scenario_load(const char *path, struct sim_scenario *sc, char *err, size_t err_size)
{
	struct ctx c = { .path = path, .err = err, .err_size = err_size };
	/* "usb" belongs to the USB simulation (testing/usbsim), which reads it itself */
	static const char *const sections[] = { "description", "seed", "server", "probe", "target", "faults", "usb",
		"supply", "wiring", "firmware", "timing", "options", NULL };
	json_error_t jerr;
	json_t *root;
	const char *key;
	json_t *v;
	char *text;
	long len;
	FILE *f;
	int ret = -1;
	bool voltage_given;

	sim_scenario_defaults(sc);
	f = fopen(path, "rb");
	if (!f) {
		snprintf(err, err_size, "scenario %s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	if (len < 0 || len > (1 << 20)) {
		fclose(f);
		snprintf(err, err_size, "scenario %s: not a regular file or larger than 1 MiB", path);
		return -1;
	}
	text = calloc(1, len + 1);
	if (!text || fread(text, 1, len, f) != (size_t)len) {
		fclose(f);
		free(text);
		snprintf(err, err_size, "scenario %s: read error", path);
		return -1;
	}
	fclose(f);
	c.text = text;

	root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(err, err_size, "scenario %s: line %d column %d: JSON syntax error: %s", path, jerr.line,
			jerr.column, jerr.text);
		goto out;
	}
	if (!json_is_object(root)) {
		snprintf(err, err_size, "scenario %s: top level must be a JSON object", path);
		goto out;
	}
	json_object_foreach(root, key, v) {
		unsigned int i = 0;

		while (sections[i] && strcmp(sections[i], key))
			i++;
		if (!sections[i]) {
			fail(&c, key, key,
				"unknown top-level key (known: description, seed, server, probe, target, faults, usb, "
				"supply, wiring, firmware, timing, options)");
			goto out;
		}
	}
	v = json_object_get(root, "description");
	if (v) {
		if (!json_is_string(v)) {
			fail(&c, "description", "description", "expected a string");
			goto out;
		}
		snprintf(sc->description, sizeof(sc->description), "%s", json_string_value(v));
	}
	v = json_object_get(root, "seed");
	if (v) {
		double n;

		if (get_number(&c, "seed", "seed", v, &n) ||
		    check_range(&c, "seed", "seed", n, 0, 9007199254740992.0, true))
			goto out;
		sc->seed = (uint64_t)n;
	}
	if (parse_section(&c, root, "server", server_fields, &sc->server) ||
	    parse_section(&c, root, "probe", probe_fields, &sc->probe))
		goto out;
	voltage_given = json_object_get(json_object_get(root, "target"), "voltage") != NULL;
	/* a part model fills the target first; the scenario's other target keys override it */
	json_t *model = json_object_get(json_object_get(root, "target"), "model");
	if (model && (!json_is_string(model) || sim_parts_defaults(&sc->target, json_string_value(model)))) {
		fail(&c, "target.model", "model", "unknown part model (known: %s)", sim_parts_names());
		goto out;
	}
	if (parse_section(&c, root, "target", target_fields, &sc->target) || parse_faults(&c, root, sc))
		goto out;
	bool physical = false;
	for (const char *const *s = (const char *const[]){ "supply", "wiring", "firmware", "timing", "options", NULL };
	     *s; s++)
		physical |= json_object_get(root, *s) != NULL;
	if (parse_section(&c, root, "supply", supply_fields, &sc->target.phys) ||
	    parse_section(&c, root, "wiring", wiring_fields, &sc->target.phys) ||
	    parse_section(&c, root, "timing", timing_fields, &sc->target.phys) ||
	    parse_section(&c, root, "options", option_fields, &sc->target.phys) || parse_firmware(&c, root, sc))
		goto out;
	if (physical && check_physical(&c, root, sc))
		goto out;
	if (!physical && (sc->target.phys.vectors || sc->target.phys.sram_contents || !strcmp(sc->target.boot, "sram"))) {
		fail(&c, "target", "vectors", "target.vectors, sram_contents and boot \"sram\" need the physical model "
			"(a supply, wiring, firmware, timing or options section)");
		goto out;
	}
	/* an unpowered target reads 0 V unless the scenario says otherwise (e.g. a VAPP wiring fault) */
	if (!sc->target.powered && !voltage_given)
		sc->target.voltage = 0;
	if ((sc->target.reset_vector & ~1u) < sc->target.flash_base ||
	    (sc->target.reset_vector & ~1u) >= sc->target.flash_base + sc->target.flash_kb * 1024 - 32) {
		fail(&c, "target.reset_vector", "reset_vector", "must point into flash (0x%08x + %u KiB)",
			sc->target.flash_base, sc->target.flash_kb);
		goto out;
	}
	if (strcmp(sc->target.boot, "flash") && strcmp(sc->target.boot, "sysmem") && strcmp(sc->target.boot, "sram")) {
		fail(&c, "target.boot", "boot", "expected \"flash\", \"sysmem\" or \"sram\"");
		goto out;
	}
	ret = 0;
out:
	json_decref(root);
	free(text);
	return ret;
}
