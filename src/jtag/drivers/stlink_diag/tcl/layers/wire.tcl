# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag layer "wire": does the target answer on SWD, at which speeds?
# Compiled into OpenOCD (startup_tcl.inc).

# Connect attempts per speed of the ladder. Each costs one round trip; with
# two failures and no success a speed is given up, so a dead line costs
# 1 + 2 round trips per speed.
set stlink_diag_wire_attempts 3

# wire: does a DP answer, at which speeds. It only observes; connect under
# reset belongs to the reset layer.
proc stlink_diag_layer_wire {factsVar} {
	upvar $factsVar facts
	set rec [stlink_diag_wire_check facts]
	if {[stlink_diag_get $facts opt.watch 0] > 0 && [dict get $rec status] ne "fail"} {
		set rec [stlink_diag_wire_watch facts $rec [dict get $facts opt.watch]]
	}
	return $rec
}

# Soak (-watch SECONDS): a DPIDR read and a voltage reading every 100 ms at
# the speed the ladder chose, with a progress line every 10 s. Any failed
# read turns an ok wire into wire.intermittent with the rates as evidence.
set stlink_diag_watch_period_ms 100

proc stlink_diag_wire_watch {factsVar rec seconds} {
	upvar $factsVar facts
	global stlink_diag_watch_period_ms
	set start [clock milliseconds]
	set end [expr {$start + 1000 * $seconds}]
	set next_progress [expr {$start + 10000}]
	set samples 0
	set failed 0
	set drops 0
	set up [expr {[dict get $rec status] ne "fail"}]
	set own [expr {[dict get [stlink_probe state] state] eq "own"}]
	set vmin ""
	set vmax ""
	set errors [dict create]
	echo "Info : stlink_diag: watching the link for $seconds s (a DPIDR read and a voltage reading every $stlink_diag_watch_period_ms ms)"
	while {[clock milliseconds] < $end} {
		incr samples
		# after a drop, reconnect as a debugger would (own connection only)
		if {!$up && $own} {
			set id [stlink_probe enter swd]
			if {[dict get $id ok]} {
				set id [stlink_probe idcode]
			}
		} else {
			set id [stlink_probe idcode]
		}
		if {[dict get $id ok] && [dict get $id dpidr] ni {0x00000000 0xffffffff}} {
			set up 1
		} else {
			incr failed
			dict incr errors "[dict get $id status] [dict get $id status_name]"
			if {$up} {
				incr drops
			}
			set up 0
		}
		set v [stlink_probe voltage]
		if {[dict get $v ok]} {
			set volts [dict get $v volts]
			if {$vmin eq "" || $volts < $vmin} { set vmin $volts }
			if {$vmax eq "" || $volts > $vmax} { set vmax $volts }
		}
		set now [clock milliseconds]
		if {$now >= $next_progress && $now < $end} {
			echo "Info : stlink_diag: watch [expr {($now - $start) / 1000}]/$seconds s: $samples samples, $failed failed, $drops drops"
			incr next_progress 10000
		}
		sleep $stlink_diag_watch_period_ms
	}
	set secs [expr {([clock milliseconds] - $start) / 1000.0}]
	set rate [format %.2f [expr {$failed / $secs}]]
	set ev [dict get $rec evidence]
	lappend ev watch "[format %.1f $secs] s, $samples samples, $failed failed ($rate/s), $drops drops"
	if {$vmin ne ""} {
		lappend ev watch_volts "$vmin..$vmax"
	}
	set parts {}
	foreach {s n} $errors {
		lappend parts "$s x$n"
	}
	if {[llength $parts]} {
		lappend ev watch_errors [join $parts ", "]
	}
	dict set facts link.watch_failed $failed
	if {$failed == 0} {
		dict set rec evidence $ev
		dict set rec summary "[dict get $rec summary]; no drop in [format %.0f $secs] s of watching"
		return $rec
	}
	return [stlink_diag_layer wire fail wire.intermittent \
		"the link dropped in a [format %.0f $secs] s watch (drops: $drops; $failed of $samples DPIDR reads failed, $rate/s): a poor ground, noise, or a loose connector" \
		$ev "connect a short GND wire next to SWDIO/SWCLK, check the connector, keep the leads short; then lower the speed (adapter speed 480) if it persists"]
}

