# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag layer "reset": every NRST operation of the diagnosis. NRST
# wiring and software reset on a working link; connect under reset, and the
# second observation that tells taken SWD pins from STOP, STANDBY and sleep,
# when the link or the core does not answer. Compiled into OpenOCD
# (startup_tcl.inc). Every reset is announced before it happens, and none
# happens with -passive.

set stlink_diag_reset_line "reset_config srst_only srst_nogate connect_assert_srst"

# Observations after a release: pairs of a DPIDR read and a CPUID read (AP),
# this many milliseconds apart. 8 x 5 ms stays well inside the run's wait
# budget and covers an application that sleeps or takes the pins within a
# few milliseconds of reset.
set stlink_diag_release_samples 8
set stlink_diag_release_gap_ms 5

# A family to take the DBGMCU_CR address from when the part is unknown,
# by core profile: where that profile's STM32s keep it.
set stlink_diag_profile_family {v6-M G0 v7-M F4 v8-M U5}

proc stlink_diag_nrst_low {why} {
	stlink_diag_announce "resetting the target: holding NRST low $why"
	return [stlink_probe nrst low]
}

proc stlink_diag_nrst_release {} {
	stlink_diag_announce "releasing NRST"
	return [stlink_probe nrst high]
}

# Connect under reset: hold NRST low, enter SWD, read the DPIDR. NRST stays
# low; the caller releases it. Returns {ok 0|1 nrst ... enter ... dpidr ...}.
proc stlink_diag_reset_connect_under_reset {} {
	set n [stlink_diag_nrst_low "to try a connect under reset"]
	set e [stlink_probe enter swd]
	set r [dict create ok 0 nrst "[dict get $n status] [dict get $n status_name]" \
		enter "[dict get $e status] [dict get $e status_name]"]
	if {[dict get $e ok]} {
		set id [stlink_probe idcode]
		if {[dict get $id ok] && [dict get $id dpidr] ni {0x00000000 0xffffffff}} {
			dict set r ok 1
			dict set r dpidr [dict get $id dpidr]
		}
	}
	return $r
}

# Under reset: the core and the part, without touching the run's mcu.*
# facts (the part is not reachable outside reset). Returns the family data
# dict to use ({} when even a guess is impossible) and sets reset.* facts.
proc stlink_diag_reset_identify {factsVar evVar} {
	upvar $factsVar facts $evVar ev
	global stlink_diag_profile_family
	set c [stlink_diag_read_bounded 0xE000ED00]
	if {![dict get $c ok]} {
		lappend ev cpuid_under_reset "read failed: [dict get $c status_name]"
		return {}
	}
	set cd [stlink_probe decode cpuid [dict get $c value]]
	lappend ev cpuid_under_reset "[dict get $c value] ([dict get $cd core])"
	dict set facts reset.cpuid [dict get $c value]
	set tmp [dict create core.cpuid [dict get $c value] dp.dpidr [stlink_diag_get $facts reset.dpidr 0]]
	set iev {}
	stlink_diag_mcu_identify tmp iev
	set fam [stlink_diag_get $tmp mcu.family]
	if {$fam ne ""} {
		stlink_diag_reset_protection facts ev $tmp
		dict set facts reset.part [stlink_diag_get $tmp mcu.name]
		dict set facts reset.family $fam
		lappend ev part_under_reset "[dict get $tmp mcu.name] ($fam)"
		if {[stlink_diag_get $facts part.family_hint] eq ""} {
			dict set facts part.family_hint $fam
		}
	} else {
		set fam [stlink_diag_get $stlink_diag_profile_family [dict get $cd profile]]
		lappend ev part_under_reset "not identified; DBGMCU_CR of a [dict get $cd profile] STM32 ($fam) assumed"
	}
	if {$fam eq ""} {
		return {}
	}
	set d {}
	catch {set d [stlink_probe stm32 family $fam]}
	return $d
}

# Under reset the option register is readable: a part that answers only
# there is still checked for read-out protection, so a second cause shows
# in the verdict's "also" (the protection layer cannot run without a link).
proc stlink_diag_reset_protection {factsVar evVar tmp} {
	upvar $factsVar facts $evVar ev
	set o [stlink_diag_mcu_options tmp]
	if {$o eq ""} {
		return
	}
	set level [dict get $o level]
	lappend ev rdp_under_reset "[dict get $o rdp_raw] (level $level) in [dict get $o register] [dict get $o value]"
	if {$level ni {1 2}} {
		return
	}
	set what "[stlink_diag_get $tmp mcu.name]: RDP level $level ([dict get $o register] RDP = [dict get $o rdp_raw], read under reset)"
	if {$level == 1} {
		set regress [stlink_diag_mcu_openocd_line tmp [dict get $o regress]]
		dict set facts protection.summary "$what: [dict get $o debugger]"
		dict set facts protection.fix "to go back to level 0, which ERASES THE WHOLE FLASH: $regress ([dict get $o regress_note]). stlink_diag never does this itself"
		stlink_diag_finding facts protection fail protection.rdp1 [dict get $facts protection.summary] \
			[list rdp_under_reset [dict get $o rdp_raw]] [dict get $facts protection.fix]
	} else {
		stlink_diag_finding facts protection fail protection.rdp2 "$what: [dict get $o debugger]" \
			[list rdp_under_reset [dict get $o rdp_raw]] "none: level 2 cannot be regressed; replace the chip"
	}
}

