# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag layer "firmware": the core's state as the application left it,
# read without halting. Compiled into OpenOCD (startup_tcl.inc).

# The family's DBGMCU_CR and watchdog facts come from C (stlink_probe stm32
# family); with the part unknown, the family typical of the core profile.
set stlink_diag_firmware_profile_family {v6-M G0 v7-M F4 v8-M U5}

proc stlink_diag_firmware_family {factsVar} {
	upvar $factsVar facts
	global stlink_diag_firmware_profile_family
	set d [stlink_diag_family_data facts]
	if {$d ne ""} {
		return $d
	}
	set fam [stlink_diag_get $stlink_diag_firmware_profile_family [stlink_diag_get $facts core.profile]]
	if {$fam eq ""} {
		return {}
	}
	return [stlink_probe stm32 family $fam]
}

# Lockup without halting: S_LOCKUP may read 0 while C_DEBUGEN is 0 (Arm's
# texts disagree), so set C_DEBUGEN (which does not halt the core), read
# DHCSR, and clear C_DEBUGEN again if it was clear. Not with -passive, not
# under OpenOCD's session. Returns the DHCSR read with C_DEBUGEN set, or "".
proc stlink_diag_firmware_debugen_dhcsr {factsVar evVar dhcsr} {
	upvar $factsVar facts $evVar ev
	if {$dhcsr eq "" || [stlink_diag_bit dhcsr $dhcsr C_DEBUGEN] eq "1"} {
		return $dhcsr
	}
	if {[dict get $facts opt.passive] || [dict get [stlink_probe state] state] ne "own"} {
		lappend ev lockup_check "S_LOCKUP read with C_DEBUGEN=0 only (unknown on some cores); C_DEBUGEN not set: [expr {[dict get $facts opt.passive] ? "-passive" : "OpenOCD's session"}]"
		dict set facts firmware.lockup_check_weak "[expr {[dict get $facts opt.passive] ? "-passive" : "OpenOCD's session"}]"
		return ""
	}
	stlink_diag_announce "enabling halting debug (DHCSR.C_DEBUGEN, no halt) to read S_LOCKUP; cleared again afterwards"
	stlink_probe write32 0xE000EDF0 0xA05F0001
	set d [stlink_diag_dhcsr]
	stlink_probe write32 0xE000EDF0 0xA05F0000
	lappend ev dhcsr_debugen $d
	return $d
}

# The RCC reset flags (read only; stlink_diag never clears them): the names
# of the flags set, or {} when unknown.
proc stlink_diag_firmware_reset_flags {fam evVar} {
	upvar $evVar ev
	if {$fam eq "" || [dict get $fam rcc_flags_reg] == 0} {
		return {}
	}
	set v [stlink_diag_read [dict get $fam rcc_flags_reg]]
	if {$v eq ""} {
		lappend ev rcc_reset_flags "unreadable at [dict get $fam rcc_flags_reg]"
		return {}
	}
	set set {}
	foreach {name bit} [dict get $fam rcc_flags] {
		if {($v >> $bit) & 1} {
			lappend set $name
		}
	}
	lappend ev rcc_reset_flags "$v at [dict get $fam rcc_flags_reg]: [expr {[llength $set] ? [join $set ,] : "none"}]"
	return $set
}

