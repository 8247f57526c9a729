# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag layer "protection": read-out protection and option bytes.
# Compiled into OpenOCD (startup_tcl.inc).

# Reads the identified part's option register (no halt, no write: it stays
# readable at RDP level 1), decodes the RDP level through the family's
# layout and prints, never runs, the commands that regress it.
proc stlink_diag_layer_protection {factsVar} {
	upvar $factsVar facts
	if {[stlink_diag_get $facts mcu.family] eq ""} {
		return [stlink_diag_layer protection skipped protection.unknown_part \
			"not checked: the part was not identified as an STM32, so its option-byte layout is unknown" \
			[list mcu [stlink_diag_get $facts mcu_unknown "no DBGMCU_IDCODE"]]]
	}
	set o [stlink_diag_mcu_options facts]
	if {$o eq ""} {
		return [stlink_diag_layer protection skipped protection.no_layout \
			"not checked: [dict get $facts mcu_opt_error]"]
	}
	set level [dict get $o level]
	set ev [list [dict get $o register] "[dict get $o value] at [dict get $o address]" rdp "[dict get $o rdp_raw] (level $level)"]
	dict set facts protection.rdp_level $level
	dict set facts protection.rdp_raw [dict get $o rdp_raw]
	dict set facts protection.register [dict get $o register]
	dict set facts protection.value [dict get $o value]
	if {[dict get $o tzen] >= 0} {
		dict set facts protection.tzen [dict get $o tzen]
		lappend ev tzen [dict get $o tzen]
	}
	set wrp [dict get $o wrp_count]
	if {$wrp >= 0} {
		dict set facts protection.wrp_count $wrp
		lappend ev write_protected [expr {$wrp ? "$wrp sector/page groups" : "none"}]
	} else {
		lappend ev write_protected "not decoded for this family"
	}
	set surprises [stlink_diag_mcu_option_surprises facts]
	dict set facts options.surprises [dict keys $surprises]
	foreach {k v} $surprises {
		lappend ev option_$k $v
	}
	set regress [stlink_diag_mcu_openocd_line facts [dict get $o regress]]
	dict set facts protection.regress $regress
	set what "[stlink_diag_mcu_label facts]: RDP level $level ([dict get $o register] RDP = [dict get $o rdp_raw][expr {[stlink_diag_get $facts held_at_reset_vector 0] ? ", read with the core held at its reset vector" : ""}])"
	switch -exact -- $level {
		1 {
			dict set facts protection.summary "$what: [dict get $o debugger]"
			dict set facts protection.fix "to go back to level 0, which ERASES THE WHOLE FLASH: $regress ([dict get $o regress_note]). stlink_diag never does this itself"
			return [stlink_diag_layer protection fail protection.rdp1 \
				"$what: [dict get $o debugger]" $ev \
				"to go back to level 0, which ERASES THE WHOLE FLASH: $regress ([dict get $o regress_note]). stlink_diag never does this itself"]
		}
		2 {
			return [stlink_diag_layer protection fail protection.rdp2 "$what: [dict get $o debugger]" $ev \
				"none: level 2 cannot be regressed; replace the chip"]
		}
		0.5 {
			return [stlink_diag_layer protection warn protection.rdp0_5 "$what: [dict get $o debugger]" $ev \
				"to debug secure code, disable TrustZone (erases the flash): [stlink_diag_mcu_openocd_line facts {stm32l4x trustzone 0 disable}]"]
		}
	}
	if {$wrp > 0} {
		return [stlink_diag_layer protection warn protection.write_protected \
			"$what, but $wrp flash sector/page groups are write-protected: programming them fails" $ev \
			"remove the write protection (no erase): [stlink_diag_mcu_openocd_line facts {flash protect 0 0 last off}]"]
	}
	if {[llength $surprises]} {
		set names [join [dict keys $surprises] ", "]
		dict set facts protection.surprise_summary "$what; option bytes that change how firmware behaves: [join [dict values $surprises] {; }]"
		return [stlink_diag_layer protection warn protection.option_surprise \
			"$what; option bytes that change how firmware behaves: [join [dict values $surprises] {; }]" $ev \
			"if the firmware does not expect $names, change the option bytes (e.g. STM32CubeProgrammer -ob); stlink_diag never writes them"]
	}
	return [stlink_diag_layer protection ok protection.ok \
		"$what: [dict get $o summary], [expr {$wrp == 0 ? "no write protection" : "write protection not decoded"}], no surprising option bytes" $ev]
}