# The speed the probe will run at for a request, by OpenOCD's rule:
# `stlink_probe speed_match`, the one place of the rule (V2: the divisor
# table; V3: its GET_COM_FREQ list).
proc stlink_diag_wire_match {khz} {
	set m [stlink_probe speed_match $khz]
	return [expr {[dict get $m ok] ? [dict get $m khz] : $khz}]
}

# The ladder: from the probe's own table, the fastest speed, then each next
# one at most a quarter of the last, the slowest, and the configured one.
proc stlink_diag_wire_ladder {table configured} {
	set sorted [lsort -integer -decreasing -unique $table]
	set ladder [list [lindex $sorted 0]]
	foreach s $sorted {
		if {$s * 4 <= [lindex $ladder end]} {
			lappend ladder $s
		}
	}
	lappend ladder [lindex $sorted end] $configured
	return [lsort -integer -decreasing -unique $ladder]
}

# Connect attempts at one speed: ENTER (the firmware's line reset and DPIDR
# read), then DPIDR reads while connected; ENTER again after a failure.
# Returns {ok N tries N statuses {...}}.
proc stlink_diag_wire_try {factsVar khz} {
	upvar $factsVar facts
	global stlink_diag_wire_attempts
	if {$khz ne "fixed"} {
		stlink_probe speed $khz
	}
	set ok 0
	set tries 0
	set connected 0
	set statuses {}
	for {set i 0} {$i < $stlink_diag_wire_attempts} {incr i} {
		incr tries
		if {$connected} {
			set r [stlink_probe idcode]
		} else {
			set r [stlink_probe enter swd]
			dict set facts enter $r
		}
		if {[dict get $r ok] && [dict exists $r dpidr] && [dict get $r dpidr] in {0x00000000 0xffffffff}} {
			dict set r ok 0
			dict set r status_name "DPIDR [dict get $r dpidr]"
			dict set r status_class invalid_data
		}
		if {[dict get $r ok]} {
			incr ok
			set connected 1
			if {[dict exists $r dpidr]} {
				dict set facts dp.dpidr [dict get $r dpidr]
			}
			continue
		}
		set connected 0
		lappend statuses "[dict get $r status] [dict get $r status_name]"
		dict set facts wire.last_error $r
		if {$ok == 0 && [llength $statuses] >= 2} {
			break
		}
	}
	return [dict create ok $ok tries $tries statuses $statuses]
}

