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
	# kept for the layers that run with the core held at its reset vector
	dict set facts reset_identity [dict create facts $tmp evidence $iev]
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

# One DP (DPIDR) or AP (CPUID) sample after a release: 1 when it answered.
# On a flaky link a failure is asked again, up to 3 more times, 1, 2 and
# 4 ms apart: with the error rates of a missing ground (a few tenths per
# transfer, SILICON.md W4) four failures in a row are rare, and the 7 ms
# outlast the reset temporization of a supply dip (at most 2.6 ms, S2),
# while a DP that went silent fails them all.
proc stlink_diag_reset_confirm {what flaky} {
	for {set n 0} {$n < ($flaky ? 4 : 1)} {incr n} {
		if {$n} {
			sleep [expr {1 << ($n - 1)}]
		}
		if {$what eq "dp"} {
			set id [stlink_probe idcode]
			if {[dict get $id ok] && [dict get $id dpidr] ni {0x00000000 0xffffffff}} {
				return 1
			}
		} elseif {[dict get [stlink_diag_read_bounded 0xE000ED00] ok]} {
			return 1
		}
	}
	return 0
}

# After a release: sample the DP and the AP, timed with OpenOCD's [ms] from
# the release. Returns {lost_dp N lost_ap N samples N alive_ms T lost_ms T}:
# the index of the first failing sample (0 = none failed), the time of the
# last sample that still answered (0: the release itself), and of the
# failing one; the link was lost between the two. On a link the wire layer
# saw lose transfers (flaky 1), a failed read is a loss only when it fails
# again on every retry (stlink_diag_reset_confirm): one lost transfer is not
# the target going silent.
proc stlink_diag_reset_watch_release {{flaky 0}} {
	global stlink_diag_release_samples stlink_diag_release_gap_ms
	set t0 [ms]
	set lost_dp 0
	set lost_ap 0
	set alive_ms 0
	set lost_ms 0
	for {set i 1} {$i <= $stlink_diag_release_samples} {incr i} {
		if {![stlink_diag_reset_confirm dp $flaky]} {
			set lost_dp $i
		}
		if {!$lost_dp} {
			set c [stlink_diag_read_bounded 0xE000ED00]
			# a WAIT is the DP's answer (the AP is busy), not a lost transfer
			if {![dict get $c ok] && $flaky && [stlink_diag_get $c status_name] ni {SWD_AP_WAIT SWD_DP_WAIT}
				&& [stlink_diag_reset_confirm ap $flaky]} {
				set c {ok 1}
			}
			if {![dict get $c ok]} {
				# the pattern (DP silent, or only the AP lost) is a fact
				# the diagnosis reasons from. A WAIT is an acknowledge
				# from the DP (ADIv5 IHI 0031 §B4.2: OK, WAIT, FAULT);
				# anything else may be the DP going silent just after its
				# answer (which code a missing acknowledge gives is not
				# documented by ST), so ask the DP again
				if {[stlink_diag_get $c status_name] in {SWD_AP_WAIT SWD_DP_WAIT}} {
					set lost_ap $i
				} else {
					set id [stlink_probe idcode]
					if {[dict get $id ok] && [dict get $id dpidr] ni {0x00000000 0xffffffff}} {
						set lost_ap $i
					} else {
						set lost_dp $i
					}
				}
			}
		}
		set now [expr {[ms] - $t0}]
		if {$lost_dp || $lost_ap} {
			set lost_ms $now
			break
		}
		set alive_ms $now
		sleep $stlink_diag_release_gap_ms
	}
	return [dict create lost_dp $lost_dp lost_ap $lost_ap samples $stlink_diag_release_samples \
		alive_ms $alive_ms lost_ms $lost_ms]
}

# A watch result as text: what was lost, at which sample, after how long.
proc stlink_diag_reset_loss_text {w} {
	if {[dict get $w alive_ms] == 0 && [dict get $w lost_ms] == 0} {
		set when "within the first millisecond after release"
	} elseif {[dict get $w alive_ms] == 0} {
		set when "within [dict get $w lost_ms] ms after release"
	} else {
		set when "between [dict get $w alive_ms] and [dict get $w lost_ms] ms after release"
	}
	if {[dict get $w lost_dp]} {
		return "DP lost at sample [dict get $w lost_dp], $when"
	}
	if {[dict get $w lost_ap]} {
		return "AP lost at sample [dict get $w lost_ap] (the DP still answers), $when"
	}
	return "kept for [dict get $w samples] samples ([dict get $w alive_ms] ms)"
}

