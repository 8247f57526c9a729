# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag layer "debug": DP, AP and core identity, the debug power-up
# handshake, sticky errors and WAIT storms, read without halting.
# Compiled into OpenOCD (startup_tcl.inc).

# CTRL/STAT (ADIv5, ARM IHI 0031): the power-up acknowledges that must be
# set and the sticky error flags, by the names of C's bit table.
set stlink_diag_ctrlstat_acks {CSYSPWRUPACK CDBGPWRUPACK}
set stlink_diag_ctrlstat_sticky {STICKYORUN STICKYCMP STICKYERR WDATAERR}

proc stlink_diag_ctrlstat {factsVar evVar {key ctrl_stat}} {
	upvar $factsVar facts $evVar ev
	global stlink_diag_ctrlstat_acks stlink_diag_ctrlstat_sticky
	set c [stlink_diag_counted dap_read dp 4]
	if {![dict get $c ok]} {
		if {![stlink_diag_get $c unsupported 0]} {
			lappend ev $key "read failed: [stlink_diag_get $c status_name [stlink_diag_get $c error]]"
		}
		return {}
	}
	set v [dict get $c value]
	set d [stlink_probe decode ctrlstat $v]
	set fields [dict get $d fields]
	set missing [lmap name $stlink_diag_ctrlstat_acks {expr {[dict get $fields $name] ? [continue] : $name}}]
	set sticky [lmap name $stlink_diag_ctrlstat_sticky {expr {[dict get $fields $name] ? $name : [continue]}}]
	dict set facts dp.ctrl_stat $v
	lappend ev $key "$v ([dict get $d bits])"
	return [dict create value $v missing $missing sticky $sticky]
}

# The DPIDR the loaded target config expects (its CPUTAPID), "" when none:
# ST's target configs keep it in _CPUTAPID.
proc stlink_diag_configured_tapid {} {
	if {[info exists ::_CPUTAPID]} {
		return [format 0x%08x $::_CPUTAPID]
	}
	return ""
}

