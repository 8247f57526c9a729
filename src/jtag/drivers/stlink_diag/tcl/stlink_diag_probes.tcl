# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag probes: every ST-LINK on USB, and the line that picks each one.
# Compiled into OpenOCD (startup_tcl.inc); stlink_diag dispatches to it.

# Programs known to hold an ST-LINK, by process name: what the user knows them as.
set stlink_diag_holders {
	openocd             "another OpenOCD"
	st-util             "st-util (stlink-org's GDB server)"
	ST-LINK_gdbserver   "ST's GDB server (STM32CubeIDE)"
	ST-LINK_gdbse       "ST's GDB server (STM32CubeIDE)"
	stlink-server       "ST's stlink-server"
	STM32CubeProgrammer "STM32CubeProgrammer"
	STM32_Programmer_CLI "STM32CubeProgrammer"
	STM32_Programme     "STM32CubeProgrammer"
	pyocd               "pyOCD"
	probe-rs            "probe-rs"
	JLinkGDBServer      "SEGGER's GDB server"
}

# Who holds a busy probe, in words; "" when nobody could be named.
proc stlink_diag_holder_text {p} {
	global stlink_diag_holders
	set name [stlink_diag_get $p holder_name]
	if {$name eq ""} {
		return ""
	}
	set what [stlink_diag_get $stlink_diag_holders $name $name]
	return "$what (pid [dict get $p holder_pid]: [stlink_diag_get $p holder_cmdline $name])"
}

# One probe in one line of words.
proc stlink_diag_probe_line {p} {
	set parts [list "[dict get $p model] ([dict get $p vid]:[dict get $p pid])"]
	if {[dict get $p serial] ne ""} {
		lappend parts "serial [dict get $p serial]"
	}
	lappend parts "at USB [dict get $p location]"
	if {[dict get $p firmware] ne ""} {
		lappend parts "firmware [dict get $p firmware]"
	}
	switch -exact -- [dict get $p state] {
		this_openocd { lappend parts "in use by this OpenOCD" }
		no_permission { lappend parts "no permission to open it ([dict get $p open_error])" }
		cannot_open { lappend parts "cannot be opened ([dict get $p open_error])" }
		busy {
			set who [stlink_diag_holder_text $p]
			lappend parts [expr {$who eq "" ? "busy: another program holds it" : "busy: held by $who"}]
		}
		cannot_claim { lappend parts "cannot be claimed ([dict get $p claim_error])" }
		default { lappend parts "mode [dict get $p mode]" }
	}
	if {![dict get $p listed]} {
		lappend parts "PID not in the selected interface cfg"
	}
	return [join $parts ", "]
}

proc stlink_diag_probes {args} {
	if {[llength $args] > 1 || ([llength $args] == 1 && [lindex $args 0] ni {-dict -json})} {
		return -code error "usage: stlink_diag probes \[-dict | -json\]"
	}
	set before_init [expr {[command mode] eq "config"}]
	if {[info commands stlink_probe] eq ""} {
		lassign [stlink_diag_open_finding [dict create id host.no_driver]] summary fix
		set out "stlink_diag probes: $summary: $fix"
		if {$before_init} {
			echo $out
			shutdown error
		}
		return -code error $out
	}
	set probes [stlink_probe list]
	switch -exact -- [lindex $args 0] {
		-dict { return $probes }
		-json {
			set items {}
			foreach p $probes {
				set pairs {}
				foreach {k v} $p {
					if {$k in {hw known_to_openocd listed can_open can_claim serial_binary stm8_only
							mode_code holder_pid}} {
						lappend pairs $k [json_num $v]
					} else {
						lappend pairs $k [json_str $v]
					}
				}
				lappend items [json_obj $pairs]
			}
			set out [json_obj [list schema [json_str stlink_diag_probes/1] probes [json_arr $items]]]
		}
		default {
			set n [llength $probes]
			set lines [list "stlink_diag probes: $n ST-LINK[expr {$n == 1 ? "" : "s"}] on USB"]
			if {$n == 0} {
				lappend lines "  none: plug the ST-LINK in with a data cable (not a charge-only one);\
					'lsusb -d 0483:' lists what the system sees"
			}
			# a serial seen twice cannot pick a probe (clones often share one)
			set seen [dict create]
			foreach p $probes {
				dict incr seen [dict get $p adapter_serial]
			}
			set i 0
			foreach p $probes {
				incr i
				lappend lines "  $i. [stlink_diag_probe_line $p]"
				if {$n > 1 && [dict get $seen [dict get $p adapter_serial]] > 1} {
					lappend lines "     to pick it: adapter usb location [dict get $p location]\
						(its serial is shared by another probe, a sign of clones)"
				} elseif {$n > 1 && [dict get $p adapter_serial] ne ""} {
					lappend lines "     to pick it: adapter serial \"[dict get $p adapter_serial]\"\
						(or: adapter usb location [dict get $p location])"
				} elseif {$n > 1} {
					lappend lines "     to pick it: adapter usb location [dict get $p location]"
				}
			}
			set out [join $lines "\n"]
		}
	}
	if {$before_init} {
		echo $out
		shutdown
		return
	}
	return $out
}
