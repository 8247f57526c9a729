# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag layer "firmware": the core's state as the application left it,
# read without halting. Compiled into OpenOCD (startup_tcl.inc).

# DBGMCU_CR per family (stm32-families.md §6): address and the low-power
# debug bits that exist there. The one place for this fact.
set stlink_diag_dbgmcu_cr {
	F1   {0xE0042004 0x7}
	F2   {0xE0042004 0x7}
	F3   {0xE0042004 0x7}
	F4   {0xE0042004 0x7}
	F7   {0xE0042004 0x7}
	G4   {0xE0042004 0x7}
	L1   {0xE0042004 0x7}
	L4   {0xE0042004 0x7}
	WB   {0xE0042004 0x7}
	WL   {0xE0042004 0x7}
	F0   {0x40015804 0x6}
	G0   {0x40015804 0x6}
	C0   {0x40015804 0x6}
	L0   {0x40015804 0x7}
	L5   {0xE0044004 0x6}
	U5   {0xE0044004 0x6}
	H5   {0xE0044004 0x6}
	H7   {0x5C001004 0x7}
}

# The family: from the MCU identification when a later check has set
# mcu.family (hook), else a guess from the core that picks the right
# DBGMCU_CR address for every row above.
proc stlink_diag_family_guess {facts} {
	set f [stlink_diag_get $facts mcu.family]
	if {$f ne ""} {
		return $f
	}
	switch -- [stlink_diag_get $facts core.name] {
		Cortex-M0 - Cortex-M0+ { return F0 }
		Cortex-M33 { return L5 }
		Cortex-M7 { return [expr {[stlink_diag_get $facts mcu.dev_id] in {0x450 0x480 0x483} ? "H7" : "F7"}] }
		default { return F4 }
	}
}

# The PC through a brief halt, for cores without DWT PCSR: halt, read PC
# (DCRSR/DCRDR), restore the run state. Not with -passive, not after init.
proc stlink_diag_firmware_halted_pc {factsVar evVar dhcsr} {
	upvar $factsVar facts $evVar ev
	if {[dict get $facts opt.passive]} {
		lappend ev pc "not sampled: DWT PCSR is not implemented and -passive forbids a halt"
		return {}
	}
	if {[dict get [stlink_probe state] state] ne "own" || $dhcsr eq ""} {
		lappend ev pc "not sampled: DWT PCSR is not implemented; no halt under OpenOCD's session"
		return {}
	}
	set was_halted [expr {($dhcsr >> 17) & 1}]
	if {!$was_halted} {
		stlink_diag_announce "halting the core briefly to read its PC (no DWT PCSR on this core)"
		stlink_probe write32 0xE000EDF0 0xA05F0003
	}
	stlink_probe write32 0xE000EDF4 0x0000000F
	set r [stlink_probe read32 0xE000EDF8]
	if {!$was_halted} {
		# resume with C_DEBUGEN as it was
		stlink_probe write32 0xE000EDF0 [format 0x%08x [expr {0xA05F0000 | ($dhcsr & 1)}]]
		stlink_diag_announce "resumed the core"
	}
	if {![dict get $r ok]} {
		lappend ev pc "read through a halt failed: [dict get $r status_name]"
		return {}
	}
	lappend ev pc_by_halt [dict get $r value]
	# two samples of the same halt: the HardFault comparison below needs a
	# PC that stands still, and a halted core's PC does
	return [list [dict get $r value] [dict get $r value]]
}

