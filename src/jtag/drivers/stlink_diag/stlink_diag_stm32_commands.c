// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * `stlink_probe stm32 ...`: the STM32 knowledge tables as Tcl dicts. Pure
 * lookups and decoders: they never talk to the probe, so the Tcl layers
 * read the registers (stlink_probe read32) and ask here what they mean.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <helper/command.h>
#include <helper/log.h>

#include "stlink_diag_arm.h"
#include "stlink_diag_stm32.h"
#include "stlink_diag_stm32_commands.h"

static void put(Jim_Interp *in, Jim_Obj *d, const char *key, Jim_Obj *v)
{
	Jim_DictAddElement(in, d, Jim_NewStringObj(in, key, -1), v);
}

static void put_str(Jim_Interp *in, Jim_Obj *d, const char *key, const char *v)
{
	put(in, d, key, Jim_NewStringObj(in, v ? v : "", -1));
}

static void put_int(Jim_Interp *in, Jim_Obj *d, const char *key, long v)
{
	put(in, d, key, Jim_NewIntObj(in, v));
}

static void put_hex(Jim_Interp *in, Jim_Obj *d, const char *key, uint32_t v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "0x%08" PRIx32, v);
	put_str(in, d, key, buf);
}

static int done(struct command_invocation *cmd, Jim_Obj *d)
{
	command_print(cmd, "%s", Jim_String(d));
	Jim_FreeNewObj(cmd->ctx->interp, d);
	return ERROR_OK;
}