# After a release: sample the DP and the AP. Returns {lost_dp N lost_ap N
# samples N} with the index of the first failing sample (0 = none failed).
proc stlink_diag_reset_watch_release {} {
	global stlink_diag_release_samples stlink_diag_release_gap_ms
	set lost_dp 0
	set lost_ap 0
	for {set i 1} {$i <= $stlink_diag_release_samples} {incr i} {
		set id [stlink_probe idcode]
		if {!$lost_dp && !([dict get $id ok] && [dict get $id dpidr] ni {0x00000000 0xffffffff})} {
			set lost_dp $i
		}
		if {!$lost_dp} {
			set c [stlink_diag_read_bounded 0xE000ED00]
			if {!$lost_ap && ![dict get $c ok]} {
				set lost_ap $i
			}
		}
		if {$lost_dp || $lost_ap} {
			break
		}
		sleep $stlink_diag_release_gap_ms
	}
	return [dict create lost_dp $lost_dp lost_ap $lost_ap samples $stlink_diag_release_samples]
}

# The second observation for a target that answers only under reset (or
# whose core answers only under reset): with NRST low, set the DBGMCU_CR
# low-power debug bits one mode at a time, release, and watch whether the
# link survives. The first mode whose bit keeps it alive is the cause; if
# none does, the result is none_means (pins: the pins were taken). DBGMCU_CR is a debug register (not reset
# by a system reset); its old value is restored at the end. Called with
# NRST low; returns with NRST released. Sets reset.after_release.
proc stlink_diag_reset_lowpower_test {factsVar evVar fam modes none} {
	upvar $factsVar facts $evVar ev
	set cr_addr [dict get $fam dbgmcu_cr]
	set r [stlink_diag_counted read32 $cr_addr]
	if {![dict get $r ok]} {
		lappend ev dbgmcu_cr "read at $cr_addr under reset failed: [dict get $r status_name]"
		stlink_diag_nrst_release
		dict set facts reset.after_release unknown
		dict set facts reset.release_note "DBGMCU_CR at $cr_addr could not be read under reset"
		return
	}
	set old [dict get $r value]
	lappend ev dbgmcu_cr_before "$old at $cr_addr"
	set bitof {sleep 0x1 stop 0x2 standby 0x4}
	set have [dict get $fam dbg_bits]
	set set_bits 0
	set notes {}
	set found $none
	set first 1
	dict set bitof baseline 0
	foreach mode $modes {
		if {$mode ne "baseline" && !([dict get $bitof $mode] & $have)} {
			continue
		}
		set set_bits [expr {$set_bits | [dict get $bitof $mode]}]
		if {!$first} {
			set n [stlink_diag_nrst_low "to set the next DBGMCU_CR bit"]
			stlink_probe enter swd
		}
		set first 0
		set new [format 0x%08x [expr {$old | $set_bits}]]
		if {$mode ne "baseline"} {
			stlink_diag_announce "setting DBGMCU_CR ($cr_addr) to $new under reset (debug in [string toupper $mode] and lighter modes) to see whether the link survives; the old value $old is restored at the end"
			stlink_probe dbgmcu_write [dict get $fam family] $new
		}
		set back [stlink_diag_read $cr_addr]
		stlink_diag_nrst_release
		set w [stlink_diag_reset_watch_release]
		set what [expr {[dict get $w lost_dp] ? "DP lost at sample [dict get $w lost_dp]" \
			: [dict get $w lost_ap] ? "AP lost at sample [dict get $w lost_ap]" : "kept for [dict get $w samples] samples"}]
		lappend notes "with [format 0x%x $set_bits]: $what"
		if {$mode eq "baseline"} {
			lappend ev release_test "DBGMCU_CR unchanged ($old), after release: $what"
		} else {
			lappend ev dbgmcu_${mode}_test "wrote $new (read back [expr {$back eq "" ? "failed" : $back}]), after release: $what"
		}
		if {$back ne "" && ($back & $set_bits) != $set_bits} {
			set found unknown
			lappend notes "the DBGMCU_CR write did not take (its clock may be off)"
			break
		}
		if {![dict get $w lost_dp] && ![dict get $w lost_ap]} {
			set found $mode
			break
		}
	}
	if {$first} {
		set found unknown
		lappend notes "this family has none of the DBGMCU_CR bits to test ($modes)"
	}
	# the mode registers, while the link lives (supporting observations)
	if {$found eq "baseline"} {
		set found recovered
		lappend notes "the core answered after a plain reset and release: not a low-power mode"
	}
	if {$found in {sleep stop standby recovered}} {
		set scr [stlink_diag_read 0xE000ED10]
		if {$scr ne ""} {
			lappend ev scb_scr "$scr (SLEEPDEEP [expr {($scr >> 2) & 1}])"
		}
		if {[dict get $fam pwr_mode_reg] != 0} {
			set p [stlink_diag_read [dict get $fam pwr_mode_reg]]
			if {$p ne ""} {
				set m [expr {($p >> [dict get $fam pwr_mode_shift]) & ((1 << [dict get $fam pwr_mode_width]) - 1)}]
				lappend ev pwr_mode "[dict get $fam pwr_mode_reg] = $p (deep-sleep mode field $m: [expr {$m >= [dict get $fam pwr_standby_min] ? "standby" : "stop"}])"
			}
		}
		if {$set_bits} {
			stlink_diag_announce "restoring DBGMCU_CR ($cr_addr) to $old"
			stlink_probe dbgmcu_write [dict get $fam family] $old
		}
	} else {
		if {$set_bits} {
			stlink_diag_nrst_low "to restore DBGMCU_CR to $old"
			stlink_probe enter swd
			stlink_probe dbgmcu_write [dict get $fam family] $old
			stlink_diag_nrst_release
		}
	}
	set bits [expr {[dict get $fam dbg_bits] & 0x7}]
	set fix "mww [format 0x%08X $cr_addr] [format 0x%x $bits]"
	if {[dict get $fam dbgmcu_clock_reg] != 0} {
		set fix "mmw [format 0x%08X [dict get $fam dbgmcu_clock_reg]] [format 0x%x [expr {1 << [dict get $fam dbgmcu_clock_bit]}]] 0; $fix"
	}
	dict set facts reset.dbg_fix "$fix ([dict get $fam family])"
	dict set facts reset.after_release $found
	dict set facts reset.release_note [join $notes "; "]
}

