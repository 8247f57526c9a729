# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag layer "reset": NRST wiring, connect under reset, software reset.
# Compiled into OpenOCD (startup_tcl.inc). Every reset is announced before it
# happens, and none happens with -passive.

set stlink_diag_reset_line "reset_config srst_only srst_nogate connect_assert_srst"

# An Info line before any command that resets or halts the target.
proc stlink_diag_announce {what} {
	echo "Info : stlink_diag: $what"
}

proc stlink_diag_dhcsr {} {
	set h [stlink_diag_counted read32 0xE000EDF0]
	if {![dict get $h ok]} {
		return ""
	}
	return [dict get $h value]
}

# Connect under reset: hold NRST low, enter SWD, read the DPIDR, release.
# Cached in the facts: the wire layer asks when nothing answers normally.
proc stlink_diag_reset_under_reset {factsVar} {
	upvar $factsVar facts
	if {[dict exists $facts reset.under_reset]} {
		return [dict get $facts reset.under_reset]
	}
	stlink_diag_announce "resetting the target: holding NRST low to try a connect under reset"
	set n [stlink_probe nrst low]
	set e [stlink_probe enter swd]
	set ok [dict get $e ok]
	set r [dict create ok 0 nrst "[dict get $n status] [dict get $n status_name]" \
		enter "[dict get $e status] [dict get $e status_name]"]
	if {$ok} {
		set id [stlink_probe idcode]
		if {[dict get $id ok]} {
			dict set r ok 1
			dict set r dpidr [dict get $id dpidr]
		}
	}
	stlink_diag_announce "releasing NRST"
	stlink_probe nrst high
	dict set facts reset.under_reset $r
	return $r
}

proc stlink_diag_layer_reset {factsVar} {
	upvar $factsVar facts
	global stlink_diag_reset_line
	set checks "the NRST test, connect under reset and the software reset test"
	if {[dict get $facts opt.passive]} {
		return [stlink_diag_layer reset skipped reset.passive \
			"-passive: skipped $checks (each resets the target)"]
	}
	if {[dict get [stlink_probe state] state] ne "own"} {
		return [stlink_diag_layer reset skipped reset.live_session \
			"not checked after init: $checks would reset the target under OpenOCD's session; run stlink_diag before init"]
	}
	set wire [stlink_diag_get $facts wire_record]
	stlink_diag_wait_reset
	set ev {}
	if {[stlink_diag_get $wire status] eq "fail"} {
		set u [stlink_diag_reset_under_reset facts]
		lappend ev under_reset_nrst [dict get $u nrst] under_reset_enter [dict get $u enter]
		if {[dict get $u ok]} {
			lappend ev under_reset_dpidr [dict get $u dpidr]
			return [stlink_diag_layer reset ok reset.connect_under_reset \
				"the target answers under reset but not normally: NRST works; connect under reset" $ev \
				$stlink_diag_reset_line]
		}
		return [stlink_diag_layer reset skipped reset.no_link \
			"the target does not answer under reset either: NRST may not be wired, or the cause is the wiring or power (see the wire layer); the NRST and software reset tests need a working link" $ev]
	}

	if {[stlink_diag_get $facts core_unreadable 0]} {
		return [stlink_diag_layer reset skipped reset.no_core \
			"not checked: the core's registers cannot be read (see the debug layer), and $checks read DHCSR" $ev]
	}

	# the NRST test: S_RESET_ST is sticky (cleared by a read), so one read
	# clears it, then with NRST held low a second read must show it
	set before [stlink_diag_dhcsr]
	set was_halted [expr {$before ne "" && ($before & (1 << 17))}]
	lappend ev dhcsr_before $before
	stlink_diag_announce "resetting the target: asserting NRST to test the reset line"
	set n [stlink_probe nrst low]
	set held [stlink_diag_dhcsr]
	set e [stlink_probe enter swd]
	stlink_diag_announce "releasing NRST"
	stlink_probe nrst high
	set after [stlink_diag_dhcsr]
	lappend ev nrst_low "[dict get $n status] [dict get $n status_name]" dhcsr_nrst_low $held \
		connect_under_reset "[dict get $e status] [dict get $e status_name]" dhcsr_after_release $after
	set nrst_ok [expr {$held ne "" && ($held & (1 << 25))}]
	dict set facts reset.nrst_wired $nrst_ok

	# software reset: SYSRESETREQ, then VECTRESET where the core has it (v7-M)
	set sw {}
	set resets {SYSRESETREQ 0x05FA0004}
	if {[stlink_diag_get $facts core.name] in {Cortex-M3 Cortex-M4 Cortex-M7}} {
		lappend resets VECTRESET 0x05FA0001
	}
	foreach {name value} $resets {
		stlink_diag_dhcsr
		stlink_diag_announce "resetting the target: $name through AIRCR"
		set w [stlink_diag_counted write32 0xE000ED0C $value]
		set d [stlink_diag_dhcsr]
		set works [expr {[dict get $w ok] && $d ne "" && ($d & (1 << 25))}]
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
