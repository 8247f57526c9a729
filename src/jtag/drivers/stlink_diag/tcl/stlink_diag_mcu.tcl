# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag: which STM32 answers, and its option register. Helpers for
# the debug, boot, protection and firmware layers; the knowledge is in C
# (stlink_probe stm32 ...), the reads and the wording are here.
# Compiled into OpenOCD (startup_tcl.inc).

# One 32-bit read; returns the value or "" when it failed. Counts reads.
proc stlink_diag_mcu_read {factsVar addr} {
	upvar $factsVar facts
	dict set facts mcu_reads [expr {[stlink_diag_get $facts mcu_reads 0] + 1}]
	set r [stlink_probe read32 [format 0x%08x [expr {$addr & ~3}]]]
	if {![dict get $r ok]} {
		return ""
	}
	return [dict get $r value]
}

# Identify the part from the DBGMCU IDCODE, trying the addresses of
# `stlink_probe stm32 candidates` in order (the debug layer may already have
# read the first). Sets facts mcu.*; appends evidence to evVar.
proc stlink_diag_mcu_identify {factsVar evVar} {
	upvar $factsVar facts $evVar ev
	set cpuid [stlink_diag_get $facts core.cpuid 0]
	set partno [format 0x%03x [expr {($cpuid >> 4) & 0xfff}]]
	set tried {}
	set idcode ""
	set reads 0
	foreach addr [stlink_probe stm32 candidates $partno] {
		if {[dict exists $facts mcu.idcode] && [dict get $facts mcu.idcode_addr] == $addr} {
			set v [dict get $facts mcu.idcode]
		} else {
			incr reads
			# a lost transfer on a flaky link is not "no DBGMCU here"
			set r [stlink_diag_read_verified $facts $addr]
			set v [expr {[dict get $r ok] ? [dict get $r value] : ""}]
		}
		lappend tried "$addr=[expr {$v eq "" ? "fault" : $v}]"
		if {$v ne "" && ($v & 0xfff) != 0 && ($v & 0xfff) != 0xfff} {
			set idcode $v
			dict set facts mcu.idcode $v
			dict set facts mcu.idcode_addr $addr
			break
		}
	}
	dict set facts mcu.idcode_reads $reads
	if {$idcode eq ""} {
		lappend ev mcu "no STM32 DEV_ID at any DBGMCU address ([join $tried {, }])"
		dict set facts mcu.name ""
		dict set facts mcu_unknown "no DBGMCU_IDCODE at [join $tried {, }]"
		return
	}
	set p [stlink_probe stm32 part $idcode $partno [stlink_diag_get $facts dp.dpidr 0]]
	dict set facts mcu_part $p
	dict set facts mcu.dev_id [dict get $p dev_id]
	dict set facts mcu.rev_id [dict get $p rev_id]
	if {[dict get $p clone] ne ""} {
		dict set facts mcu.clone [dict get $p clone]
		lappend ev clone "[dict get $p clone]: [dict get $p clone_tell]"
		lappend ev clone_fix [dict get $p clone_todo]
	} elseif {[dict get $p suspicious] ne ""} {
		dict set facts mcu.clone "unknown look-alike"
		lappend ev clone [dict get $p suspicious]
	}
	if {![dict get $p known]} {
		lappend ev mcu "DEV_ID [dict get $p dev_id] is not in the STM32 table"
		dict set facts mcu_unknown "DEV_ID [dict get $p dev_id] is not an STM32 DEV_ID"
		return
	}
	dict set facts mcu.name [dict get $p name]
	dict set facts mcu.family [dict get $p family]
	dict set facts mcu.revision [dict get $p revision]
	dict set facts mcu.sram_kb [dict get $p sram_kb]

	# F_SIZE: a 16-bit KiB count, maybe in the upper half of a word
	set fs [dict get $p flash_size_reg]
	if {$fs != 0} {
		set w [stlink_diag_mcu_read facts $fs]
		if {$w ne ""} {
			set kb [expr {($fs & 2) ? ($w >> 16) & 0xffff : $w & 0xffff}]
			if {$kb != 0 && $kb != 0xffff} {
				dict set facts mcu.flash_kb $kb
			} else {
				lappend ev flash_size "F_SIZE at $fs reads $kb: invalid (clone or erased calibration)"
			}
		}
	}
	set ua [dict get $p uid_addr]
	if {$ua != 0} {
		set words {}
		foreach off {0 4 8} {
			set w [stlink_diag_mcu_read facts [expr {$ua + $off}]]
			if {$w eq ""} {
				set words {}
				break
			}
			lappend words [string range $w 2 end]
		}
		if {[llength $words] == 3} {
			dict set facts mcu.uid [string toupper [join $words -]]
		}
	}
	set rev [dict get $p revision]
	if {[dict exists $facts mcu.uid]} {
		lappend ev uid [dict get $facts mcu.uid]
	}
	lappend ev mcu "[dict get $p name] (DEV_ID [dict get $p dev_id], rev [expr {$rev eq "" ? "REV_ID [dict get $p rev_id] (not in the table)" : $rev}], [stlink_diag_get $facts mcu.flash_kb ?] KiB flash) from $tried"
}