# DBGMCU_CR bit of each low-power mode (the family's dbg_bits says which
# exist): DBG_SLEEP b0, DBG_STOP b1, DBG_STANDBY b2 (RM0090 and RM0008,
# DBGMCU_CR; CMSIS DBGMCU_CR_DBG_SLEEP/STOP/STANDBY).
set stlink_diag_dbg_bit {sleep 0x1 stop 0x2 standby 0x4}
set stlink_diag_dbg_name {sleep DBG_SLEEP stop DBG_STOP standby DBG_STANDBY}

# Which causes can give each loss pattern, in the order to name them when
# more than one stays possible (the first is named, the others stay open):
# - DP silent: STOP or STANDBY (both seen: a STOP DP that answers in most
#   reports, RM0368 as quoted in mbed-os #3566 and BMP #386, but silent in
#   others; Standby powers the debug domain down, or keeps the DP), then
#   taken SWD pins (which never leave the DP answering);
# - DP answers, AP stalls or faults: STOP (the stall every STM32 shows
#   without DBG_STOP), Sleep (only where DBG_SLEEP gates the debugger's
#   HCLK: RM0385/RM0433 DBG_SLEEP text, reported on F429 in zephyr #115489;
#   Sleep stops no more than HCLK, so it never silences the DP), STANDBY.
# STOP comes first: applications enter it far more often than Standby
# (which loses RAM and restarts the application), and Standby is named
# first whenever its flag reads 1 (stlink_diag_reset_app_modes). The DP
# silent order puts the pins last: a DBGMCU_CR value with a mode's bit
# clear is evidence of that mode, nothing is evidence of the pins.
set stlink_diag_loss_causes {dp {stop standby pins} ap {stop sleep standby}}