# Nothing answers normally: connect under reset, and if that answers, the
# second observation.
proc stlink_diag_reset_no_link {factsVar} {
	upvar $factsVar facts
	global stlink_diag_reset_line
	set ev {}
	set u [stlink_diag_reset_connect_under_reset]
	lappend ev under_reset_nrst [dict get $u nrst] under_reset_enter [dict get $u enter]
	if {![dict get $u ok]} {
		stlink_diag_nrst_release
		dict set facts reset.cur_note "connect under reset did not answer either: if NRST is wired, the application is not what takes the link (if it is not wired, connect under reset cannot help)"
		return [stlink_diag_layer reset skipped reset.no_link \
			"the target does not answer under reset either: NRST may not be wired, or the cause is the wiring, RDP level 2 or the supply (see the wire layer); the NRST and software reset tests need a working link" $ev]
	}
	lappend ev under_reset_dpidr [dict get $u dpidr]
	dict set facts reset.dpidr [dict get $u dpidr]
	set fam [stlink_diag_reset_identify facts ev]
	if {$fam ne ""} {
		stlink_diag_reset_lowpower_test facts ev $fam {stop standby} pins
	} else {
		stlink_diag_nrst_release
		dict set facts reset.after_release unknown
		dict set facts reset.release_note "the core could not be read under reset"
	}
	lappend ev after_release [dict get $facts reset.after_release]
	return [stlink_diag_layer reset ok reset.answers_under_reset \
		"NRST works: the target answers under reset but not normally; after release: [dict get $facts reset.release_note]" $ev \
		$stlink_diag_reset_line]
}

# The DP answers but the core does not: read it under reset, and if it
# answers there, the same second observation from the lightest mode.
proc stlink_diag_reset_core_unreadable {factsVar} {
	upvar $factsVar facts
	global stlink_diag_reset_line
	set ev {}
	set n [stlink_diag_nrst_low "to read the core under reset"]
	stlink_probe enter swd
	set fam [stlink_diag_reset_identify facts ev]
	if {![dict exists $facts reset.cpuid]} {
		stlink_diag_nrst_release
		return [stlink_diag_layer reset skipped reset.no_core \
			"the core cannot be read under reset either: not a low-power mode of the application (see the debug layer)" $ev]
	}
	if {$fam ne ""} {
		stlink_diag_reset_lowpower_test facts ev $fam {baseline sleep stop standby} none
	} else {
		stlink_diag_nrst_release
		dict set facts reset.after_release unknown
		dict set facts reset.release_note "the part's DBGMCU_CR is unknown"
	}
	lappend ev after_release [dict get $facts reset.after_release]
	return [stlink_diag_layer reset ok reset.answers_under_reset \
		"NRST works: the core answers under reset; after release: [dict get $facts reset.release_note]" $ev \
		$stlink_diag_reset_line]
}

