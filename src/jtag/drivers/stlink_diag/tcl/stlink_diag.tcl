# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag: diagnose why an ST-LINK cannot reach its STM32.
# The entry point and the sequence of layers. Compiled into OpenOCD
# (startup_tcl.inc), so no -f is needed.

# The options, one row each: option {key kind help}. kind "flag" sets key to
# 1; "seconds" and "name" take the next argument. Later checks read them
# from the facts as opt.<key>.
set stlink_diag_options {
	-json     {form    json    "print the report as one JSON object (schema stlink_diag/1)"}
	-dict     {form    dict    "return the report as a Tcl dict (for scripts)"}
	-passive  {passive flag    "never reset or halt the target; say which checks that skips"}
	-quick    {quick   flag    "one connect at the configured speed instead of the speed ladder"}
	-watch    {watch   seconds "also sample the link and the voltage for SECONDS (1..3600); report drops"}
	-target   {target  name    "the part that should be there (e.g. stm32f4x or STM32F407), when no target config is loaded"}
	-v        {verbose flag    "show every layer's evidence and the rules that could not be checked"}
	-help     {help    flag    "print this usage"}
}

proc stlink_diag_usage {} {
	global stlink_diag_options stlink_diag_layer_names
	set lines [list "usage: stlink_diag \[probes\] \[option ...\]"]
	if {[info procs stlink_diag_probes] ne ""} {
		lappend lines "  probes     list every ST-LINK on USB and the line to pick each one"
	}
	lappend lines "  step LAYER run one layer (and the layers it needs): [join $stlink_diag_layer_names {, }]"
	lappend lines "  guide      the troubleshooting guide's sections and the layers that check them"
	foreach {opt row} $stlink_diag_options {
		lassign $row key kind help
		set arg [expr {$kind in {seconds name} ? " [string toupper $kind]" : ""}]
		lappend lines [format "  %-10s %s" "$opt$arg" $help]
	}
	return [join $lines "\n"]
}

# Parse args into a dict of options; errors name the bad argument.
proc stlink_diag_parse_options {argv} {
	global stlink_diag_options
	set opts [dict create form text]
	foreach {opt row} $stlink_diag_options {
		lassign $row key kind
		if {$kind in {flag seconds}} {
			dict set opts $key 0
		}
	}
	for {set i 0} {$i < [llength $argv]} {incr i} {
		set a [lindex $argv $i]
		if {![dict exists $stlink_diag_options $a]} {
			return -code error "stlink_diag: unknown option '$a'\n[stlink_diag_usage]"
		}
		lassign [dict get $stlink_diag_options $a] key kind
		switch -exact -- $kind {
			flag { dict set opts $key 1 }
			seconds {
				incr i
				set v [lindex $argv $i]
				if {![string is integer -strict $v] || $v < 1 || $v > 3600} {
					return -code error "stlink_diag: $a needs a number of seconds from 1 to 3600, not '$v'"
				}
				dict set opts $key $v
			}
			name {
				incr i
				if {$i >= [llength $argv]} {
					return -code error "stlink_diag: $a needs a name"
				}
				dict set opts $key [lindex $argv $i]
			}
			default { dict set opts $key $kind }
		}
	}
	return $opts
}

# What each layer needs before it can run, declared: "layer X" (that layer
# did not fail) or "fact KEY" (an earlier layer established it). A layer
# whose needs are not met is reported as blocked, naming the need. A
# configuration mismatch or a warning never blocks: the facts a link
# establishes are what the later layers need.
set stlink_diag_layer_needs {
	host {}
	probe {layer host}
	power {layer probe}
	wire {layer probe}
	debug {fact dp.dpidr}
	reset {layer probe}
	boot {fact core.cpuid}
	protection {fact mcu.family}
	firmware {fact core.cpuid}
}

# What a needed fact means, for the "blocked" line: {layer what}.
set stlink_diag_fact_sources {
	dp.dpidr {wire "a debug port that answers"}
	core.cpuid {debug "a readable core (CPUID)"}
	mcu.family {debug "an identified STM32 family"}
}

# The layers a step needs, itself included, in checking order.
proc stlink_diag_step_closure {name} {
	global stlink_diag_layer_needs stlink_diag_fact_sources
	set want [list $name]
	foreach {kind what} [dict get $stlink_diag_layer_needs $name] {
		set need [expr {$kind eq "layer" ? $what : [lindex [dict get $stlink_diag_fact_sources $what] 0]}]
		foreach n [stlink_diag_step_closure $need] {
			if {$n ni $want} {
				set want [linsert $want 0 $n]
			}
		}
	}
	return $want
}