proc stlink_diag_wire_check {factsVar} {
	upvar $factsVar facts
	set st [stlink_probe state]
	if {[dict get $st state] ne "own"} {
		return [stlink_diag_wire_live facts]
	}
	set ev {}
	# leave whatever mode a crashed session or the USB drive left behind,
	# as OpenOCD's own init does
	set mode [stlink_diag_get $facts probe.mode]
	if {$mode in {debug DFU SWIM}} {
		stlink_probe leave $mode
		lappend ev left_mode $mode
	}
	# the speed OpenOCD's init would use: the configured one, else the V2
	# firmware's default (speed_match's default_khz; a V3 rounds it down to
	# its own list)
	set want [string trim [stlink_probe configured_speed]]
	if {$want == 0} {
		set want [stlink_diag_get [stlink_probe speed_match 1] default_khz 0]
	}
	set sp [stlink_probe speeds swd]
	set table [expr {[dict get $sp ok] ? [dict get $sp khz] : {}}]
	if {[llength $table] == 0} {
		set configured fixed
		set ladder {fixed}
		lappend ev speed "fixed by firmware"
	} else {
		set configured [stlink_diag_wire_match $want]
		set ladder [stlink_diag_wire_ladder $table $configured]
	}
	if {[dict get $facts opt.quick]} {
		set ladder [list $configured]
	}

	set results [dict create]
	set statuses {}
	foreach khz $ladder {
		set r [stlink_diag_wire_try facts $khz]
		dict set results $khz $r
		lappend statuses {*}[dict get $r statuses]
	}
	# refine: the table's speeds between the fastest reliable one and the
	# slowest failing one above it, from the top, until one is reliable
	set reliable [stlink_diag_wire_reliable $results]
	if {[llength $reliable] && ![dict get $facts opt.quick] && $configured ne "fixed"} {
		set best [lindex $reliable 0]
		set above [lsort -integer [lmap k [dict keys $results] {expr {$k > $best ? $k : [continue]}}]]
		if {[llength $above]} {
			set ceiling [lindex $above 0]
			foreach khz [lsort -integer -decreasing $table] {
				if {$khz >= $ceiling || $khz <= $best} {
					continue
				}
				set r [stlink_diag_wire_try facts $khz]
				dict set results $khz $r
				lappend statuses {*}[dict get $r statuses]
				if {[dict get $r ok] == [dict get $r tries]} {
					break
				}
			}
			set reliable [stlink_diag_wire_reliable $results]
		}
	}
	# the speeds the target config switches to in its reset-start/examine
	# events are speeds OpenOCD will use too: try the ones not tried yet
	set event_speeds {}
	if {$configured ne "fixed" && ![dict get $facts opt.quick]} {
		foreach {src khz} [stlink_diag_wire_event_speeds] {
			set m [stlink_diag_wire_match $khz]
			lappend event_speeds $src $m
			if {![dict exists $results $m]} {
				set r [stlink_diag_wire_try facts $m]
				dict set results $m $r
				lappend statuses {*}[dict get $r statuses]
			}
		}
		set reliable [stlink_diag_wire_reliable $results]
	}

	set counts {}
	set total_ok 0
	foreach khz [lsort -integer -decreasing [dict keys $results]] {
		set r [dict get $results $khz]
		lappend counts "$khz:[dict get $r ok]/[dict get $r tries]"
		incr total_ok [dict get $r ok]
	}
	if {$configured eq "fixed"} {
		set counts [list "fixed:[dict get $results fixed ok]/[dict get $results fixed tries]"]
	}
	lappend ev attempts [join $counts " "]
	dict set facts link.attempts [join $counts " "]
	if {[llength $statuses]} {
		set tally [dict create]
		foreach s $statuses {
			dict incr tally $s
		}
		set parts {}
		foreach {s n} $tally {
			lappend parts "$s x$n"
		}
		lappend ev errors [join $parts ", "]
	}

	if {$total_ok == 0} {
		set e [dict get $facts wire.last_error]
		dict set facts link.enter_status [dict get $e status]
		set where [expr {[llength $ladder] > 1 ? "at any speed ([lindex $ladder 0] to [lindex $ladder end] kHz)" : "at $configured kHz"}]
		set summary "the target does not answer on SWD $where: ST-LINK status [dict get $e status] ([dict get $e status_name]): [stlink_diag_get $e meaning]"
		dict set facts wire.no_answer_summary $summary
		return [stlink_diag_layer wire fail wire.no_answer $summary \
			$ev "likely causes: SWDIO/SWCLK open or swapped, no common ground, SWD disabled by the application, RDP level 2, a dead or unpowered target ([stlink_diag_get $e causes]). Check the SWDIO, SWCLK and GND wires and the target's power; the reset layer tries a connect under reset"]
	}

	# leave the link connected at the speed the next layers use: the
	# configured one when it is reliable, else the fastest reliable one
	set use [expr {$configured in $reliable ? $configured : [lindex $reliable 0]}]
	set monotonic [stlink_diag_wire_monotonic $results $reliable]
	set final_ok 1
	if {$use ne "" && $use ne "fixed"} {
		set final_ok 0
		# a speed that passed its attempts can still fail once: step down
		set tried {}
		foreach khz [lrange $reliable [lsearch $reliable $use] end] {
			stlink_probe speed $khz
			set e [stlink_probe enter swd]
			dict set facts enter $e
			lappend tried "$khz kHz: [dict get $e status] [dict get $e status_name]"
			if {[dict get $e ok]} {
				set use $khz
				set final_ok 1
				break
			}
		}
		lappend ev connect_at [join $tried ", "]
	}
	dict set facts link.speed_khz $use
	dict set facts link.enter_status [dict get [dict get $facts enter] status]
	dict set facts link.highest_reliable_khz [lindex $reliable 0]
	lappend ev highest_reliable_khz [expr {[llength $reliable] ? [lindex $reliable 0] : "none"}]

	if {!$monotonic || ![llength $reliable] || !$final_ok} {
		set best [expr {[llength $reliable] ? "; the most reliable speed seen was [lindex $reliable 0] kHz" : ""}]
		# contradictory evidence is reported as such, not resolved: a clean
		# speed above a failing one does not fit a signal-integrity limit
		set contra {}
		foreach khz [lsort -integer -decreasing [dict keys $results]] {
			set r [dict get $results $khz]
			if {$khz in $reliable} {
				continue
			}
			foreach hi $reliable {
				if {$hi ne "fixed" && $hi > $khz} {
					lappend contra "clean at $hi kHz but [dict get $r ok]/[dict get $r tries] at $khz kHz"
					break
				}
			}
		}
		if {[llength $contra]} {
			lappend ev contradiction [join $contra "; "]
			dict set facts link.contradiction [join $contra "; "]
			return [stlink_diag_layer wire fail wire.intermittent \
				"contradictory link results: [join $contra {; }]; a speed limit cannot explain that: a missing or poor ground, noise, or a loose connector" \
				$ev "connect GND between the ST-LINK and the target (a short wire next to SWDIO/SWCLK), check the connector, keep the leads under 20 cm$best"]
		}
		return [stlink_diag_layer wire fail wire.intermittent \
			"the target answers only some of the time, at every speed: a missing or poor ground, or noise" \
			$ev "connect GND between the ST-LINK and the target (a short wire next to SWDIO/SWCLK), keep the leads under 20 cm, avoid sharing the ground with motors or supplies$best"]
	}
	set failing_above [expr {[lindex $reliable 0] ne [lindex [lsort -integer -decreasing [dict keys $results]] 0]}]
	foreach {src m} $event_speeds {
		lappend ev speed_$src "$m kHz"
	}
	if {$configured in $reliable} {
		foreach {src m} $event_speeds {
			if {$m ni $reliable && [llength $reliable]} {
				set best [lindex $reliable 0]
				dict set facts link.used_speed_failing "$m ($src)"
				return [stlink_diag_layer wire fail wire.low_speed_only \
					"the target answers reliably at the configured $configured kHz but not at the $m kHz the target config switches to in its $src event: signal integrity (long or flying leads, weak ground)" \
					$ev "after -f target/...: \$_TARGETNAME configure -event $src {adapter speed $best}  (and adapter speed $best). Shorter SWD leads and a solid ground allow faster clocks"]
			}
		}
	}
	if {$configured ni $reliable} {
		return [stlink_diag_layer wire fail wire.low_speed_only \
			"the target answers reliably only at [lindex $reliable 0] kHz and below, not at the configured $configured kHz: signal integrity (long or flying leads, weak ground)" \
			$ev "adapter speed [lindex $reliable 0]  (after -f target/...; target configs that raise the speed on reset, like stm32f4x.cfg, also need: \$_TARGETNAME configure -event reset-start {adapter speed [lindex $reliable 0]}). Shorter SWD leads and a solid ground allow faster clocks"]
	}
	set note [expr {$failing_above ? ", fails above [lindex $reliable 0] kHz" : ""}]
	if {$configured eq "fixed"} {
		return [stlink_diag_layer wire ok wire.ok "the target answers on SWD at the firmware's fixed speed" $ev]
	}
	return [stlink_diag_layer wire ok wire.ok \
		"the target answers on SWD at $configured kHz (highest reliable speed [lindex $reliable 0] kHz$note; adapter speed [lindex $reliable 0])" $ev]
}