proc stlink_diag_layer_debug {factsVar} {
	upvar $factsVar facts
	global stlink_diag_reset_line
	stlink_diag_wait_reset
	# the wire layer's error-rate block reads went to the same DP: they count
	# in the WAIT-storm ratio too
	dict incr ::stlink_diag_wait_tally reads [stlink_diag_get $facts link.error_rate_reads 0]
	dict incr ::stlink_diag_wait_tally waits [stlink_diag_get $facts link.error_rate_waits 0]
	set ev {}
	set d [stlink_probe decode dpidr [dict get $facts dp.dpidr]]
	dict set facts dp.designer [dict get $d designer_name]
	dict set facts dp.version [dict get $d version]
	lappend ev dpidr "[dict get $facts dp.dpidr] ([dict get $d designer_name], [dict get $d version], partno [dict get $d partno], rev [dict get $d revision])"

	set cs [stlink_diag_ctrlstat facts ev]

	# bounded WAIT retries: a core whose clock is stopped answers WAIT for good
	set c [stlink_diag_read_bounded 0xE000ED00]
	set c [stlink_diag_debug_cpuid_retry $facts $c ev]
	lappend ev cpuid_read "[stlink_diag_get $c status] [stlink_diag_get $c status_name [stlink_diag_get $c error]]"
	if {[stlink_diag_get $c status_class] eq "wait"} {
		# the AP answers WAIT: an AP register read would only wait out the
		# driver's 255 ms retry ladder for the same answer
		lappend ev ap0_idr "not read: the AP answers WAIT"
	} else {
		# AP0 IDR (V2J24+): which MEM-AP the core sits behind
		set ap [stlink_diag_counted dap_read 0 0xfc]
		if {[dict get $ap ok]} {
			set a [stlink_probe decode apidr [dict get $ap value]]
			dict set facts ap.idr [dict get $ap value]
			dict set facts ap.type [dict get $a type]
			lappend ev ap0_idr "[dict get $ap value] ([dict get $a type])"
		} elseif {![stlink_diag_get $ap unsupported 0]} {
			lappend ev ap0_idr "read failed: [stlink_diag_get $ap status_name [stlink_diag_get $ap error]]"
			# a faulted AP access leaves its mark in CTRL/STAT
			if {[dict get $c ok]} {
				set cs_after [stlink_diag_ctrlstat facts ev ctrl_stat_after]
				if {$cs_after ne "" && [llength [dict get $cs_after sticky]]} {
					set cs $cs_after
				}
			}
		}
	}
	if {![dict get $c ok]} {
		return [stlink_diag_debug_no_cpuid facts $ev $c]
	}
	set cpuid [dict get $c value]
	set cd [stlink_probe decode cpuid $cpuid]
	dict set facts core.cpuid $cpuid
	dict set facts core.name [dict get $cd core]
	dict set facts core.revision [dict get $cd revision]
	dict set facts core.profile [dict get $cd profile]
	lappend ev cpuid "$cpuid ([dict get $cd core] [dict get $cd revision])"

	# the first address the part table gives for this core
	set addr [lindex [stlink_probe stm32 candidates [dict get $cd partno]] 0]
	set m [stlink_diag_read_verified $facts $addr]
	dict set facts mcu.idcode_addr $addr
	if {[dict get $m ok]} {
		set idcode [dict get $m value]
		dict set facts mcu.idcode $idcode
		dict set facts mcu.dev_id [format 0x%03x [expr {$idcode & 0xfff}]]
		dict set facts mcu.rev_id [format 0x%04x [expr {($idcode >> 16) & 0xffff}]]
		lappend ev dbgmcu_idcode "$idcode at $addr (DEV_ID [dict get $facts mcu.dev_id], REV_ID [dict get $facts mcu.rev_id])"
	} else {
		lappend ev dbgmcu_idcode "read at $addr failed: [dict get $m status_name]"
	}
	stlink_diag_mcu_identify facts ev

	# the firmware layer counts resets only after a DHCSR read that
	# succeeded (it clears S_RESET_ST): on a flaky link, try again
	set h [stlink_diag_read_verified $facts 0xE000EDF0]
	if {[dict get $h ok]} {
		set hd [stlink_probe decode dhcsr [dict get $h value]]
		dict set facts core.dhcsr [dict get $h value]
		dict set facts core.state [dict get $hd state]
	}
	set summary "[dict get $cd core] [dict get $cd revision], debug port [dict get $d version] by [stlink_diag_get $facts dp.designer]"

	# the configured CPUTAPID: hla refuses to init on a mismatch
	set want [stlink_diag_configured_tapid]
	set got [dict get $facts dp.dpidr]
	if {$want ne "" && $want != 0 && $want != $got} {
		lappend ev configured_cputapid $want
		dict set facts debug.mismatch_summary "the target's DPIDR $got is not the $want the target config expects: a clone or compatible part (e.g. GD32, CKS), or the wrong target config"
		dict set facts debug.mismatch_fix "if the part is the one you meant: set CPUTAPID $got  (before -f target/...); otherwise load the config for the part you have"
		return [stlink_diag_layer debug fail debug.cputapid_mismatch [dict get $facts debug.mismatch_summary] \
			$ev [dict get $facts debug.mismatch_fix]]
	}
	# -target NAME: the part the user says is there, with no target config loaded
	set named [stlink_diag_get $facts opt.target]
	if {$named ne ""} {
		set mismatch [stlink_diag_target_mismatch $facts $named]
		lappend ev target_named $named
		if {$mismatch ne ""} {
			return [stlink_diag_layer debug warn debug.target_mismatch $mismatch $ev \
				"use -f [stlink_diag_get [stlink_diag_get $facts mcu_part] target_cfg target/<family>.cfg] for the part that is there, or check the board"]
		}
	}
	if {$cs ne "" && [llength [dict get $cs missing]]} {
		return [stlink_diag_layer debug warn debug.powerup_incomplete \
			"the debug power-up handshake is incomplete: CTRL/STAT lacks [join [dict get $cs missing] ", "]" $ev \
			"connect under reset ($stlink_diag_reset_line); check the target's supply and that the application does not power down the debug domain"]
	}
	if {$cs ne "" && [llength [dict get $cs sticky]]} {
		return [stlink_diag_layer debug warn debug.sticky_error \
			"CTRL/STAT has sticky error flags set ([join [dict get $cs sticky] ", "]): an earlier access faulted and later ones fail until they are cleared" $ev \
			"the st-link (dap-direct) driver clears them with ABORT; with hla reconnect (OpenOCD 0.12 hla never clears them); find the access that faulted (an unmapped address, a peripheral without its clock)"]
	}
	set t $::stlink_diag_wait_tally
	if {[dict get $t waits] >= 3 && [dict get $t waits] >= [dict get $t reads]} {
		return [stlink_diag_layer debug warn debug.wait_storm \
			"the target answered WAIT [dict get $t waits] times in [dict get $t reads] reads: a slow or stalled bus (low HCLK, flash wait states) or a core entering low-power modes" \
			$ev "lower the SWD speed (adapter speed 480) and check the clock setup; set the DBGMCU_CR low-power debug bits (see the firmware layer)"]
	}
	return [stlink_diag_layer debug ok debug.ok $summary $ev]
}

