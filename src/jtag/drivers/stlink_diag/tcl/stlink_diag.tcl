# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag: diagnose why an ST-LINK cannot reach its STM32.
# The entry point and the sequence of layers. Compiled into OpenOCD
# (startup_tcl.inc), so no -f is needed.

proc stlink_diag_usage {} {
	return "usage: stlink_diag \[-json | -dict\] \[-passive\]"
}

# Which earlier layers each layer needs: a layer whose needs failed is
# reported as blocked, not run. Connect under reset (reset) is tried even
# when a plain connect (wire) fails: that is when it helps.
set stlink_diag_layer_needs {
	host {}
	probe {host}
	power {probe}
	wire {probe}
	debug {wire}
	reset {probe}
	boot {debug}
	protection {debug}
	firmware {debug}
}

# Walk the layers in order and build the report dict.
proc stlink_diag_run {passive} {
	global stlink_diag_layer_names stlink_diag_layer_needs
	set facts [dict create passive $passive]
	set layers {}
	set status [dict create]
	set root [dict create]
	set stage [expr {[command mode] eq "config" ? "before_init" : "after_init"}]

	foreach name $stlink_diag_layer_names {
		# name the layer that failed, also when it blocked this one through
		# another blocked layer
		set blocked_by ""
		foreach need [dict get $stlink_diag_layer_needs $name] {
			if {[dict get $status $need] eq "fail"} {
				set blocked_by $need
			} elseif {[dict exists $root $need]} {
				set blocked_by [dict get $root $need]
			}
			if {$blocked_by ne ""} {
				break
			}
		}
		if {$blocked_by ne ""} {
			lappend layers [stlink_diag_layer_blocked $name $blocked_by]
			dict set status $name skipped
			dict set root $name $blocked_by
			continue
		}
		set record [stlink_diag_layer_$name facts]
		lappend layers $record
		dict set status $name [dict get $record status]
	}

	set o [stlink_diag_get $facts open]
	set context [dict create driver [stlink_diag_get $o driver none] \
		backend [stlink_diag_get $o backend none] port [stlink_diag_get $o port 0] \
		stage $stage passive $passive]
	set stats [dict create round_trips 0 server_requests 0]
	if {[info commands stlink_probe] ne ""} {
		set stats [stlink_probe stats]
		stlink_probe close
	}
	set verdict [stlink_diag_verdict $layers]
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
		if {[string first . $k] > 0} {
			dict set public_facts $k $v
		}
	}
	return [dict create context $context verdict $verdict layers $layers facts $public_facts \
		exit_status $exit_status round_trips [dict get $stats round_trips] \
		server_requests [dict get $stats server_requests]]
}

proc stlink_diag {args} {
	set form text
	set passive 0
	foreach a $args {
		switch -exact -- $a {
			-json { set form json }
			-dict { set form dict }
			-passive { set passive 1 }
			-help {
				return [stlink_diag_usage]
			}
			default {
				return -code error "stlink_diag: unknown option '$a'\n[stlink_diag_usage]"
			}
		}
	}

	set before_init [expr {[command mode] eq "config"}]
	if {[catch {stlink_diag_run $passive} report]} {
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
		default { set out [stlink_diag_text $report] }
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
add_usage_text stlink_diag "\[-json | -dict\] \[-passive\]"
