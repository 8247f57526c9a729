# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag: diagnose why an ST-LINK cannot reach its STM32.
# The entry point and the sequence of layers. Compiled into OpenOCD
# (startup_tcl.inc), so no -f is needed.

proc stlink_diag_usage {} {
	return "usage: stlink_diag \[-json | -dict\] \[-passive\]"
}

# Walk the layers in order and build the report dict.
proc stlink_diag_run {passive} {
	set facts [dict create]
	set layers {}
	set stage [expr {[command mode] eq "config" ? "before_init" : "after_init"}]

	set host [stlink_diag_layer_host facts]
	lappend layers $host
	set o [dict get $facts open]
	set context [dict create driver [stlink_diag_get $o driver none] \
		backend [stlink_diag_get $o backend none] port [stlink_diag_get $o port 0] \
		stage $stage passive $passive]

	if {[dict get $host status] eq "fail"} {
		foreach name {probe power wire debug reset boot protection firmware} {
			lappend layers [stlink_diag_layer_blocked $name host]
		}
	} else {
		set probe [stlink_diag_layer_probe facts]
		lappend layers $probe
		if {[dict get $probe status] eq "fail"} {
			foreach name {power wire debug reset boot protection firmware} {
				lappend layers [stlink_diag_layer_blocked $name probe]
			}
		} else {
			# the voltage is read before any SWD traffic, as OpenOCD's init does
			stlink_diag_read_voltage facts
			set wire [stlink_diag_layer_wire facts]
			lappend layers [stlink_diag_layer_power facts [dict get $wire status]]
			lappend layers $wire
			if {[dict get $wire status] eq "fail"} {
				lappend layers [stlink_diag_layer_blocked debug wire]
			} else {
				lappend layers [stlink_diag_layer_debug facts]
			}
			lappend layers [stlink_diag_layer reset skipped reset.not_implemented \
				"not checked yet: the NRST and connect-under-reset tests are not implemented"]
			lappend layers [stlink_diag_layer boot skipped boot.not_implemented \
				"not checked yet: the boot source check is not implemented"]
			lappend layers [stlink_diag_layer protection skipped protection.not_implemented \
				"not checked yet: the RDP and option-byte checks are not implemented"]
			lappend layers [stlink_diag_layer_firmware facts]
		}
	}

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