/* stlink_probe stm32 candidates cpuid_partno */
COMMAND_HANDLER(handle_stm32_candidates)
{
	uint16_t partno;
	uint32_t a[8];

	if (CMD_ARGC != 1)
		return ERROR_COMMAND_SYNTAX_ERROR;
	COMMAND_PARSE_NUMBER(u16, CMD_ARGV[0], partno);
	const struct stlink_diag_core *core = stlink_diag_core_lookup(0x41, partno);
	size_t n = stlink_diag_stm32_idcode_candidates(core ? core->name : NULL, a, 8);
	char line[128] = "";
	for (size_t i = 0; i < n; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s0x%08" PRIx32, i ? " " : "", a[i]);
	command_print(CMD, "%s", line);
	return ERROR_OK;
}

/* stlink_probe stm32 part idcode cpuid_partno dpidr */
COMMAND_HANDLER(handle_stm32_part)
{
	uint32_t idcode, dpidr;
	uint16_t partno;

	if (CMD_ARGC != 3)
		return ERROR_COMMAND_SYNTAX_ERROR;
	COMMAND_PARSE_NUMBER(u32, CMD_ARGV[0], idcode);
	COMMAND_PARSE_NUMBER(u16, CMD_ARGV[1], partno);
	COMMAND_PARSE_NUMBER(u32, CMD_ARGV[2], dpidr);

	Jim_Interp *in = CMD_CTX->interp;
	Jim_Obj *d = Jim_NewDictObj(in, NULL, 0);
	uint16_t dev_id = stlink_diag_stm32_effective_dev_id(idcode, partno);
	uint16_t rev_id = idcode >> 16;
	const struct stlink_diag_stm32_part *p = stlink_diag_stm32_part_lookup(dev_id);
	char why[256];
	const struct stlink_diag_stm32_clone *c = stlink_diag_stm32_clone_match(dpidr, partno, idcode, why,
		sizeof(why));
	char buf[16];

	snprintf(buf, sizeof(buf), "0x%03x", dev_id);
	put_str(in, d, "dev_id", buf);
	snprintf(buf, sizeof(buf), "0x%04x", rev_id);
	put_str(in, d, "rev_id", buf);
	put_int(in, d, "known", p != NULL);
	put_str(in, d, "clone", c ? c->name : "");
	if (c) {
		put_str(in, d, "clone_tell", c->tell);
		put_str(in, d, "clone_looks_like", c->looks_like);
		put_str(in, d, "clone_todo", c->todo);
	}
	put_str(in, d, "suspicious", why);
	if (!p)
		return done(CMD, d);
	const char *rev = stlink_diag_stm32_rev_name(p, rev_id);
	const struct stlink_diag_stm32_family *f = stlink_diag_stm32_family_lookup(p->family);
	put_str(in, d, "family", p->family);
	put_str(in, d, "name", p->line);
	put_str(in, d, "core", p->core);
	put_str(in, d, "revision", rev ? rev : "");
	put_int(in, d, "single_source", p->single_source);
	put_hex(in, d, "dpidr", p->dpidr);
	put_hex(in, d, "flash_size_reg", p->flash_size_reg);
	put_int(in, d, "sram_kb", p->sram_kb);
	put_hex(in, d, "sysmem_base", p->sysmem_base);
	put_str(in, d, "layout", p->layout);
	put_str(in, d, "flash_driver", p->flash_driver);
	put_str(in, d, "target_cfg", p->target_cfg);
	put_int(in, d, "in_openocd_0_12", p->in_openocd_0_12);
	if (f) {
		put_int(in, d, "boot_alias", f->boot_alias);
		put_hex(in, d, "flash_base", f->flash_base);
		put_hex(in, d, "sram_base", f->sram_base);
		put_hex(in, d, "uid_addr", f->uid_addr);
		put_str(in, d, "boot_select", f->boot_select);
		put_str(in, d, "boot_fix", f->boot_fix);
		put_hex(in, d, "bootmode_reg", f->bootmode_reg);
		put_int(in, d, "bootmode_shift", f->bootmode_shift);
		put_int(in, d, "bootmode_width", f->bootmode_width);
		put_hex(in, d, "bootmode_clock_reg", f->bootmode_clock_reg);
		put_int(in, d, "bootmode_clock_bit", f->bootmode_clock_bit);
		put_hex(in, d, "boot_add_reg", f->boot_add_reg);
		put_int(in, d, "boot_add0_shift", f->boot_add0_shift);
		put_int(in, d, "boot_add1_shift", f->boot_add1_shift);
		put_int(in, d, "boot_add_width", f->boot_add_width);
		put_int(in, d, "boot_add_lsl", f->boot_add_lsl);
		put_str(in, d, "rm", f->rm);
	}
	return done(CMD, d);
}

/* stlink_probe stm32 options layout value [wrp_value] */
COMMAND_HANDLER(handle_stm32_options)
{
	uint32_t value, wrp = 0;

	if (CMD_ARGC < 2 || CMD_ARGC > 3)
		return ERROR_COMMAND_SYNTAX_ERROR;
	const struct stlink_diag_stm32_layout *l = stlink_diag_stm32_layout_lookup(CMD_ARGV[0]);
	if (!l) {
		command_print(CMD, "stlink_probe stm32 options: unknown layout '%s'", CMD_ARGV[0]);
		return ERROR_COMMAND_ARGUMENT_INVALID;
	}
	COMMAND_PARSE_NUMBER(u32, CMD_ARGV[1], value);
	if (CMD_ARGC == 3)
		COMMAND_PARSE_NUMBER(u32, CMD_ARGV[2], wrp);

	Jim_Interp *in = CMD_CTX->interp;
	Jim_Obj *d = Jim_NewDictObj(in, NULL, 0);
	uint32_t raw;
	const char *level = stlink_diag_stm32_rdp_level(l, value, &raw);
	const struct stlink_diag_stm32_rdp_meaning *m = stlink_diag_stm32_rdp_meaning(level);
	char buf[16];

	put_str(in, d, "register", l->reg_name);
	put_hex(in, d, "address", l->reg);
	put_str(in, d, "level", level);
	snprintf(buf, sizeof(buf), "0x%02" PRIx32, raw);
	put_str(in, d, "rdp_raw", buf);
	put_str(in, d, "summary", m ? m->summary : "");
	put_str(in, d, "debugger", m ? m->debugger : "");
	put_int(in, d, "tzen", l->tz_bit >= 0 ? (int)((value >> l->tz_bit) & 1) : -1);
	put_str(in, d, "regress", l->regress);
	put_str(in, d, "regress_note", l->regress_note);
	put_hex(in, d, "wrp_reg", l->wrp_reg);
	put_int(in, d, "wrp_count", CMD_ARGC == 3 ? stlink_diag_stm32_wrp_count(l, wrp) : -1);

	/* boot bits by name; firmware bits whose value surprises, as "name meaning" pairs */
	Jim_Obj *boot = Jim_NewDictObj(in, NULL, 0);
	Jim_Obj *surprises = Jim_NewListObj(in, NULL, 0);
	Jim_Obj *all = Jim_NewDictObj(in, NULL, 0);
	for (size_t i = 0; i < l->n_bits; i++) {
		const struct stlink_diag_stm32_optbit *b = &l->bits[i];
		unsigned int v = (value >> b->bit) & 1;
		put_int(in, all, b->name, v);
		if (b->kind == STLINK_DIAG_OPT_BOOT) {
			put_int(in, boot, b->name, v);
		} else if (v == b->surprise) {
			Jim_ListAppendElement(in, surprises, Jim_NewStringObj(in, b->name, -1));
			Jim_ListAppendElement(in, surprises, Jim_NewStringObj(in, b->meaning, -1));
		}
	}
	put(in, d, "bits", all);
	put(in, d, "boot_bits", boot);
	put(in, d, "surprises", surprises);
	return done(CMD, d);
}

/* stlink_probe stm32 region dev_id address */
COMMAND_HANDLER(handle_stm32_region)
{
	uint16_t dev_id;
	uint32_t addr;

	if (CMD_ARGC != 2)
		return ERROR_COMMAND_SYNTAX_ERROR;
	COMMAND_PARSE_NUMBER(u16, CMD_ARGV[0], dev_id);
	COMMAND_PARSE_NUMBER(u32, CMD_ARGV[1], addr);
	const char *r = stlink_diag_stm32_region(stlink_diag_stm32_part_lookup(dev_id), addr);
	command_print(CMD, "%s", r ? r : "");
	return ERROR_OK;
}

/* stlink_probe stm32 bootmode family value */
COMMAND_HANDLER(handle_stm32_bootmode)
{
	uint32_t mode;

	if (CMD_ARGC != 2)
		return ERROR_COMMAND_SYNTAX_ERROR;
	COMMAND_PARSE_NUMBER(u32, CMD_ARGV[1], mode);
	const char *n = stlink_diag_stm32_bootmode_name(CMD_ARGV[0], mode);
	command_print(CMD, "%s", n ? n : "");
	return ERROR_OK;
}

/* stlink_probe stm32 family family: debug in low power, supply, reset flags, watchdog */
COMMAND_HANDLER(handle_stm32_family)
{
	if (CMD_ARGC != 1)
		return ERROR_COMMAND_SYNTAX_ERROR;
	const struct stlink_diag_stm32_power *f = stlink_diag_stm32_power_lookup(CMD_ARGV[0]);
	if (!f) {
		command_print(CMD, "stlink_probe stm32 family: unknown family '%s'", CMD_ARGV[0]);
		return ERROR_COMMAND_ARGUMENT_INVALID;
	}
	Jim_Interp *in = CMD_CTX->interp;
	Jim_Obj *d = Jim_NewDictObj(in, NULL, 0);
	put_str(in, d, "family", f->family);
	put_hex(in, d, "dbgmcu_cr", f->dbgmcu_cr);
	put_hex(in, d, "dbg_bits", f->dbg_bits);
	put_int(in, d, "dbg_sleep", (f->dbg_bits >> 0) & 1);
	put_int(in, d, "dbg_stop", (f->dbg_bits >> 1) & 1);
	put_int(in, d, "dbg_standby", (f->dbg_bits >> 2) & 1);
	put_hex(in, d, "dbgmcu_clock_reg", f->dbgmcu_clock_reg);
	put_int(in, d, "dbgmcu_clock_bit", f->dbgmcu_clock_bit);
	put_int(in, d, "vdd_min_mv", f->vdd_min_mv);
	put_int(in, d, "vdd_max_mv", f->vdd_max_mv);
	put_int(in, d, "pdr_mv", f->pdr_mv);
	put_hex(in, d, "rcc_flags_reg", f->rcc_flags_reg);
	put_str(in, d, "rcc_flags", f->rcc_flags);
	put_hex(in, d, "pwr_mode_reg", f->pwr_mode_reg);
	put_int(in, d, "pwr_mode_shift", f->pwr_mode_shift);
	put_int(in, d, "pwr_mode_width", f->pwr_mode_width);
	put_int(in, d, "pwr_standby_min", f->pwr_standby_min);
	put_hex(in, d, "pwr_sbf_reg", f->pwr_sbf_reg);
	put_int(in, d, "pwr_sbf_bit", f->pwr_sbf_bit);
	put_hex(in, d, "wdg_opt_reg", f->wdg_opt_reg);
	put_int(in, d, "wdg_opt_bit", f->wdg_opt_bit);
	put_hex(in, d, "wdg_freeze_reg", f->wdg_freeze_reg);
	put_int(in, d, "wdg_freeze_bit", f->wdg_freeze_bit);
	put_str(in, d, "source", f->source);
	return done(CMD, d);
}

/* stlink_probe stm32 families: every family with data, and the highest minimum VDD */
COMMAND_HANDLER(handle_stm32_families)
{
	if (CMD_ARGC != 0)
		return ERROR_COMMAND_SYNTAX_ERROR;
	Jim_Interp *in = CMD_CTX->interp;
	Jim_Obj *d = Jim_NewDictObj(in, NULL, 0);
	Jim_Obj *l = Jim_NewListObj(in, NULL, 0);
	for (size_t i = 0; i < stlink_diag_stm32_powers_size; i++)
		Jim_ListAppendElement(in, l, Jim_NewStringObj(in, stlink_diag_stm32_powers[i].family, -1));
	put(in, d, "families", l);
	put_int(in, d, "vdd_min_max_mv", stlink_diag_stm32_vdd_min_max_mv());
	return done(CMD, d);
}

/* stlink_probe stm32 family_of_cfg name: the family whose parts use target/<name>.cfg, "" none */
COMMAND_HANDLER(handle_stm32_family_of_cfg)
{
	if (CMD_ARGC != 1)
		return ERROR_COMMAND_SYNTAX_ERROR;
	char want[96];
	snprintf(want, sizeof(want), "target/%s.cfg", CMD_ARGV[0]);
	for (size_t i = 0; i < stlink_diag_stm32_parts_size; i++) {
		const struct stlink_diag_stm32_part *p = &stlink_diag_stm32_parts[i];
		if (p->target_cfg && !strcmp(p->target_cfg, want)) {
			command_print(CMD, "%s", p->family);
			return ERROR_OK;
		}
	}
	command_print(CMD, "%s", "");
	return ERROR_OK;
}

const struct command_registration stlink_diag_stm32_command_handlers[] = {
	{ .name = "candidates", .handler = handle_stm32_candidates, .mode = COMMAND_ANY, .usage = "cpuid_partno",
	  .help = "DBGMCU_IDCODE addresses to try, in order, for a core" },
	{ .name = "part", .handler = handle_stm32_part, .mode = COMMAND_ANY, .usage = "idcode cpuid_partno dpidr",
	  .help = "the STM32 line, revision, family facts and look-alike verdict for an IDCODE" },
	{ .name = "options", .handler = handle_stm32_options, .mode = COMMAND_ANY,
	  .usage = "layout value [wrp_value]",
	  .help = "decode an option register: RDP level and meaning, regress command, boot and firmware bits" },
	{ .name = "region", .handler = handle_stm32_region, .mode = COMMAND_ANY, .usage = "dev_id address",
	  .help = "user flash, system memory or SRAM for an address" },
	{ .name = "bootmode", .handler = handle_stm32_bootmode, .mode = COMMAND_ANY, .usage = "family value",
	  .help = "name of a SYSCFG MEM_MODE/BOOT_MODE value" },
	{ .name = "family", .handler = handle_stm32_family, .mode = COMMAND_ANY, .usage = "family",
	  .help = "a family's DBGMCU_CR bits, VDD range and PDR, RCC reset flags, PWR mode bits, watchdog bits" },
	{ .name = "families", .handler = handle_stm32_families, .mode = COMMAND_ANY, .usage = "",
	  .help = "the families with low-power, supply and reset data" },
	{ .name = "family_of_cfg", .handler = handle_stm32_family_of_cfg, .mode = COMMAND_ANY, .usage = "cfg_name",
	  .help = "the family of the parts a target config (e.g. stm32f4x) is for" },
	COMMAND_REGISTRATION_DONE
};