proc stlink_diag_layer_reset {factsVar} {
	upvar $factsVar facts
	global stlink_diag_reset_line
	set checks "the NRST test, connect under reset and the software reset test"
	if {[dict get $facts opt.passive]} {
		dict set facts reset.cur_note "connect under reset was not tried (-passive): if NRST is wired, run without -passive to tell an application that takes the SWD pins or sleeps from wiring"
		return [stlink_diag_layer reset skipped reset.passive \
			"-passive: skipped $checks (each resets the target)"]
	}
	if {[dict get [stlink_probe state] state] ne "own"} {
		dict set facts reset.cur_note "connect under reset was not tried after init: run stlink_diag before init"
		return [stlink_diag_layer reset skipped reset.live_session \
			"not checked after init: $checks would reset the target under OpenOCD's session; run stlink_diag before init"]
	}
	stlink_diag_wait_reset
	if {[stlink_diag_get $facts dp.dpidr] eq ""} {
		return [stlink_diag_reset_no_link facts]
	}
	if {[stlink_diag_get $facts core.cpuid] eq ""} {
		return [stlink_diag_reset_core_unreadable facts]
	}
	set ev {}
	# the NRST test: S_RESET_ST is sticky (cleared by a read), so one read
	# clears it, then with NRST held low a second read must show it
	set before [stlink_diag_dhcsr]
	set was_halted [expr {[stlink_diag_bit dhcsr $before S_HALT] eq "1"}]
	lappend ev dhcsr_before $before
	set n [stlink_diag_nrst_low "to test the reset line"]
	set held [stlink_diag_dhcsr]
	set e [stlink_probe enter swd]
	stlink_diag_nrst_release
	set after [stlink_diag_dhcsr]
	lappend ev nrst_low "[dict get $n status] [dict get $n status_name]" dhcsr_nrst_low $held \
		connect_under_reset "[dict get $e status] [dict get $e status_name]" dhcsr_after_release $after
	set nrst_ok [expr {[stlink_diag_bit dhcsr $held S_RESET_ST] eq "1"}]
	dict set facts reset.nrst_wired $nrst_ok

	# software reset: SYSRESETREQ, then VECTRESET where the architecture has
	# it (ARMv7-M only: ARMv7-M ARM DDI0403E B3.2.6; not in v6-M or v8-M)
	set sw {}
	set resets {SYSRESETREQ 0x05FA0004}
	if {[stlink_diag_get $facts core.profile] eq "v7-M"} {
		lappend resets VECTRESET 0x05FA0001
	}
	foreach {name value} $resets {
		stlink_diag_dhcsr
		stlink_diag_announce "resetting the target: $name through AIRCR"
		set w [stlink_diag_counted write32 0xE000ED0C $value]
		set d [stlink_diag_dhcsr]
		set works [expr {[dict get $w ok] && [stlink_diag_bit dhcsr $d S_RESET_ST] eq "1"}]
		lappend sw $name [expr {$works ? "works" : "no effect"}]
		lappend ev [string tolower $name] "[dict get $w status] [dict get $w status_name], DHCSR $d"
	}
	if {$was_halted} {
		stlink_diag_announce "halting the core again, as it was before the resets"
		stlink_probe write32 0xE000EDF0 0xA05F0003
	}
	set sw_text [join [lmap {k v} $sw {string cat "$k $v"}] ", "]
	if {!$nrst_ok} {
		return [stlink_diag_layer reset warn reset.nrst_unwired \
			"NRST does not reach the target: with NRST driven low DHCSR.S_RESET_ST stayed clear, so connect under reset ($stlink_diag_reset_line) can never work with this wiring; software reset: $sw_text" \
			$ev "wire the target's NRST to the ST-LINK's NRST pin (T_NRST, pin 15 of the 20-pin header); until then use the software reset (reset_config none)"]
	}
	if {"no effect" in $sw} {
		return [stlink_diag_layer reset warn reset.sw_reset_broken \
			"NRST works but a software reset does not: $sw_text" $ev \
			"use the NRST line: reset_config srst_only srst_nogate"]
	}
	return [stlink_diag_layer reset ok reset.ok "NRST is wired and resets the core; software reset: $sw_text" $ev]
}