# "" when the layer's needs are met, else the sentence that says which is not.
# A need on a layer that was itself blocked names the layer that failed.
proc stlink_diag_unmet_need {name status facts {root {}}} {
	global stlink_diag_layer_needs stlink_diag_fact_sources
	foreach {kind what} [dict get $stlink_diag_layer_needs $name] {
		if {$kind eq "layer" && [stlink_diag_get $status $what] in {fail skipped}} {
			if {[dict exists $root $what]} {
				return "not checked: the [dict get $root $what] layer failed"
			}
			return "not checked: the $what layer [expr {[dict get $status $what] eq "fail" ? "failed" : "was not checked"}]"
		}
		if {$kind eq "fact" && [stlink_diag_get $facts $what] eq ""} {
			lassign [dict get $stlink_diag_fact_sources $what] by text
			if {[dict exists $root $by]} {
				return "not checked: the [dict get $root $by] layer failed"
			}
			return "not checked: needs $text ($what), which the $by layer did not establish"
		}
	}
	return ""
}

# Run one layer: its record, with the WAITs it met and a probe lost during
# it turned into evidence and finding.
proc stlink_diag_run_layer {name factsVar} {
	upvar $factsVar facts
	global stlink_diag_guide
	# a probe that stops answering (unplugged, re-enumerated) fails the
	# layer it happened in, whatever that layer made of the missing replies
	set lost_before [stlink_diag_transport_errors]
	set waits_before [stlink_diag_waits]
	set failed [catch {stlink_diag_layer_$name facts} record]
	if {[stlink_diag_transport_errors] > $lost_before} {
		set record [stlink_diag_layer_lost $name [expr {$failed ? {} : $record}]]
	} elseif {$failed} {
		return -code error $record
	}
	# every WAIT the probe retried through is evidence of the layer that met it
	set waits [expr {[stlink_diag_waits] - $waits_before}]
	if {$waits > 0} {
		set st [dict get [stlink_probe stats] wait_status]
		dict set record evidence [concat [dict get $record evidence] \
			[list reads_waits $waits wait_status "$st [dict get [stlink_probe status $st] status_name]"]]
	}
	set section [stlink_diag_guide_section $name]
	if {$section ne ""} {
		dict set record guide [dict get $stlink_diag_guide $section title]
	}
	return $record
}

# The order the layers run in: the report's order, except that the reset
# layer, whose tests reset the target, runs last, so that the layers before
# it see the target as the application left it (a crash, a lockup or a
# watchdog a few milliseconds after reset would otherwise be undone by our
# own resets). Nothing the other layers read comes from the reset layer.
proc stlink_diag_exec_order {} {
	global stlink_diag_layer_names
	set order [lsearch -all -inline -not -exact $stlink_diag_layer_names reset]
	return [linsert $order end reset]
}

# The layers, in running order; returns the records in the report's order.
# Each layer only observes.
proc stlink_diag_run_layers {factsVar only} {
	upvar $factsVar facts
	global stlink_diag_layer_names
	set wanted [expr {$only eq "" ? $stlink_diag_layer_names : [stlink_diag_step_closure $only]}]
	set records [dict create]
	set status [dict create]
	set root [dict create]
	set started [ms]
	foreach name [stlink_diag_exec_order] {
		# a diagnosis that has taken more than a second says where it is
		if {[ms] - $started > 1000} {
			stlink_diag_progress "checking $name"
		}
		if {$name ni $wanted} {
			dict set records $name [stlink_diag_layer $name skipped $name.not_requested \
				"not requested: stlink_diag step $only"]
			dict set status $name skipped
			continue
		}
		set unmet [stlink_diag_unmet_need $name $status $facts $root]
		if {$unmet ne ""} {
			dict set records $name [stlink_diag_layer $name skipped $name.blocked $unmet]
			dict set status $name skipped
			if {[regexp {the (\w+) layer failed} $unmet -> by]} {
				dict set root $name $by
			}
			continue
		}
		set record [stlink_diag_run_layer $name facts]
		dict set records $name $record
		dict set status $name [dict get $record status]
	}
	if {[stlink_diag_get $facts held_at_reset_vector 0]} {
		stlink_diag_run_held facts records status
	}
	return [lmap name $stlink_diag_layer_names {dict get $records $name}]
}

# The layers whose observations are about the running application: they
# never run on a core held at its reset vector (what they would see there
# is the reset state, not what the application does).
set stlink_diag_running_layers {debug firmware}

# One more pass after the reset layer halted the core at its reset vector
# (stlink_diag_reset_hold_at_vector): a blocked layer whose needs are met
# now runs, its record marked as read there; then the core runs again.
proc stlink_diag_run_held {factsVar recordsVar statusVar} {
	upvar $factsVar facts $recordsVar records $statusVar status
	global stlink_diag_running_layers
	set note "read with the core held at its reset vector"
	foreach name [stlink_diag_exec_order] {
		if {[dict get $records $name id] ne "$name.blocked" \
			|| [stlink_diag_unmet_need $name $status $facts] ne ""} {
			continue
		}
		if {$name in $stlink_diag_running_layers} {
			dict set records $name summary "not checked: the core answers only under reset or held at its reset vector, and this layer observes the running application"
			continue
		}
		if {[catch {stlink_diag_run_layer $name facts} record]} {
			# the core must not stay halted because a layer failed
			stlink_diag_reset_resume facts
			return -code error $record
		}
		if {[string first $note [dict get $record summary]] < 0} {
			dict set record summary "[dict get $record summary] ($note)"
		}
		dict set record evidence [concat [list held_at_reset_vector $note] [dict get $record evidence]]
		dict set records $name $record
		dict set status $name [dict get $record status]
	}
	set ev [stlink_diag_reset_resume facts]
	dict set records reset evidence [concat [dict get $records reset evidence] $ev]
}

