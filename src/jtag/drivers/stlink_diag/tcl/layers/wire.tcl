# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag layer "wire": does the target answer on SWD, at which speeds?
# Compiled into OpenOCD (startup_tcl.inc).

# Connect attempts per speed of the ladder. Each costs one round trip; with
# two failures and no success a speed is given up, so a dead line costs
# 1 + 2 round trips per speed. The speeds OpenOCD will use get an error
# rate over 1000 transfers on top (stlink_probe error_rate).
set stlink_diag_wire_attempts 2

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

# The speeds OpenOCD will use, as {source requested matched event ...}: the
# configured `adapter speed` (OpenOCD's default request when there is none:
# speed_match openocd_default), then the `adapter speed` lines of the
# target config's reset-start/examine events.
proc stlink_diag_wire_used_speeds {} {
	set conf [string trim [stlink_probe configured_speed]]
	if {$conf > 0} {
		set out [list "adapter speed $conf" $conf [stlink_diag_wire_match $conf] ""]
	} else {
		set m [stlink_probe speed_match openocd_default]
		set req [stlink_diag_get $m requested 0]
		set out [list "no adapter speed: OpenOCD's default request" $req [stlink_diag_get $m khz $req] ""]
	}
	foreach {ev khz} [stlink_diag_wire_event_speeds] {
		lappend out "the target config's $ev event" $khz [stlink_diag_wire_match $khz] $ev
	}
	return $out
}

# The ladder: from the probe's own table, the fastest speed, then each next
# one at most a quarter of the last, the slowest, and the used ones.
proc stlink_diag_wire_ladder {table used} {
	set sorted [lsort -integer -decreasing -unique $table]
	set ladder [list [lindex $sorted 0]]
	foreach s $sorted {
		if {$s * 4 <= [lindex $ladder end]} {
			lappend ladder $s
		}
	}
	lappend ladder [lindex $sorted end] {*}$used
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
	return [dict create ok $ok tries $tries statuses $statuses connected $connected]
}

# Set the speed for a measurement (the link stays in debug mode across a
# speed change) and enter SWD again when the link is not up. Returns 1 when
# it is up.
proc stlink_diag_wire_goto {factsVar khz cur linked} {
	upvar $factsVar facts
	if {$khz ne "fixed" && $khz ne $cur} {
		stlink_probe speed $khz
	}
	if {$linked} {
		return 1
	}
	set e [stlink_probe enter swd]
	dict set facts enter $e
	return [dict get $e ok]
}