# What the reset flags say, and the fix for a watchdog: the option bit that
# starts it in hardware and the debug freeze bit.
proc stlink_diag_firmware_reset_cause {fam flags evVar} {
	upvar $evVar ev
	if {"IWDG" in $flags || "WWDG" in $flags} {
		set cause "RCC reset flags [join $flags ,]: a watchdog"
	} elseif {"SFT" in $flags} {
		# the power-on flags stay beside it until cleared: the software
		# reset is the one that can recur
		set cause "RCC reset flags [join $flags ,]: a software reset among them"
	} elseif {"BOR" in $flags || "POR" in $flags || "PWR" in $flags} {
		set cause "RCC reset flags [join $flags ,]: a power-on/brown-out reset"
	} elseif {[llength $flags]} {
		set cause "RCC reset flags [join $flags ,]"
	} else {
		set cause "S_RESET_ST between DHCSR samples; no RCC reset flags read"
	}
	set fix "refresh the watchdog in the application, or freeze it while the core is halted"
	if {$fam ne "" && [dict get $fam wdg_freeze_reg] != 0} {
		append fix ": mmw [format 0x%08X [dict get $fam wdg_freeze_reg]] [format 0x%x [expr {1 << [dict get $fam wdg_freeze_bit]}]] 0 (DBG_IWDG_STOP)"
	}
	if {$fam ne "" && [dict get $fam wdg_opt_reg] != 0} {
		set o [stlink_diag_read [dict get $fam wdg_opt_reg]]
		if {$o ne ""} {
			set hw [expr {!(($o >> [dict get $fam wdg_opt_bit]) & 1)}]
			lappend ev watchdog_option "[dict get $fam wdg_opt_reg] = $o: bit [dict get $fam wdg_opt_bit] = [expr {!$hw}] ([expr {$hw ? "hardware watchdog: it starts at power-on" : "software watchdog"}])"
			if {$hw} {
				append fix "; the option bytes start the IWDG in hardware (bit [dict get $fam wdg_opt_bit] of [dict get $fam wdg_opt_reg] = 0), so only the application or the freeze bit can stop the resets"
			}
		}
	}
	return [list $cause $fix]
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
	set was_halted [expr {[stlink_diag_bit dhcsr $dhcsr S_HALT] eq "1"}]
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

# Brown-out resets recur at the rate of the supply's dips, which may be
# slower than the diagnosis is long. When the supply reads near the part's
# minimum (within stlink_diag_near_min_volts, power.tcl) and no reset was
# seen yet, wait once and read DHCSR again: a reset anywhere in the wait
# sets S_RESET_ST. The wait catches resets recurring at 5 Hz or faster; it
# halts and resets nothing, and a healthy target at a normal supply never
# pays it (issue 13 §5: at most 300 ms of deliberate waits per run; the
# reset layer's waits happen only when the core is unreadable, and then
# this layer does not run). Returns the number of DHCSR reads that count
# (0 or 1: the last one, when it succeeded).
set stlink_diag_firmware_reset_wait_ms 200
set stlink_diag_firmware_retry_ms 5

proc stlink_diag_firmware_reset_wait {factsVar evVar seenVar} {
	upvar $factsVar facts $evVar ev $seenVar seen
	global stlink_diag_firmware_reset_wait_ms stlink_diag_firmware_retry_ms stlink_diag_near_min_volts
	set volts [stlink_diag_get $facts target.voltage]
	if {$volts eq "" || [dict get [stlink_probe state] state] ne "own"} {
		return 0
	}
	lassign [stlink_diag_part_vdd $facts] vmin
	# below 1 V with a working link the reading is an unwired VAPP/T_VCC
	# sense pin, which says nothing about the supply: no wait
	if {$volts >= $vmin + $stlink_diag_near_min_volts || $volts < $::stlink_diag_no_supply_volts} {
		return 0
	}
	sleep $stlink_diag_firmware_reset_wait_ms
	set d [stlink_diag_dhcsr]
	set n 1
	# a read inside a reset's temporization may fail, and a power-down
	# reset resets the debug port too (its CTRL/STAT power-up request is
	# gone until a debugger asks again: ADIv5 CTRL/STAT CDBGPWRUPREQ): retry,
	# bounded, each time after a new connect (ENTER: line reset and
	# power-up, one round trip)
	while {$d eq "" && $n < 3} {
		sleep $stlink_diag_firmware_retry_ms
		stlink_probe enter swd
		set d [stlink_diag_dhcsr]
		incr n
	}
	set reset [expr {[stlink_diag_bit dhcsr $d S_RESET_ST] eq "1"}]
	lappend ev reset_wait "$volts V is within $stlink_diag_near_min_volts V of the minimum $vmin V: DHCSR after a $stlink_diag_firmware_reset_wait_ms ms wait [expr {$d eq "" ? "unreadable" : $d}] ([expr {$reset ? "reset during the wait" : "no reset"}])"
	if {$reset} {
		incr seen
	}
	# the reads that count: one that succeeded (a failed one showed nothing)
	return [expr {$d ne ""}]
}

proc stlink_diag_firmware_resets_seen {ev seen nreads cause fix} {
	return [stlink_diag_layer firmware fail firmware.resets_seen \
		"the target reset by itself during the session ($seen of $nreads DHCSR reads showed S_RESET_ST; $cause)" $ev \
		"$fix; check the supply"]
}

proc stlink_diag_layer_firmware {factsVar} {
	upvar $factsVar facts
	global stlink_diag_firmware_retry_ms
	stlink_diag_wait_reset
	set ev {}
	# S_RESET_ST and S_RETIRE_ST clear on read (ARMv7-M ARM DDI0403E
	# C1.6.2): a read shows whether the core was reset since the read
	# before it. Only a read that succeeded is known to have cleared them
	# (a transfer lost on the wire may never have reached the DP), so a
	# sample counts only after an earlier successful DHCSR read: the debug
	# layer's (core.dhcsr; the layers since then only read memory, the
	# reset layer runs last, stlink_diag_exec_order) or one of these.
	# Before that, S_RESET_ST may still be the power-on reset's.
	set samples {}
	set pcs {}
	set reset_seen 0
	set held 0
	set cleared [expr {[stlink_diag_get $facts core.dhcsr] ne ""}]
	set counted 0
	# four samples, two commands apart: a reset anywhere in the six
	# commands after the first sample shows in a later one
	set nsamples 4
	for {set i 0} {$i < $nsamples} {incr i} {
		set d [stlink_diag_dhcsr]
		lappend samples $d
		if {$d ne "" && $cleared} {
			incr counted
			if {[stlink_diag_bit dhcsr $d S_RESET_ST] eq "1"} {
				incr reset_seen
			}
		}
		if {$d ne ""} {
			set cleared 1
		}
		set p [stlink_diag_counted read32 0xE000101C]
		if {[dict get $p ok]} {
			lappend pcs [dict get $p value]
		}
	}
	# no PCSR (optional on ARMv6-M: reads as zero): a brief announced halt
	set pcs [lsearch -all -inline -not -exact $pcs 0x00000000]
	set pc_how "on every DWT PCSR sample"
	set pcsr_trusted 1
	if {[llength $pcs] && [lsearch -exact -not $pcs 0xffffffff] < 0} {
		# all ones: lockup or Debug state, but UNKNOWN while DEMCR.TRCENA = 0
		# (ARMv7-M ARM DDI0403E C1.8.5): then PCSR says nothing
		set demcr [stlink_diag_read 0xE000EDFC]
		if {$demcr eq "" || !(($demcr >> 24) & 1)} {
			lappend ev pcsr_samples "[join $pcs " "] with DEMCR [expr {$demcr eq "" ? "unreadable" : $demcr}] (TRCENA 0: UNKNOWN, not used)"
			set pcs {}
			set pcsr_trusted 0
		}
	}
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
		# one retry: a reset in progress (a brown-out's reset temporization
		# lasts a few milliseconds) makes a single read fail
		sleep $stlink_diag_firmware_retry_ms
		set last [stlink_diag_dhcsr]
		lappend ev dhcsr_retry "[expr {$last eq "" ? "unreadable" : $last}] after $stlink_diag_firmware_retry_ms ms"
		if {$last ne "" && $cleared} {
			incr counted
			if {[stlink_diag_bit dhcsr $last S_RESET_ST] eq "1"} {
				incr reset_seen
			}
		}
		lset samples end $last
	}
	set unread_note "DHCSR unreadable afterwards"
	if {$last eq "" && !$reset_seen && $cleared} {
		# every sample lost: near the minimum that may be the part in the
		# reset of a supply dip; the bounded wait reads once more
		if {[stlink_diag_firmware_reset_wait facts ev reset_seen]} {
			incr counted
			set unread_note "the samples before the wait unreadable"
		}
	}
	if {$last eq "" && $reset_seen} {
		# resets seen, then DHCSR unreadable: a reset in progress, not a
		# core of unknown state
		set fam [stlink_diag_firmware_family facts]
		set flags [stlink_diag_firmware_reset_flags $fam ev]
		dict set facts firmware.reset_flags $flags
		lassign [stlink_diag_firmware_reset_cause $fam $flags ev] cause fix
		dict set facts firmware.reset_cause $cause
		dict set facts firmware.watchdog_fix $fix
		return [stlink_diag_firmware_resets_seen $ev $reset_seen $counted \
			"$cause; $unread_note" $fix]
	}
	if {$last eq ""} {
		return [stlink_diag_layer firmware warn firmware.dhcsr_unreadable "DHCSR could not be read: the core's state is unknown" $ev \
			"connect under reset: reset_config srst_only srst_nogate connect_assert_srst"]
	}
	set s2 [lindex $samples 1]
	if {[stlink_diag_bit dhcsr $s2 S_RESET_ST] eq "1" && [stlink_diag_bit dhcsr $last S_RESET_ST] eq "1" \
		&& [stlink_diag_bit dhcsr $last S_RETIRE_ST] eq "0"} {
		set held 1
	}
	# the HardFault vectors, read only when the PC stood still: vector 3 of
	# the table in use (VTOR, ARMv7-M ARM DDI0403E B3.2.5), of the boot alias
	# at 0 and of user flash (F7/H7 boot from BOOT_ADDx, not 0, and VTOR may
	# still read 0 there until the application sets it)
	set vectors {}
	# (not `lsort -unique`: libjim 0.81 reads one element past the list there, valgrind shows it)
	set pc_still [expr {[llength $pcs] >= 2}]
	foreach p $pcs {
		if {$p ne [lindex $pcs 0]} {
			set pc_still 0
		}
	}
	if {$pc_still && [lindex $pcs 0] ne "0xffffffff"} {
		set vectors [stlink_diag_firmware_hardfault_vectors $facts]
	}
	set fam [stlink_diag_firmware_family facts]
	set cr ""
	set cr_addr ""
	set cr_bits 0
	if {$fam ne ""} {
		set cr_addr [dict get $fam dbgmcu_cr]
		set cr_bits [expr {[dict get $fam dbg_bits] & 0x7}]
		set cr [stlink_diag_read $cr_addr]
		lappend ev family [dict get $fam family] dbgmcu_cr "[expr {$cr eq "" ? "unreadable" : $cr}] at $cr_addr"
	}
	set set_bits [expr {$cr_addr eq "" ? "" : "mww [format 0x%08X $cr_addr] [format 0x%x $cr_bits]"}]
	if {$held} {
		return [stlink_diag_layer firmware fail firmware.held_in_reset \
			"the core is held in reset: S_RESET_ST on consecutive DHCSR reads" $ev \
			"release NRST (check for a supervisor chip, a button or a capacitor holding it low)"]
	}
	set lock [stlink_diag_firmware_debugen_dhcsr facts ev $last]
	set locked [expr {[stlink_diag_bit dhcsr $last S_LOCKUP] eq "1" || [stlink_diag_bit dhcsr $lock S_LOCKUP] eq "1"}]
	set lock_how "DHCSR.S_LOCKUP"
	if {!$locked && $pcsr_trusted && [llength $pcs] >= 2 && [lsearch -exact -not $pcs 0xffffffff] < 0 \
		&& [stlink_diag_bit dhcsr $last S_HALT] eq "0"} {
		# PCSR reads all ones outside Debug state only when the core retires
		# nothing (ARMv7-M ARM DDI0403E C1.8.5)
		set locked 1
		set lock_how "every PCSR sample 0xFFFFFFFF"
		lappend ev pcsr_all_ones "every PCSR sample 0xFFFFFFFF while not halted"
	}

	# the exception the core executes now (ICSR.VECTACTIVE, read without
	# halting, SILICON.md D6): a fault handler it stays in is a crash
	lassign [stlink_diag_firmware_exception ev] exc exc_fault
	if {!$locked && $exc_fault && [stlink_diag_firmware_not_retiring $samples] \
		&& [dict get [stlink_probe state] state] eq "own"} {
		# no instruction retired between any two samples, in a fault
		# handler, neither halted nor asleep: what a lockup looks like when
		# S_LOCKUP cannot be trusted (C_DEBUGEN clear) and no PC was sampled.
		# Only before init: OpenOCD's own DHCSR polls clear S_RETIRE_ST
		set locked 1
		set lock_how "no instruction retired between DHCSR reads, in the $exc handler"
		lappend ev lockup_sign "S_RETIRE_ST 0 on every DHCSR sample after the first, neither halted nor sleeping, in the $exc handler"
	}
	if {!$locked && [dict exists $facts firmware.lockup_check_weak] && ![llength $pcs]} {
		# nothing showed the core retiring instructions: a lockup stays open
		dict set facts firmware.lockup_unknown "lockup not ruled out ([dict get $facts firmware.lockup_check_weak]): S_LOCKUP may read 0 while C_DEBUGEN is 0 and no PC sample was possible; run without -passive (before init), or halt and look at the PC (0xFFFFFFFE/0xEFFFFFFE = lockup)"
	}
	if {$locked} {
		stlink_diag_firmware_faults facts ev
		return [stlink_diag_layer firmware fail firmware.lockup \
			"the core is locked up ($lock_how): a fault inside a fault handler, or a bad vector table or stack pointer" $ev \
			"reset halt, then check the vector table (SP and reset vector) and single-step from reset; a HardFault handler that faults again locks the core"]
	}
	set nreads $counted
	if {!$reset_seen} {
		incr nreads [stlink_diag_firmware_reset_wait facts ev reset_seen]
	}
	# the RCC reset flags (read only): what reset the part before and during the session
	set flags [stlink_diag_firmware_reset_flags $fam ev]
	dict set facts firmware.reset_flags $flags
	if {$reset_seen || "IWDG" in $flags || "WWDG" in $flags} {
		lassign [stlink_diag_firmware_reset_cause $fam $flags ev] cause fix
		dict set facts firmware.reset_cause $cause
		dict set facts firmware.watchdog_fix $fix
	}
	if {$reset_seen} {
		return [stlink_diag_firmware_resets_seen $ev $reset_seen $nreads $cause $fix]
	}
	if {"IWDG" in $flags || "WWDG" in $flags} {
		# a watchdog period is longer than a diagnosis may wait: its flag is
		# the observation (flags stay set until cleared, see the summary)
		return [stlink_diag_layer firmware fail firmware.watchdog_flag \
			"the RCC reset flags show a watchdog reset ($cause); the flags stay set until RMVF clears them, so if the target does not reset any more, an old reset left them" $ev \
			"$fix"]
	}
	# a constant PC that is the HardFault handler: the application crashed
	if {[llength $vectors]} {
		set pc [lindex $pcs 0]
		lappend ev hardfault_vector [join [lmap {table vec} $vectors {string cat "$vec (table at $table)"}] ", "]
		if {[llength [lmap {table vec} $vectors {expr {($pc & ~1) == ($vec & ~1) ? 1 : [continue]}}]]} {
			return [stlink_diag_layer firmware fail firmware.hardfault \
				"the application spins in its HardFault handler (PC $pc $pc_how)" $ev \
				"halt and read the fault status registers (CFSR 0xE000ED28, HFSR 0xE000ED2C) and the stacked PC to find the crash"]
		}
	}
	# still in the fault handler on a second read: it does not return
	if {$exc_fault && [stlink_diag_bit dhcsr $last S_HALT] ne "1"} {
		lassign [stlink_diag_firmware_exception ev icsr_again] exc2 fault2
		if {$fault2} {
			return [stlink_diag_layer firmware fail firmware.hardfault \
				"the application stays in its $exc handler (ICSR.VECTACTIVE on two reads[expr {$exc2 ne $exc ? ", then $exc2" : ""}]): it crashed and does not return" $ev \
				"halt and read the fault status registers (CFSR 0xE000ED28, HFSR 0xE000ED2C) and the stacked PC to find the crash"]
		}
	}
	if {[stlink_diag_bit dhcsr $last S_SLEEP] eq "1"} {
		# the core was readable while asleep: the debugger's clock stays on
		if {$cr ne "" && ($cr & $cr_bits) == $cr_bits} {
			return [stlink_diag_layer firmware ok firmware.sleeping \
				"the core is sleeping (DHCSR.S_SLEEP) and DBGMCU_CR keeps debug alive in low-power modes" $ev]
		}
		return [stlink_diag_layer firmware ok firmware.sleeping \
			"the core is sleeping (DHCSR.S_SLEEP) and stays readable; the DBGMCU_CR low-power debug bits are clear (if the application enters STOP/STANDBY: $set_bits)" $ev]
	}
	set state [expr {[stlink_diag_bit dhcsr $last S_HALT] eq "1" ? "halted" : "running"}]
	dict set facts core.state $state
	if {$cr ne "" && $cr_bits && ($cr & $cr_bits) != $cr_bits} {
		set state "$state; the DBGMCU_CR low-power debug bits are clear (if the application sleeps: $set_bits)"
	}
	return [stlink_diag_layer firmware ok firmware.ok "the core is $state" $ev]
}