# The application writes DBGMCU_CR itself: the bits set under reset were
# gone when DBGMCU_CR was read under reset after a release. DBGMCU_CR is
# reset only by a power-on reset, not by a system reset (RM0090 and RM0008,
# DBGMCU_CR: "asynchronously reset by a PORESET (and not a system reset)"),
# so only the application can have cleared them, before it lost the link.
# Setting a bit under reset then proves nothing; what is left:
# - its own value: a mode whose bit it sets keeps the debugger alive
#   there, so the candidates are the modes of this part whose bits it
#   leaves clear;
# - the loss pattern (stlink_diag_loss_causes);
# - the PWR standby flag, read under reset: it survives a system reset and
#   is cleared only by a power-on reset or CSBF (RM0090 §5.4.2 PWR_CSR.SBF;
#   PWR_SR1.SBF, PWR_CPUCR.SBF likewise), so 1 shows the part went into
#   Standby. A 0 proves nothing: the PWR clock is off after a reset on most
#   families and a read without its clock returns 0; it never rules
#   Standby out. SCB_SCR.SLEEPDEEP and the PWR mode bits are written in the
#   instructions just before the WFI (and reset under NRST), so no release
#   window shows them.
# Called with NRST low; `wrote` is the value set for the last test, `w` its
# watch result. Sets reset.app_dbgmcu_cr, reset.lowpower_others
# (the other candidates: sleep stop standby pins) and returns the
# after_release value: app_sleep, app_stop, app_standby, pins, or none.
proc stlink_diag_reset_app_modes {factsVar evVar fam app wrote w notesVar} {
	upvar $factsVar facts $evVar ev $notesVar notes
	global stlink_diag_dbg_bit stlink_diag_dbg_name stlink_diag_loss_causes
	set have [dict get $fam dbg_bits]
	set clear {}
	foreach {mode bit} $stlink_diag_dbg_bit {
		if {($have & $bit) && !($app & $bit)} {
			lappend clear $mode
		}
	}
	set names [lmap m $clear {dict get $stlink_diag_dbg_name $m}]
	set pattern [expr {[dict get $w lost_dp] ? "dp" : "ap"}]
	set cands {}
	foreach c [dict get $stlink_diag_loss_causes $pattern] {
		if {$c eq "pins" || $c in $clear} {
			lappend cands $c
		}
	}
	lappend notes "the application writes DBGMCU_CR itself (under reset after the release it read $app, not the $wrote written for the test), so a bit set under reset cannot last until it sleeps; its own value leaves [expr {[llength $names] ? [join $names {, }] : {no low-power debug bit}}] clear"
	lappend ev app_dbgmcu_cr "$app ([expr {[llength $names] ? "[join $names {, }] clear" : "every low-power debug bit set"}]); link [expr {$pattern eq "dp" ? "DP silent" : "DP answers, AP lost"}]"
	if {"standby" in $cands && [dict get $fam pwr_sbf_reg] != 0} {
		set sbf_reg [dict get $fam pwr_sbf_reg]
		set v [stlink_diag_read $sbf_reg]
		if {$v eq ""} {
			lappend ev pwr_sbf "[format 0x%08x $sbf_reg] unreadable under reset"
		} else {
			set sbf [expr {($v >> [dict get $fam pwr_sbf_bit]) & 1}]
			lappend ev pwr_sbf "[format 0x%08x $sbf_reg] = $v (SBF $sbf[expr {$sbf ? ": the part has been in Standby since its power-on" : ", not proof: the PWR clock may be off"}])"
			if {$sbf} {
				set cands [concat standby [lmap c $cands {expr {$c eq "standby" ? [continue] : $c}}]]
				lappend notes "the PWR standby flag reads 1: the part has been in Standby"
			}
		}
	}
	dict set facts reset.app_dbgmcu_cr $app
	if {![llength $cands]} {
		dict set facts reset.lowpower_others {}
		lappend notes "no mode whose bit the application leaves clear loses the link this way"
		return none
	}
	set mode [lindex $cands 0]
	dict set facts reset.lowpower_others [lrange $cands 1 end]
	return [expr {$mode eq "pins" ? "pins" : "app_$mode"}]
}

# DBGMCU_CR read back after a write under reset: the value read ("" when
# unreadable). On a flaky link a read that differs from what was written is
# taken for a write lost on the wire: written again, at most twice.
proc stlink_diag_reset_dbgmcu_verify {factsVar fam cr_addr value flaky} {
	upvar $factsVar facts
	for {set n 0} {1} {incr n} {
		set back [stlink_diag_read_verified_value $facts $cr_addr]
		if {!$flaky || $n >= 2 || ($back ne "" && $back == $value)} {
			return $back
		}
		stlink_probe dbgmcu_write [dict get $fam family] $value
	}
}