# {event kHz ...}: the `adapter speed` lines in the loaded targets'
# reset-start and examine events (stm32f4x.cfg: reset-start 2000 kHz).
# reset-init speeds are not judged: they follow a clock set-up that makes
# the target faster (stm32f4x.cfg: 8000 kHz after the PLL).
proc stlink_diag_wire_event_speeds {} {
	set out {}
	if {[catch {target names} targets]} {
		return {}
	}
	foreach t $targets {
		foreach ev {reset-start examine-start examine-end} {
			if {[catch {$t cget -event $ev} body]} {
				continue
			}
			foreach {- khz} [regexp -all -inline {adapter\s+speed\s+(\d+)} $body] {
				lappend out $ev $khz
			}
		}
	}
	return $out
}

# Speeds where every attempt succeeded, fastest first.
proc stlink_diag_wire_reliable {results} {
	set out {}
	foreach khz [dict keys $results] {
		set r [dict get $results $khz]
		if {[dict get $r ok] > 0 && [dict get $r ok] == [dict get $r tries]} {
			lappend out $khz
		}
	}
	if {"fixed" in $out} {
		return $out
	}
	return [lsort -integer -decreasing $out]
}

# Signal integrity looks monotonic: every speed at or below the fastest
# reliable one is reliable too. Failures below it point at ground or noise.
proc stlink_diag_wire_monotonic {results reliable} {
	if {![llength $reliable]} {
		return 0
	}
	if {"fixed" in $reliable} {
		return 1
	}
	set best [lindex $reliable 0]
	foreach khz [dict keys $results] {
		if {$khz <= $best && $khz ni $reliable} {
			return 0
		}
	}
	return 1
}