# ICSR.VECTACTIVE: {exception-name fault(0|1)}, recorded in evidence KEY;
# {"" 0} when ICSR could not be read.
proc stlink_diag_firmware_exception {evVar {key icsr}} {
	upvar $evVar ev
	set icsr [stlink_diag_read 0xE000ED04]
	if {$icsr eq ""} {
		return {"" 0}
	}
	set x [stlink_probe decode icsr $icsr]
	lappend ev $key "$icsr (VECTACTIVE [dict get $x vectactive]: [dict get $x exception])"
	return [list [dict get $x exception] [dict get $x fault]]
}

# 1 when the DHCSR samples after the first (each covers the time since the
# read before it) all show a core that retired nothing (S_RETIRE_ST 0)
# while neither halted, asleep nor reset; at least two such samples.
proc stlink_diag_firmware_not_retiring {samples} {
	set n 0
	foreach d [lrange $samples 1 end] {
		if {$d eq ""} {
			return 0
		}
		foreach {bit want} {S_RETIRE_ST 0 S_HALT 0 S_SLEEP 0 S_RESET_ST 0} {
			if {[stlink_diag_bit dhcsr $d $bit] ne $want} {
				return 0
			}
		}
		incr n
	}
	return [expr {$n >= 2}]
}

# The HardFault vector (word 3) of each vector table the core may use:
# VTOR's, the boot alias at 0 and user flash's; {table vector ...}, each
# table once, unreadable ones left out.
proc stlink_diag_firmware_hardfault_vectors {facts} {
	set tables {}
	set vtor [stlink_diag_read 0xE000ED08]
	if {$vtor ne ""} {
		lappend tables [format 0x%08x [expr {$vtor & ~0x7f}]]
	}
	lappend tables 0x00000000
	set fb [stlink_diag_get [stlink_diag_get $facts mcu_part] flash_base ""]
	if {$fb ne ""} {
		lappend tables [format 0x%08x $fb]
	}
	set out {}
	set seen {}
	foreach t $tables {
		if {$t in $seen} {
			continue
		}
		lappend seen $t
		set v [stlink_diag_read [expr {$t + 0xC}]]
		if {$v ne ""} {
			lappend out $t $v
		}
	}
	return $out
}

# The fault status registers, read without halting (ARMv7-M/v8-M mainline
# only: ARMv6-M has no CFSR/HFSR, CMSIS core_cm0.h): CFSR, HFSR, and MMFAR /
# BFAR when their VALID bits say they hold an address.
proc stlink_diag_firmware_faults {factsVar evVar} {
	upvar $factsVar facts $evVar ev
	if {[stlink_diag_get $facts core.profile] eq "v6-M"} {
		return
	}
	set cfsr [stlink_diag_read 0xE000ED28]
	set hfsr [stlink_diag_read 0xE000ED2C]
	if {$cfsr eq "" || $hfsr eq ""} {
		return
	}
	lappend ev cfsr $cfsr hfsr $hfsr
	if {($cfsr >> 7) & 1} {
		lappend ev mmfar [stlink_diag_read 0xE000ED34]
	}
	if {($cfsr >> 15) & 1} {
		lappend ev bfar [stlink_diag_read 0xE000ED38]
	}
}