# The second observation for a target that answers only under reset (or
# whose core answers only under reset): with NRST low, set the DBGMCU_CR
# low-power debug bits one mode at a time, release, and watch whether the
# link survives. The first mode whose bit keeps it alive is the cause; if
# none does, the result is `none` (pins: the pins were taken). After every
# test that lost the link, DBGMCU_CR is read again under reset: if the bits
# just set are gone, the application writes DBGMCU_CR itself and the
# testing stops (stlink_diag_reset_app_modes). The old value is restored at
# the end. Called with NRST low; returns with NRST released. Sets
# reset.after_release. With hold 1, a test that ends under reset arms the
# vector catch there (stlink_diag_reset_arm_vector_catch).
proc stlink_diag_reset_lowpower_test {factsVar evVar fam modes none {hold 0}} {
	upvar $factsVar facts $evVar ev
	global stlink_diag_dbg_bit
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
	set bitof [dict merge {baseline 0} $stlink_diag_dbg_bit]
	set have [dict get $fam dbg_bits]
	set set_bits 0
	set notes {}
	set found $none
	set first 1
	set under 1
	set app ""
	set verified 0
	set flaky [stlink_diag_link_flaky $facts]
	foreach mode $modes {
		if {$mode ne "baseline" && !([dict get $bitof $mode] & $have)} {
			continue
		}
		set set_bits [expr {$set_bits | [dict get $bitof $mode]}]
		if {!$under} {
			stlink_diag_nrst_low "to set the next DBGMCU_CR bit"
			stlink_probe enter swd
		}
		set first 0
		set new [format 0x%08x [expr {$old | $set_bits}]]
		if {$mode ne "baseline"} {
			stlink_diag_announce "setting DBGMCU_CR ($cr_addr) to $new under reset (debug in [string toupper $mode] and lighter modes) to see whether the link survives; the old value $old is restored at the end"
			stlink_probe dbgmcu_write [dict get $fam family] $new
		}
		# the first write is read back before the release (it may not take
		# with the DBGMCU clock off); after that, the read after each
		# release shows what became of it. On a flaky link every write is
		# read back and written again when it was lost on the wire, or the
		# read after the release would blame the application for it
		set back ""
		set readback ""
		if {$mode ne "baseline" && (!$verified || $flaky)} {
			set back [stlink_diag_reset_dbgmcu_verify facts $fam $cr_addr $new $flaky]
			set readback " (read back [expr {$back eq "" ? "failed" : $back}])"
			set verified 1
		}
		stlink_diag_nrst_release
		set under 0
		set w [stlink_diag_reset_watch_release $flaky]
		set what [stlink_diag_reset_loss_text $w]
		lappend notes "with [format 0x%x $set_bits]: $what"
		if {$mode eq "baseline"} {
			lappend ev release_test "DBGMCU_CR unchanged ($old), after release: $what"
		} else {
			lappend ev dbgmcu_${mode}_test "wrote $new$readback, after release: $what"
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
		# lost: under reset again, was DBGMCU_CR rewritten after the release?
		if {$set_bits} {
			stlink_diag_nrst_low "to read DBGMCU_CR back after the release (and set the next bit or restore it)"
			stlink_probe enter swd
			set under 1
			set again [stlink_diag_read_verified_value $facts $cr_addr]
			if {$again ne "" && ($again & $set_bits) != $set_bits} {
				set app $again
				lappend ev dbgmcu_cr_after_release "$again (was $new before the release)"
				break
			}
		}
	}
	if {$first} {
		set found unknown
		lappend notes "this family has none of the DBGMCU_CR bits to test ($modes)"
	}
	if {$app ne ""} {
		set found [stlink_diag_reset_app_modes facts ev $fam $app $new $w notes]
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
	} elseif {$set_bits || $under} {
		if {!$under} {
			stlink_diag_nrst_low "to restore DBGMCU_CR to $old"
			stlink_probe enter swd
		}
		if {$set_bits} {
			stlink_diag_announce "restoring DBGMCU_CR ($cr_addr) to $old"
			stlink_probe dbgmcu_write [dict get $fam family] $old
		}
		# under reset anyway: the hold at the reset vector needs no reset of its own
		set armed [expr {$hold && [stlink_diag_reset_arm_vector_catch facts ev]}]
		stlink_diag_nrst_release
		if {$armed} {
			stlink_diag_reset_check_held facts ev
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

# DEMCR.VC_CORERESET (b0): with DHCSR.C_DEBUGEN set the core halts on leaving
# reset, before its first instruction (ARMv7-M ARM DDI0403E C1.6.5 DEMCR,
# C1.6.2 DHCSR; ARMv6-M ARM DDI0419 C1.6, DHCSR and DEMCR). DHCSR and DEMCR are in
# the debug domain, which a system reset (NRST) does not reset.
set stlink_diag_demcr 0xE000EDFC
set stlink_diag_dhcsr_halt 0xA05F0003
set stlink_diag_dhcsr_off 0xA05F0000

# A target that answers only under reset: halt its core at the reset vector,
# so the layers that need a readable core (boot, protection) see the part
# with no application code run yet (nothing has taken the pins or entered a
# low-power mode). The vector catch is armed with NRST low
# (stlink_diag_reset_arm_vector_catch: by the release test's last reset when
# it ends under reset, else by a reset of its own) and checked after the
# release (stlink_diag_reset_check_held). When the core halted: facts
# held_at_reset_vector 1, core.* and the part's identity (read under reset)
# in the run's facts; stlink_diag_reset_resume lets it run again.

# With NRST low and the DP entered: remember DEMCR and DHCSR, then set
# DEMCR.VC_CORERESET and DHCSR.C_DEBUGEN|C_HALT. Returns 1 when armed.
proc stlink_diag_reset_arm_vector_catch {factsVar evVar} {
	upvar $factsVar facts $evVar ev
	global stlink_diag_demcr stlink_diag_dhcsr_halt
	set demcr [stlink_diag_read $stlink_diag_demcr]
	set dhcsr [stlink_diag_dhcsr]
	if {$demcr eq "" || $dhcsr eq ""} {
		lappend ev held_at_reset_vector "not done: DEMCR or DHCSR unreadable under reset"
		dict set facts reset_hold {}
		return 0
	}
	dict set facts reset_hold [dict create demcr $demcr debugen [expr {$dhcsr & 1}]]
	stlink_diag_announce "halting the core at its reset vector (boot and protection are read before any application code runs): DEMCR.VC_CORERESET and DHCSR.C_DEBUGEN|C_HALT set under reset (DEMCR was $demcr); the core is resumed afterwards"
	stlink_diag_counted write32 $stlink_diag_demcr [format 0x%08x [expr {$demcr | 1}]]
	stlink_diag_counted write32 0xE000EDF0 $stlink_diag_dhcsr_halt
	return 1
}

# After the release that follows stlink_diag_reset_arm_vector_catch: is the
# core halted? If not, the vector catch is disarmed (it must not stay armed
# for the next reset).
proc stlink_diag_reset_check_held {factsVar evVar} {
	upvar $factsVar facts $evVar ev
	global stlink_diag_demcr stlink_diag_dhcsr_off
	set hold [dict get $facts reset_hold]
	set h [stlink_diag_dhcsr]
	if {[stlink_diag_bit dhcsr $h S_HALT] ne "1"} {
		lappend ev held_at_reset_vector "not done: after the release DHCSR reads [expr {$h eq "" ? "nothing" : $h}], not halted"
		stlink_diag_nrst_low "to disarm the vector catch (DEMCR back to [dict get $hold demcr])"
		stlink_probe enter swd
		stlink_diag_counted write32 $stlink_diag_demcr [dict get $hold demcr]
		stlink_diag_counted write32 0xE000EDF0 [format 0x%08x [expr {$stlink_diag_dhcsr_off | [dict get $hold debugen]}]]
		stlink_diag_nrst_release
		return
	}
	lappend ev held_at_reset_vector "DHCSR $h after the release (S_HALT 1): halted at the reset vector"
	dict set facts held_at_reset_vector 1
	# the core and the part, as read under reset, are the run's now
	set cpuid [dict get $facts reset.cpuid]
	set cd [stlink_probe decode cpuid $cpuid]
	dict set facts core.cpuid $cpuid
	dict set facts core.name [dict get $cd core]
	dict set facts core.revision [dict get $cd revision]
	dict set facts core.profile [dict get $cd profile]
	set id [stlink_diag_get [stlink_diag_get $facts reset_identity] facts]
	foreach {k v} $id {
		if {[string match mcu* $k]} {
			dict set facts $k $v
		}
	}
}

# The release test ended without a reset to arm the vector catch in: one
# of its own. Called with NRST released.
proc stlink_diag_reset_hold_at_vector {factsVar evVar} {
	upvar $factsVar facts $evVar ev
	stlink_diag_nrst_low "to halt the core at its reset vector"
	stlink_probe enter swd
	set armed [stlink_diag_reset_arm_vector_catch facts ev]
	stlink_diag_nrst_release
	if {$armed} {
		stlink_diag_reset_check_held facts ev
	}
}

# Let a core held by stlink_diag_reset_hold_at_vector run: DEMCR as it was,
# then one DHCSR write that clears C_HALT and leaves C_DEBUGEN as it was
# (the core runs from that write on, and an application that takes the pins
# leaves no time for a second one; writing the key alone exits Debug state:
# DDI0403E C1.5.4, C1.6.2). Returns evidence pairs.
proc stlink_diag_reset_resume {factsVar} {
	upvar $factsVar facts
	global stlink_diag_demcr stlink_diag_dhcsr_off
	set hold [dict get $facts reset_hold]
	set dhcsr [format 0x%08x [expr {$stlink_diag_dhcsr_off | [dict get $hold debugen]}]]
	stlink_diag_announce "resuming the core (DEMCR back to [dict get $hold demcr], DHCSR $dhcsr: C_HALT cleared)"
	stlink_diag_counted write32 $stlink_diag_demcr [dict get $hold demcr]
	set w [stlink_diag_counted write32 0xE000EDF0 $dhcsr]
	dict unset facts held_at_reset_vector
	return [list resumed "[dict get $w status] [dict get $w status_name]: the core runs again"]
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
		# a link that answered at times (not a silent DP): first a plain
		# release, so a link that survives it is not put down to a mode
		set modes [expr {[stlink_diag_link_flaky $facts] ? {baseline stop standby} : {stop standby}}]
		stlink_diag_reset_lowpower_test facts ev $fam $modes pins 1
	} else {
		stlink_diag_nrst_release
		dict set facts reset.after_release unknown
		dict set facts reset.release_note "the core could not be read under reset"
	}
	lappend ev after_release [dict get $facts reset.after_release]
	if {[dict exists $facts reset.cpuid] && ![dict exists $facts reset_hold]} {
		stlink_diag_reset_hold_at_vector facts ev
	}
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
		stlink_diag_reset_lowpower_test facts ev $fam {baseline sleep stop standby} none 1
	} else {
		stlink_diag_nrst_release
		dict set facts reset.after_release unknown
		dict set facts reset.release_note "the part's DBGMCU_CR is unknown"
	}
	lappend ev after_release [dict get $facts reset.after_release]
	if {![dict exists $facts reset_hold]} {
		stlink_diag_reset_hold_at_vector facts ev
	}
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
	set held [stlink_diag_read_verified_value $facts 0xE000EDF0]
	set e [stlink_probe enter swd]
	if {$held eq ""} {
		# lost on the wire, or the link needed the connect: ask once more
		set held [stlink_diag_read_verified_value $facts 0xE000EDF0]
	}
	stlink_diag_nrst_release
	set after [stlink_diag_dhcsr]
	lappend ev nrst_low "[dict get $n status] [dict get $n status_name]" \
		dhcsr_nrst_low [expr {$held eq "" ? "unreadable" : $held}] \
		connect_under_reset "[dict get $e status] [dict get $e status_name]" dhcsr_after_release $after
	set nrst_ok [expr {[stlink_diag_bit dhcsr $held S_RESET_ST] eq "1"}]
	# an unreadable DHCSR says nothing about the NRST wire
	set nrst_unknown [expr {$held eq ""}]
	dict set facts reset.nrst_wired [expr {$nrst_unknown ? "unknown" : $nrst_ok}]

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
		set d [stlink_diag_read_verified_value $facts 0xE000EDF0]
		set works [expr {[dict get $w ok] && [stlink_diag_bit dhcsr $d S_RESET_ST] eq "1"}]
		# a write or a read lost on a flaky link is no evidence either way
		set unknown [expr {!$works && ($d eq "" || ![dict get $w ok]) && [stlink_diag_link_flaky $facts]}]
		lappend sw $name [expr {$works ? "works" : $unknown ? "not known (the link lost the transfer)" : "no effect"}]
		lappend ev [string tolower $name] "[dict get $w status] [dict get $w status_name], DHCSR $d"
	}
	if {$was_halted} {
		stlink_diag_announce "halting the core again, as it was before the resets"
		stlink_probe write32 0xE000EDF0 0xA05F0003
	}
	set sw_text [join [lmap {k v} $sw {string cat "$k $v"}] ", "]
	if {$nrst_unknown} {
		return [stlink_diag_layer reset skipped reset.nrst_unknown \
			"the NRST test could not be made: DHCSR was unreadable with NRST held low, so whether NRST reaches the target is not known; software reset: $sw_text" \
			$ev]
	}
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