proc stlink_diag_layer_firmware {factsVar} {
	upvar $factsVar facts
	global stlink_diag_dbgmcu_cr
	stlink_diag_wait_reset
	set ev {}
	# S_RESET_ST and S_RETIRE_ST clear on read: the first read clears what
	# earlier checks left, later reads show what happened since
	set samples {}
	set pcs {}
	set reset_seen 0
	set held 0
	# four samples, two commands apart: a reset anywhere in the six
	# commands after the first sample shows in a later one
	set nsamples 4
	for {set i 0} {$i < $nsamples} {incr i} {
		set d [stlink_diag_dhcsr]
		lappend samples $d
		if {$d ne "" && $i > 0 && ($d & (1 << 25))} {
			incr reset_seen
		}
		set p [stlink_diag_counted read32 0xE000101C]
		if {[dict get $p ok]} {
			lappend pcs [dict get $p value]
		}
	}
	# no PCSR (optional on ARMv6-M: reads as zero): a brief announced halt
	set pcs [lsearch -all -inline -not -exact $pcs 0x00000000]
	set pc_how "on every DWT PCSR sample"
	if {[llength $pcs]} {
		lappend ev pcsr_samples [join $pcs " "]
	} else {
		set pcs [stlink_diag_firmware_halted_pc facts ev [lindex $samples end]]
		set pc_how "at a brief halt"
	}
	lappend ev dhcsr_samples [join $samples " "]
	if {[dict get [stlink_probe state] state] ne "own"} {
		# seen in the simulator: DHCSR reads stlink_diag did not send appear
		# between its samples after init and take the sticky bit first
		lappend ev reset_detection "after init other DHCSR readers can clear S_RESET_ST first: watchdog resets are seen reliably only before init"
	}
	set last [lindex $samples end]
	if {$last eq ""} {
		return [stlink_diag_layer firmware warn firmware.dhcsr_unreadable "DHCSR could not be read: the core's state is unknown" $ev \
			"connect under reset: reset_config srst_only srst_nogate connect_assert_srst"]
	}
	set s2 [lindex $samples 1]
	if {$s2 ne "" && ($s2 & (1 << 25)) && ($last & (1 << 25)) && !($last & (1 << 24))} {
		set held 1
	}
	# the HardFault vector, read only when the PC stood still (vector 3 at
	# the boot alias 0x0000000C)
	set v ""
	# (not `lsort -unique`: libjim 0.81 reads one element past the list there, valgrind shows it)
	set pc_still [expr {[llength $pcs] >= 2}]
	foreach p $pcs {
		if {$p ne [lindex $pcs 0]} {
			set pc_still 0
		}
	}
	if {$pc_still && [lindex $pcs 0] ne "0xffffffff"} {
		set v [stlink_diag_counted read32 0x0000000C]
	}
	set family [stlink_diag_family_guess $facts]
	lassign [dict get $stlink_diag_dbgmcu_cr $family] cr_addr cr_bits
	set c [stlink_diag_counted read32 $cr_addr]
	set cr [expr {[dict get $c ok] ? [dict get $c value] : ""}]
	lappend ev family $family dbgmcu_cr "[expr {$cr eq "" ? "unreadable" : $cr}] at $cr_addr"
	set set_bits "mww $cr_addr [format 0x%x $cr_bits]"

	if {$last & (1 << 19)} {
		return [stlink_diag_layer firmware fail firmware.lockup \
			"the core is locked up (DHCSR.S_LOCKUP): a fault inside a fault handler, or a bad vector table or stack pointer" $ev \
			"reset halt, then check the vector table (SP and reset vector) and single-step from reset; a HardFault handler that faults again locks the core"]
	}
	if {$held} {
		return [stlink_diag_layer firmware fail firmware.held_in_reset \
			"the core is held in reset: S_RESET_ST on consecutive DHCSR reads" $ev \
			"release NRST (check for a supervisor chip, a button or a capacitor holding it low)"]
	}
	if {$reset_seen} {
		return [stlink_diag_layer firmware fail firmware.watchdog_reset \
			"the target reset by itself during the session ($reset_seen of [expr {$nsamples - 1}] DHCSR samples showed S_RESET_ST again): a watchdog or a brown-out" $ev \
			"freeze the watchdogs while halted (DBGMCU APB1 freeze: IWDG_STOP/WWDG_STOP) or refresh them in the application; check the supply"]
	}
	# a constant PC that is the HardFault handler: the application crashed
	if {$v ne "" && [dict get $v ok]} {
		set pc [lindex $pcs 0]
		lappend ev hardfault_vector [dict get $v value]
		if {($pc & ~1) == ([dict get $v value] & ~1)} {
			return [stlink_diag_layer firmware fail firmware.hardfault \
				"the application spins in its HardFault handler (PC $pc $pc_how)" $ev \
				"halt and read the fault status registers (CFSR 0xE000ED28, HFSR 0xE000ED2C) and the stacked PC to find the crash"]
		}
	}
	if {$last & (1 << 18)} {
		if {$cr ne "" && ($cr & $cr_bits) == $cr_bits} {
			return [stlink_diag_layer firmware ok firmware.sleeping \
				"the core is sleeping (DHCSR.S_SLEEP) and DBGMCU_CR keeps debug alive in low-power modes" $ev]
		}
		return [stlink_diag_layer firmware warn firmware.sleep_no_dbg \
			"the core is sleeping (DHCSR.S_SLEEP) without the DBGMCU_CR low-power debug bits: the link drops in STOP/STANDBY" $ev \
			"$set_bits  (under reset, or early in the application: sets DBG_SLEEP/DBG_STOP/DBG_STANDBY)"]
	}
	set state [expr {($last & (1 << 17)) ? "halted" : "running"}]
	dict set facts core.state $state
	if {$cr ne "" && ($cr & $cr_bits) != $cr_bits} {
		set state "$state; the DBGMCU_CR low-power debug bits are clear (if the application sleeps: $set_bits)"
	}
	return [stlink_diag_layer firmware ok firmware.ok "the core is $state" $ev]
}