# Transfer error rate at the speed set now (stlink_probe error_rate: block
# reads of the ROM table, 256 words a round trip pair), added to a speed's
# result: er_transfers er_errors er_text; its failed transfers join the
# statuses. A measurement the probe could not make says so in er_text.
proc stlink_diag_wire_measure {r khz words max_trips max_errors} {
	set e [stlink_probe error_rate -words $words -max_trips $max_trips -max_errors $max_errors]
	dict set r er_linked [expr {[stlink_diag_get $e stopped] ni {link_lost transport malformed ""}}]
	dict set r er_stopped [stlink_diag_get $e stopped]
	if {![dict get $e ok]} {
		dict set r er_text "$khz kHz: not measured ([stlink_diag_get $e error])"
		return $r
	}
	# each block is one read of the WAIT-storm ratio (as stlink_diag_counted
	# counts a read), summed in facts link.error_rate_reads/_waits
	dict set r er_blocks [dict get $e blocks]
	dict set r er_waits [dict get $e waits]
	set n [expr {[dict get $e errors] + [dict get $e data_errors]}]
	if {[dict get $e transfers] == 0 && $n == 0} {
		set why [expr {[dict get $e stopped] eq "sticky_error" ? "the AP answered FAULT with STICKYERR set: the target's fault, not the wire's; see the debug layer" : "[dict get $e waits] WAIT answers: the AP stayed busy, a stopped clock is not a wire error; see the debug layer"}]
		dict set r er_text "$khz kHz: not measured ($why)"
		return $r
	}
	dict set r er_transfers [dict get $e transfers]
	dict set r er_errors $n
	# not one word through the AP while the DP answered every reconnect:
	# the AP refuses (a stopped bus clock answered as FAULT), which is the
	# debug layer's to explain; wire noise hits the DP's transfers too
	if {$n >= 2 && [dict get $e words_ok] == 0 && [dict get $e reconnect_failures] == 0} {
		dict unset r er_errors
		dict unset r er_transfers
		dict set r er_text "$khz kHz: not measured (the AP failed all of $n block reads at their first word with [join [dict get $e statuses] {, }] while the DP answered every reconnect: the AP or its bus, not the wire)"
		return $r
	}
	set text "$khz kHz: $n error[expr {$n == 1 ? {} : {s}}] in [dict get $e transfers] transfers"
	if {[dict get $r er_errors]} {
		append text " (rate [dict get $e rate]: [join [dict get $e statuses] {, }])"
		foreach st [dict get $e statuses] {
			if {[regexp {^(\S+ \S+) x(\d+)$} $st -> name k]} {
				for {set i 0} {$i < $k} {incr i} {
					dict lappend r statuses $name
					dict lappend r er_statuses $name
				}
			}
		}
	}
	switch -- [dict get $e stopped] {
		stalled { append text " (then the AP stayed busy (WAIT): not a wire error; see the debug layer)" }
		sticky_error { append text " (then the AP answered FAULT with STICKYERR set: the target's fault, not the wire's; see the debug layer)" }
		link_lost { append text " (the link was lost: no answer to three reconnects)" }
	}
	if {[dict get $e waits]} {
		append text " ([dict get $e waits] WAIT answers read through)"
	}
	dict set r er_text $text
	return $r
}

# Words of a measurement below the used speed: fewer at slow clocks, so that
# none takes much more than 0.25 s on the wire (about 46 clocks a transfer).
proc stlink_diag_wire_lower_words {khz} {
	global stlink_diag_wire_errrate_words
	set w [expr {$khz * 5}]
	return [expr {$w > $stlink_diag_wire_errrate_words ? $stlink_diag_wire_errrate_words : ($w < 64 ? 64 : $w)}]
}

# The words read at each speed OpenOCD will use: at least 1000 transfers
# (about 8 round trips on a clean link).
set stlink_diag_wire_errrate_words 1024