# After init: OpenOCD owns the connection and its clock; re-entering SWD or
# changing the speed would disturb it, so only DPIDR reads at its speed.
proc stlink_diag_wire_live {factsVar} {
	upvar $factsVar facts
	global stlink_diag_wire_attempts
	set ev [list connection "OpenOCD's live connection: DPIDR reads at its speed, no speed ladder"]
	if {[catch {adapter speed} line] || ![regexp {(\d+) kHz} $line -> khz]} {
		set khz [string trim [stlink_probe configured_speed]]
	}
	dict set facts link.speed_khz $khz
	lappend ev speed_khz $khz
	set n [expr {[dict get $facts opt.quick] ? 1 : $stlink_diag_wire_attempts}]
	set ok 0
	set statuses {}
	for {set i 0} {$i < $n} {incr i} {
		set id [stlink_probe idcode]
		dict set facts idcode $id
		if {[dict get $id ok] && [dict get $id dpidr] ni {0x00000000 0xffffffff}} {
			incr ok
			dict set facts dp.dpidr [dict get $id dpidr]
		} else {
			lappend statuses "[dict get $id status] [dict get $id status_name]"
			dict set facts wire.last_error $id
		}
	}
	lappend ev attempts "$khz:$ok/$n"
	dict set facts link.attempts "$khz:$ok/$n"
	if {[llength $statuses]} {
		lappend ev errors [join $statuses ", "]
	}
	if {$ok == 0} {
		set e [dict get $facts wire.last_error]
		dict set facts wire.no_answer_summary "the target stopped answering on SWD: ST-LINK status [dict get $e status] ([dict get $e status_name]): [stlink_diag_get $e meaning]"
		return [stlink_diag_layer wire fail wire.no_answer [dict get $facts wire.no_answer_summary] \
			$ev "likely causes: [stlink_diag_get $e causes]; if the application sleeps or takes the SWD pins, connect under reset (see the reset layer)"]
	}
	if {$ok < $n} {
		return [stlink_diag_layer wire fail wire.intermittent \
			"the target answered $ok of $n DPIDR reads at $khz kHz: a poor ground, noise, or a clock too fast for the wiring" \
			$ev "connect a short GND wire; try a lower speed: adapter speed [expr {$khz > 480 ? 480 : $khz / 2}]"]
	}
	return [stlink_diag_layer wire ok wire.ok "the target answers on SWD at $khz kHz (OpenOCD's live connection)" $ev]
}