# The option register of the identified part, read once per run and decoded.
# Returns the decode dict, or "" when the part has no decoded layout or the
# read failed (facts mcu_opt_error says which).
proc stlink_diag_mcu_options {factsVar} {
	upvar $factsVar facts
	if {[dict exists $facts mcu_opt]} {
		return [dict get $facts mcu_opt]
	}
	set o ""
	set p [stlink_diag_get $facts mcu_part]
	if {$p eq "" || [stlink_diag_get $p layout] eq ""} {
		dict set facts mcu_opt_error "no decoded option-byte layout for [stlink_diag_get $facts mcu.family unknown parts]"
	} else {
		set lay [dict get $p layout]
		set addr [dict get [stlink_probe stm32 options $lay 0] address]
		set v [stlink_diag_mcu_read facts $addr]
		if {$v eq ""} {
			dict set facts mcu_opt_error "the option register at $addr could not be read"
		} else {
			set o [stlink_probe stm32 options $lay $v]
			dict set o value $v
			set wa [dict get $o wrp_reg]
			if {$wa != 0} {
				set wv [expr {$wa == $addr ? $v : [stlink_diag_mcu_read facts $wa]}]
				if {$wv ne ""} {
					set o [dict merge [stlink_probe stm32 options $lay $v $wv] [dict create value $v wrp_value $wv]]
				}
			}
		}
	}
	dict set facts mcu_opt $o
	return $o
}

# For the firmware layer: the option bits that change how firmware behaves
# (hardware watchdog, reset on STOP/STANDBY, watchdog frozen in low power),
# as evidence pairs {name "meaning"}; empty when none or unknown.
proc stlink_diag_mcu_option_surprises {factsVar} {
	upvar $factsVar facts
	set o [stlink_diag_mcu_options facts]
	if {$o eq ""} {
		return {}
	}
	set ev {}
	foreach {name meaning} [dict get $o surprises] {
		lappend ev $name "$name=0: $meaning"
	}
	return $ev
}

# "STM32F405/F407/F415/F417 rev Z", or the look-alike it is
proc stlink_diag_mcu_label {factsVar} {
	upvar $factsVar facts
	set rev [stlink_diag_get $facts mcu.revision]
	set label "[stlink_diag_get $facts mcu.name][expr {$rev eq "" ? "" : " rev $rev"}]"
	if {[stlink_diag_get $facts mcu.clone] ne ""} {
		set label "[dict get $facts mcu.clone] (IDs of $label)"
	}
	return $label
}

# The OpenOCD line that runs cmds with this part's target config and the
# driver stlink_diag was started with.
proc stlink_diag_mcu_openocd_line {factsVar cmds} {
	upvar $factsVar facts
	set p [stlink_diag_get $facts mcu_part]
	set iface [expr {[stlink_diag_get [stlink_diag_get $facts open] driver hla] eq "st-link" ? "interface/stlink-dap.cfg" : "interface/stlink.cfg"}]
	return "openocd -f $iface -f [stlink_diag_get $p target_cfg target/<family>.cfg] -c \"init; reset halt; $cmds; exit\""
}