proc stlink_diag_wire_check {factsVar} {
	upvar $factsVar facts
	global stlink_diag_wire_errrate_words
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
	set sp [stlink_probe speeds swd]
	set table [expr {[dict get $sp ok] ? [dict get $sp khz] : {}}]
	# the speeds OpenOCD will use: the configured one (or its default) and
	# the target config's event speeds, each as this probe runs it
	set used_list {}
	set used {}
	if {[llength $table] == 0} {
		set configured fixed
		set used {fixed}
		set ladder {fixed}
		lappend ev speed "fixed by firmware"
	} else {
		set used_list [stlink_diag_wire_used_speeds]
		set configured [lindex $used_list 2]
		foreach {src req m evname} $used_list {
			lappend used $m
			if {$evname ne ""} {
				lappend ev speed_$evname "$m kHz"
				continue
			}
			set line "$m kHz ($src"
			if {$req != $m} {
				append line ", $req kHz requested"
			}
			lappend ev used_speed "$line)"
		}
		set used [lsort -integer -decreasing -unique $used]
		set ladder [stlink_diag_wire_ladder $table $used]
	}
	# -quick: one connect at the configured speed, no error rate
	set measure 1
	if {[dict get $facts opt.quick]} {
		set ladder [list $configured]
		set used [list $configured]
		set measure 0
		lappend ev error_rate "not measured (-quick)"
	}
	dict set facts link.used_khz $used

	# the connect ladder, fastest first; the short error-rate check at the
	# first speed below the used ones rides on it (no extra speed change)
	set results [dict create]
	set statuses {}
	set lower_khz ""
	foreach khz $ladder {
		set r [stlink_diag_wire_try facts $khz]
		set linked [dict get $r connected]
		if {$measure && $lower_khz eq "" && $khz ne "fixed" && $khz < [lindex $used end] && [dict get $r ok] > 0} {
			set r [stlink_diag_wire_measure $r $khz 256 6 2]
			set linked [dict get $r er_linked]
			set lower_khz $khz
		}
		set cur $khz
		dict set results $khz $r
		lappend statuses {*}[dict get $r statuses]
	}
	# the error rate at the speeds OpenOCD will use, the configured one last:
	# the link stays there for the next layers, and an error flag the target
	# raised (a FAULT with STICKYERR) stays for the debug layer to see
	set used_errors 0
	set sticky 0
	if {$measure} {
		set order [lsearch -all -inline -not -exact $used $configured]
		if {$configured in $used} {
			lappend order $configured
		}
		foreach khz $order {
			set r [dict get $results $khz]
			if {[dict get $r ok] > 0 && !$sticky} {
				set linked [stlink_diag_wire_goto facts $khz $cur $linked]
				set cur $khz
				set r [stlink_diag_wire_measure $r $khz $stlink_diag_wire_errrate_words 12 3]
				set linked [dict get $r er_linked]
				set sticky [expr {[stlink_diag_get $r er_stopped] eq "sticky_error"}]
				dict set results $khz $r
				lappend statuses {*}[stlink_diag_get $r er_statuses]
			}
			if {![stlink_diag_wire_is_reliable $r]} {
				incr used_errors
			}
		}
		# errors at a used speed: down the ladder until a speed is clean
		if {$used_errors && !$sticky} {
			foreach khz $ladder {
				if {$khz eq "fixed" || $khz >= [lindex $used end]} {
					continue
				}
				set r [dict get $results $khz]
				if {[dict exists $r er_errors]} {
					if {[dict get $r er_errors] == 0} {
						break
					}
					continue
				}
				if {[dict get $r ok] == 0} {
					continue
				}
				set linked [stlink_diag_wire_goto facts $khz $cur $linked]
				set cur $khz
				set r [stlink_diag_wire_measure $r $khz [stlink_diag_wire_lower_words $khz] 8 2]
				set linked [dict get $r er_linked]
				dict set results $khz $r
				lappend statuses {*}[stlink_diag_get $r er_statuses]
				if {[stlink_diag_get $r er_errors 1] == 0} {
					break
				}
			}
		}
	}
	# refine: the table's speeds between the fastest reliable one and the
	# slowest failing one above it, from the top, until one is reliable
	# (when a used speed failed, reliable also means a clean short error rate)
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
				set cur $khz
				set linked [dict get $r connected]
				if {$used_errors && [dict get $r ok] == [dict get $r tries]} {
					set r [stlink_diag_wire_measure $r $khz 256 6 2]
					set linked [dict get $r er_linked]
				}
				dict set results $khz $r
				lappend statuses {*}[dict get $r statuses]
				if {[stlink_diag_wire_is_reliable $r]} {
					break
				}
			}
			set reliable [stlink_diag_wire_reliable $results]
		}
	}
	set measured {}
	foreach khz [expr {$configured eq "fixed" ? [dict keys $results] : [lsort -integer -decreasing [dict keys $results]]}] {
		set r [dict get $results $khz]
		if {[dict exists $r er_text]} {
			lappend measured [dict get $r er_text]
		}
		dict incr facts link.error_rate_reads [stlink_diag_get $r er_blocks 0]
		dict incr facts link.error_rate_waits [stlink_diag_get $r er_waits 0]
	}
	if {[llength $measured]} {
		lappend ev error_rate [join $measured "; "]
		dict set facts link.error_rate [join $measured "; "]
	}
	set event_speeds {}
	foreach {src req m evname} [lrange $used_list 4 end] {
		lappend event_speeds $src $m $evname
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
	if {$use ne "" && $use ne "fixed" && $cur eq $use && $linked} {
		lappend ev connect_at "$use kHz: connected (the error rate was measured there last)"
	} elseif {$use ne "" && $use ne "fixed"} {
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

	# the error rate at every speed it was measured at: errors at all of
	# them, the slowest included, point at ground or noise, not the clock
	set er_speeds [lmap k [dict keys $results] {expr {[dict exists $results $k er_errors] ? $k : [continue]}}]
	set er_bad [lmap k $er_speeds {expr {[dict get $results $k er_errors] > 0 ? $k : [continue]}}]
	set every_speed [expr {[llength $er_bad] >= 2 && [llength $er_bad] == [llength $er_speeds]}]
	set rates [expr {[llength $measured] ? " (error rate: [join $measured {; }])" : ""}]

	# contradictory evidence is reported as such, not resolved: a clean
	# speed above a failing one does not fit a signal-integrity limit
	set contra {}
	foreach khz [lsort -integer -decreasing [dict keys $results]] {
		set r [dict get $results $khz]
		if {$khz in $reliable || $khz eq "fixed"} {
			continue
		}
		foreach hi $reliable {
			if {$hi ne "fixed" && $hi > $khz} {
				lappend contra "clean at $hi kHz but [stlink_diag_wire_count_text $r] at $khz kHz"
				break
			}
		}
	}
	if {[llength $contra]} {
		lappend ev contradiction [join $contra "; "]
		dict set facts link.contradiction [join $contra "; "]
	}
	if {$every_speed || !$monotonic || ![llength $reliable] || !$final_ok} {
		set best [expr {[llength $reliable] ? "; the most reliable speed seen was [lindex $reliable 0] kHz" : ""}]
		set fix "connect GND between the ST-LINK and the target (a short wire next to SWDIO/SWCLK), keep the leads under 20 cm, avoid sharing the ground with motors or supplies$best"
		if {$every_speed} {
			# the reset layer's release tests and the rules read this: a
			# link measured to lose transfers at every clock
			dict set facts link.errors_every_speed [join [lsort -integer $er_bad] " "]
			set also [expr {[llength $contra] ? "; contradictory link results too: [join $contra {; }]" : ""}]
			return [stlink_diag_wire_verdict facts fail wire.intermittent \
				"transfer errors at every speed measured, [lindex [lsort -integer $er_bad] 0] kHz included$rates$also: a slower clock does not cure them: a missing or poor ground, or noise" \
				$ev $fix]
		}
		if {[llength $contra]} {
			return [stlink_diag_wire_verdict facts fail wire.intermittent \
				"contradictory link results: [join $contra {; }]; a speed limit cannot explain that: a missing or poor ground, noise, or a loose connector" \
				$ev "connect GND between the ST-LINK and the target (a short wire next to SWDIO/SWCLK), check the connector, keep the leads under 20 cm$best"]
		}
		return [stlink_diag_wire_verdict facts fail wire.intermittent \
			"the target answers only some of the time, at every speed$rates: a missing or poor ground, or noise" \
			$ev $fix]
	}
	set failing_above [expr {[lindex $reliable 0] ne [lindex [lsort -integer -decreasing [dict keys $results]] 0]}]
	set best [lindex $reliable 0]
	set override "\$_TARGETNAME configure -event reset-start {adapter speed $best}"
	# the speeds OpenOCD will use that failed: the configured one, then the
	# target config's event speeds
	if {$configured ni $reliable} {
		set src [lindex $used_list 0]
		dict set facts link.used_speed_failing "$configured ($src)"
		set events [expr {[llength $event_speeds] ? "; the target config raises the speed in its events too: after -f target/... also $override" : "; target configs that set the speed on reset, like stm32f4x.cfg, also need: $override"}]
		return [stlink_diag_wire_verdict facts fail wire.low_speed_only \
			"errors at the $configured kHz OpenOCD will use ($src), none at $best kHz and below$rates: signal integrity (long or flying leads, weak ground)" \
			$ev "adapter speed $best  (after -f target/...)$events. Shorter SWD leads and a solid ground allow faster clocks"]
	}
	foreach {src m evname} $event_speeds {
		if {$m ni $reliable} {
			dict set facts link.used_speed_failing "$m ($src)"
			return [stlink_diag_wire_verdict facts fail wire.low_speed_only \
				"clean at the configured $configured kHz but errors at the $m kHz of $src$rates: signal integrity (long or flying leads, weak ground)" \
				$ev "after -f target/...: \$_TARGETNAME configure -event $evname {adapter speed $best}  (and adapter speed $best). Shorter SWD leads and a solid ground allow faster clocks"]
		}
	}
	set note [expr {$failing_above ? ", fails above $best kHz" : ""}]
	if {$configured eq "fixed"} {
		return [stlink_diag_layer wire ok wire.ok "the target answers on SWD at the firmware's fixed speed$rates" $ev]
	}
	return [stlink_diag_layer wire ok wire.ok \
		"the target answers on SWD at $configured kHz, the speed OpenOCD will use ([lindex $used_list 0]; highest reliable speed $best kHz$note)" $ev]
}

# A failing wire record whose summary and fix the rules can name when later
# layers fail from the same transfer errors (facts wire.summary, wire.fix).
proc stlink_diag_wire_verdict {factsVar status id summary ev fix} {
	upvar $factsVar facts
	dict set facts wire.summary $summary
	dict set facts wire.fix $fix
	return [stlink_diag_layer wire $status $id $summary $ev $fix]
}

# "2/3 connects, 3 errors in 40 transfers"
proc stlink_diag_wire_count_text {r} {
	set text "[dict get $r ok]/[dict get $r tries] connects"
	if {[dict exists $r er_errors]} {
		set n [dict get $r er_errors]
		append text ", $n error[expr {$n == 1 ? {} : {s}}] in [dict get $r er_transfers] transfers"
	}
	return $text
}

# {event kHz ...}: the `adapter speed` lines in the loaded targets'
# reset-start and examine events (stm32f4x.cfg: reset-start 2000 kHz), also
# inside a proc the event calls (stm32f0x.cfg: stm32f0x_default_reset_start).
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
			set first [lindex [split [string trim $body]] 0]
			if {$first ne "" && ![catch {info body $first} pbody]} {
				append body "\n" $pbody
			}
			foreach {- khz} [regexp -all -inline {adapter\s+speed\s+(\d+)} $body] {
				lappend out $ev $khz
			}
		}
	}
	return $out
}

# A speed where every connect succeeded and the error rate, where it was
# measured, showed no error.
proc stlink_diag_wire_is_reliable {r} {
	return [expr {[dict get $r ok] > 0 && [dict get $r ok] == [dict get $r tries] \
		&& [stlink_diag_get $r er_errors 0] == 0}]
}

# Reliable speeds, fastest first.
proc stlink_diag_wire_reliable {results} {
	set out {}
	foreach khz [dict keys $results] {
		if {[stlink_diag_wire_is_reliable [dict get $results $khz]]} {
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
# changing the speed would disturb it, so only DPIDR reads at its speed
# (three of them).
set stlink_diag_wire_live_reads 3

proc stlink_diag_wire_live {factsVar} {
	upvar $factsVar facts
	global stlink_diag_wire_live_reads
	set ev [list connection "OpenOCD's live connection: DPIDR reads at its speed, no speed ladder"]
	if {[catch {adapter speed} line] || ![regexp {(\d+) kHz} $line -> khz]} {
		set khz [string trim [stlink_probe configured_speed]]
	}
	dict set facts link.speed_khz $khz
	lappend ev speed_khz $khz
	set n [expr {[dict get $facts opt.quick] ? 1 : $stlink_diag_wire_live_reads}]
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