# A CPUID read that failed with a transient status (nothing answered on the
# wire, a parity or protocol error; a FAULT too when the wire layer saw the
# link fail, since probes report lost acknowledges as faults) is tried up to
# stlink_diag_cpuid_retries times more, stlink_diag_cpuid_retry_ms apart: a
# link that comes and goes (brown-out resets of a few hundred microseconds,
# a poor ground) then still shows the core. A core whose bus clock is
# stopped keeps failing, so the retries cost at most a few round trips and
# milliseconds there. Returns the last read's dict; adds cpuid_retries to
# the evidence when it retried.
set stlink_diag_cpuid_retries 3
set stlink_diag_cpuid_retry_ms 1

proc stlink_diag_debug_cpuid_retry {facts c evVar} {
	upvar $evVar ev
	global stlink_diag_cpuid_retries stlink_diag_cpuid_retry_ms
	if {[dict get $c ok]} {
		return $c
	}
	set class [stlink_diag_get $c status_class]
	if {$class ni {no_target line_error no_answer} && !($class eq "fault" && [stlink_diag_link_flaky $facts])} {
		return $c
	}
	set tries {}
	for {set n 0} {$n < $stlink_diag_cpuid_retries && ![dict get $c ok]} {incr n} {
		lappend tries [stlink_diag_get $c status_name [stlink_diag_get $c status]]
		sleep $stlink_diag_cpuid_retry_ms
		set c [stlink_diag_read_bounded 0xE000ED00]
	}
	lappend ev cpuid_retries "[join $tries {, }], then [expr {[dict get $c ok] ? "read on retry $n" : "still failing after $n retries"}]"
	return $c
}

# The DP answers but the core's CPUID read failed: tell sticky errors, a
# sleeping bus and a failed power-up apart.
proc stlink_diag_debug_no_cpuid {factsVar ev c} {
	upvar $factsVar facts
	global stlink_diag_reset_line
	set why [stlink_diag_get $c meaning [stlink_diag_get $c error]]
	set cs [stlink_diag_ctrlstat facts ev ctrl_stat_after]
	if {$cs ne "" && "STICKYERR" in [dict get $cs sticky]} {
		return [stlink_diag_layer debug fail debug.sticky_error \
			"the DP answers but MEM-AP reads fail with STICKYERR set in CTRL/STAT: $why" $ev \
			"the st-link (dap-direct) driver clears sticky errors with ABORT; with hla reconnect (OpenOCD 0.12 hla never clears them); find the access that faulted (an unmapped address, a peripheral without its clock)"]
	}
	if {$cs ne "" && [llength [dict get $cs missing]]} {
		return [stlink_diag_layer debug fail debug.powerup_failed \
			"the DP answers but the debug power-up handshake failed (CTRL/STAT lacks [join [dict get $cs missing] ", "]): $why" $ev \
			"connect under reset ($stlink_diag_reset_line); check the target's supply"]
	}
	dict set facts debug.no_cpuid_summary "the DP answers but the core's CPUID cannot be read: $why"
	return [stlink_diag_layer debug fail debug.cpuid_unreadable \
		"the DP answers but the core's CPUID cannot be read: $why" \
		$ev "connect under reset ($stlink_diag_reset_line) and check the debug power-up; the reset layer reads the core under reset"]
}

# "" when the identified part fits the name the user gave with -target (a
# target config name like stm32f4x or target/stm32f4x.cfg, or a part name like
# STM32F407), else the sentence that says what is there instead.
proc stlink_diag_target_mismatch {facts named} {
	set part [stlink_diag_get $facts mcu_part]
	if {$part eq ""} {
		return ""
	}
	set cfg [file rootname [file tail [stlink_diag_get $part target_cfg]]]
	set want [string tolower [file rootname [file tail $named]]]
	if {$want eq $cfg} {
		return ""
	}
	# a part name: every line name in the DEV_ID row ("STM32F405/F407/...")
	set name [string toupper [stlink_diag_get $part name]]
	set series [regsub {^(STM32[A-Z]+[0-9]).*} $name {\1}]
	foreach line [split [regsub {^STM32} $name ""] "/"] {
		set full [string toupper $want]
		if {[string match "STM32$line*" $full] || [string match "$series$line*" $full]} {
			return ""
		}
	}
	return "you named $named, but the chip is [stlink_diag_get $part name] (target config [stlink_diag_get $part target_cfg])"
}
