# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag: what every layer shares. Announcements of resets and halts,
# the WAIT tally of counted reads, progress lines, the debug registers as
# named fields (decoded in C), and how a layer records an extra finding.
# Compiled into OpenOCD (startup_tcl.inc). Transport loss is detected in
# stlink_diag_run through stlink_diag_transport_errors (layers/host.tcl).

# An Info line before any command that resets, halts or changes the debug
# configuration of the target.
proc stlink_diag_announce {what} {
	echo "Info : stlink_diag: $what"
}

# A progress line, for checks that take longer than a second (the speed
# ladder, -watch). It goes to the log, not into the report.
proc stlink_diag_progress {message} {
	echo "stlink_diag: $message ..."
}

# WAIT answers retried so far in this session (0 without a probe).
proc stlink_diag_waits {} {
	if {[info commands stlink_probe] eq ""} {
		return 0
	}
	return [dict get [stlink_probe stats] waits]
}

# WAIT answers seen by the layers' counted reads, for the WAIT-storm ratio;
# the evidence of every WAIT comes from the session's own count.
set stlink_diag_wait_tally {reads 0 waits 0}

proc stlink_diag_wait_reset {} {
	set ::stlink_diag_wait_tally {reads 0 waits 0}
}

# A 32-bit read (or DAP register read) that counts the WAITs it retried.
proc stlink_diag_counted {args} {
	set r [stlink_probe {*}$args]
	dict incr ::stlink_diag_wait_tally reads
	dict incr ::stlink_diag_wait_tally waits [stlink_diag_get $r waits 0]
	return $r
}

# A read for the second observations: `stlink_probe peek` retries a WAIT
# answer at most 3 times (1 + 2 + 4 ms), not through OpenOCD's 255 ms
# ladder, so a stopped core costs little. Same dict as read32; counted in
# the WAIT tally.
proc stlink_diag_read_bounded {addr} {
	return [stlink_diag_counted peek [format 0x%08x $addr]]
}

# One 32-bit read: the value, or "" when it failed.
proc stlink_diag_read {addr} {
	set r [stlink_diag_counted read32 [format 0x%08x [expr {$addr & ~3}]]]
	if {![dict get $r ok]} {
		return ""
	}
	return [dict get $r value]
}

# 1 when the wire layer saw the link fail at some speed (link.attempts
# lists a speed with fewer answers than tries) and answer at some speed: a
# read that fails may then be a transfer lost on the wire, not an answer of
# the target. A link that never answered is silent, not lossy.
proc stlink_diag_link_flaky {facts} {
	set failed 0
	set answered 0
	foreach a [stlink_diag_get $facts link.attempts] {
		if {[regexp {^[^:]+:(\d+)/(\d+)$} $a -> ok tries]} {
			incr answered $ok
			if {$ok < $tries} {
				set failed 1
			}
		}
	}
	return [expr {$failed && $answered > 0}]
}

# A 32-bit read as stlink_probe read32 gives it; on a flaky link
# (stlink_diag_link_flaky) a failed read is tried up to twice more, so one
# lost transfer does not pass for the target's answer. A read that
# succeeds is never repeated (a zero is an answer). Counted in the WAIT
# tally.
proc stlink_diag_read_verified {facts addr} {
	set r [stlink_diag_counted read32 [format 0x%08x [expr {$addr & ~3}]]]
	if {[dict get $r ok] || ![stlink_diag_link_flaky $facts]} {
		return $r
	}
	for {set n 1} {$n < 3 && ![dict get $r ok]} {incr n} {
		set r [stlink_diag_counted read32 [format 0x%08x [expr {$addr & ~3}]]]
	}
	dict set r tries $n
	return $r
}

# stlink_diag_read_verified's value, or "" when the read failed.
proc stlink_diag_read_verified_value {facts addr} {
	set r [stlink_diag_read_verified $facts $addr]
	return [expr {[dict get $r ok] ? [dict get $r value] : ""}]
}

# DHCSR: the value, or "" when unreadable.
proc stlink_diag_dhcsr {} {
	return [stlink_diag_read 0xE000EDF0]
}

# A register's named fields ({S_LOCKUP 0 S_SLEEP 1 ...}) from C's bit
# tables; reg is one of stlink_probe decode's (dhcsr, ctrlstat). An
# unreadable value ("") gives an empty dict.
proc stlink_diag_fields {reg value} {
	if {$value eq ""} {
		return {}
	}
	return [dict get [stlink_probe decode $reg $value] fields]
}

# One field of a register value: 1, 0, or "" when the value is unknown.
proc stlink_diag_bit {reg value name} {
	return [stlink_diag_get [stlink_diag_fields $reg $value] $name]
}

# A finding besides the layer's own record (a layer may observe more than
# one thing). The correlation step (stlink_diag_rules.tcl) sees them all.
proc stlink_diag_finding {factsVar layer status id summary {evidence {}} {fix ""}} {
	upvar $factsVar facts
	dict lappend facts findings [stlink_diag_layer $layer $status $id $summary $evidence $fix]
}

# The family's debug and power facts from C (stlink_probe stm32 family),
# once per run; {} when the family is unknown.
proc stlink_diag_family_data {factsVar} {
	upvar $factsVar facts
	set fam [stlink_diag_get $facts mcu.family]
	if {$fam eq ""} {
		return {}
	}
	if {![dict exists $facts family_data]} {
		set d {}
		catch {set d [stlink_probe stm32 family $fam]}
		dict set facts family_data $d
	}
	return [dict get $facts family_data]
}

# ---- a probe that stops answering (any layer) ----

# ST-LINK exchanges that failed below the protocol since the probe was opened.
proc stlink_diag_transport_errors {} {
	if {[info commands stlink_probe] eq ""} {
		return 0
	}
	return [stlink_diag_get [stlink_probe state] transport_errors 0]
}

# The record of a layer during which the probe stopped answering; record is
# what the layer itself concluded ({} when it gave up).
proc stlink_diag_layer_lost {name record} {
	set ev [list transport_errors [stlink_diag_transport_errors]]
	if {[llength $record]} {
		set ev [concat $ev [dict get $record evidence]]
	}
	if {[stlink_diag_get $ev left_mode] eq "DFU"} {
		# leaving DFU re-enumerates the probe; one that never comes back
		# as a debug probe is stuck in its loader
		return [stlink_diag_layer $name fail $name.dfu_stuck \
			"the ST-LINK was in DFU mode and stopped answering when told to leave it: it is stuck in DFU" $ev \
			"unplug and replug the ST-LINK; if it stays in DFU mode, a firmware update was interrupted:\
			 run the ST-LINK upgrade tool (STSW-LINK007 or STM32CubeProgrammer) to the end"]
	}
	return [stlink_diag_layer $name fail $name.probe_lost \
		"the ST-LINK stopped answering during the $name check (unplugged, reset or re-enumerated)" $ev \
		"check the USB cable and port (a short data cable straight to the computer, not an unpowered hub),\
		 replug the ST-LINK and run again; if it comes back in DFU mode, finish its firmware update\
		 (STSW-LINK007)"]
}