# Layers whose finding the correlation step found normal show it as ok,
# with the reason.
proc stlink_diag_mark_normal {layers normal} {
	return [lmap l $layers {
		if {[dict exists $normal [dict get $l id]] && [dict get $l status] in {warn fail}} {
			lassign [dict get $normal [dict get $l id]] id summary
			dict set l status ok
			dict set l id $id
			dict set l summary "$summary (a normal condition)"
			dict set l fix ""
		}
		set l
	}]
}

proc stlink_diag_run {opts} {
	set facts [dict create]
	foreach {k v} $opts {
		dict set facts opt.$k $v
	}
	set stage [expr {[command mode] eq "config" ? "before_init" : "after_init"}]
	set layers [stlink_diag_run_layers facts [stlink_diag_get $opts only]]

	set o [stlink_diag_get $facts open]
	set context [dict create driver [stlink_diag_get $o driver none] \
		backend [stlink_diag_get $o backend none] port [stlink_diag_get $o port 0] \
		stage $stage passive [dict get $opts passive]]
	set stats [dict create round_trips 0 server_requests 0]
	if {[info commands stlink_probe] ne ""} {
		set stats [stlink_probe stats]
		stlink_probe close
	}
	set verdict [stlink_diag_verdict $layers $facts]
	set layers [stlink_diag_mark_normal $layers [dict get $verdict normal]]
	set exit_status 0
	if {[dict get $verdict id] eq "host.no_driver"} {
		# nothing could be asked: a usage error, like a bad option
		set exit_status 1
	} elseif {[dict get $verdict status] eq "fail"} {
		set exit_status [stlink_diag_exit_status_of [dict get $verdict layer]]
	}
	set public_facts [dict create]
	foreach {k v} $facts {
		# the raw replies stay out of the report; their decoded values are in
		if {[string first . $k] > 0 && ![string match opt.* $k]} {
			dict set public_facts $k $v
		}
	}
	return [dict create context $context verdict $verdict layers $layers facts $public_facts \
		checklist [stlink_diag_guide_checklist $layers] \
		exit_status $exit_status round_trips [dict get $stats round_trips] \
		server_requests [dict get $stats server_requests]]
}

proc stlink_diag {args} {
	# subcommands: each is a proc stlink_diag_<name> in its own file
	set sub [lindex $args 0]
	if {$sub in {probes guide} && [info procs stlink_diag_$sub] ne ""} {
		return [stlink_diag_$sub {*}[lrange $args 1 end]]
	}
	# `stlink_diag step LAYER ...`: that layer and the ones it needs
	set only ""
	if {$sub eq "step"} {
		global stlink_diag_layer_names
		set only [lindex $args 1]
		if {$only ni $stlink_diag_layer_names} {
			return -code error "stlink_diag step: '$only' is not a layer; one of: $stlink_diag_layer_names"
		}
		set args [lrange $args 2 end]
	}
	set opts [stlink_diag_parse_options $args]
	dict set opts only $only
	if {[dict get $opts help]} {
		return [stlink_diag_usage]
	}
	set form [dict get $opts form]

	set before_init [expr {[command mode] eq "config"}]
	if {[catch {stlink_diag_run $opts} report]} {
		catch {stlink_probe close}
		if {$before_init} {
			echo "stlink_diag: internal error: $report"
			shutdown error
		}
		return -code error "stlink_diag: internal error: $report"
	}

	switch -exact -- $form {
		json { set out [stlink_diag_json $report] }
		dict { set out $report }
		default { set out [stlink_diag_text $report [dict get $opts verbose]] }
	}

	# -dict is for scripts: the report goes back to the caller, also before
	# init, and the caller decides what happens next.
	if {!$before_init || $form eq "dict"} {
		return $out
	}
	# Before init (openocd -f interface/... -c stlink_diag): report, then
	# exit with the verdict's status instead of going on to `init`, which
	# would only repeat OpenOCD's own fatal error.
	echo $out
	if {[info commands stlink_probe] ne ""} {
		stlink_probe exit_status [dict get $report exit_status]
	} elseif {[dict get $report exit_status]} {
		shutdown error
	}
	shutdown
}

add_help_text stlink_diag "diagnose the ST-LINK and the target behind it, layer by layer"
add_usage_text stlink_diag "\[probes | guide | step layer\] \[-json | -dict\] \[-v\] \[-passive\] \[-quick\] \[-watch seconds\] \[-target name\]"
