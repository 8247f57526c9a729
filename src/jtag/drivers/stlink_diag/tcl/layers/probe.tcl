# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag layer "probe": firmware version, features, mode.
# Compiled into OpenOCD (startup_tcl.inc).

# probe: firmware version, features, mode
proc stlink_diag_layer_probe {factsVar} {
	upvar $factsVar facts
	set o [stlink_diag_get $facts open]
	if {![stlink_diag_get $o ok 1]} {
		lassign [stlink_diag_open_finding $o] summary fix
		return [stlink_diag_layer probe fail [dict get $o id] $summary \
			[list driver_log [string trim [stlink_diag_get $o log]]] $fix]
	}
	set i [stlink_probe info]
	dict set facts info $i
	if {![dict get $i ok]} {
		lassign [stlink_diag_open_finding [dict create id probe.no_version]] summary fix
		return [stlink_diag_layer probe fail probe.no_version [dict get $i error] {} $fix]
	}
	foreach k {model vid pid serial firmware api} {
		dict set facts probe.$k [dict get $i $k]
	}
	if {[dict exists $i server_api]} {
		dict set facts probe.server_api [dict get $i server_api]
		dict set facts probe.server_version [dict get $i server_version]
	}
	set m [stlink_probe mode]
	dict set facts mode $m
	if {[dict get $m ok]} {
		dict set facts probe.mode [dict get $m name]
	}

	set ev [list model [dict get $i model] vid:pid "[dict get $i vid]:[dict get $i pid]" \
		firmware [dict get $i firmware] api [dict get $i api] serial [dict get $i serial] \
		mode [stlink_diag_get $facts probe.mode unknown] flags [dict get $i flags]]
	if {[dict exists $i server_api]} {
		lappend ev server "API v[dict get $i server_api] [dict get $i server_version]"
	}
	set lacks {}
	set cannot {}
	foreach {name without} [dict get $i missing] {
		lappend lacks $name
		lappend cannot $without
	}
	if {[llength $lacks]} {
		lappend ev lacks [join $lacks ,]
		# the same, in words (the feature table's "without" column)
		lappend ev cannot [join $cannot "; "]
	}
	set line [dict get $i line]
	set tool [dict get $i update_tool]

	# API 0 = hardware generation 0 or 4..15: no ST-LINK answers GET_VERSION like this
	if {[dict get $i api] == 0} {
		return [stlink_diag_layer probe fail probe.bad_version \
			"$line: the version reply names no known ST-LINK generation (a corrupted reply, or not an ST-LINK)" \
			$ev "unplug and replug the ST-LINK; if it persists, update its firmware with $tool"]
	}
	if {[dict get $i stm8_only]} {
		return [stlink_diag_layer probe fail probe.stm8_only \
			"$line: this firmware speaks only SWIM (STM8), not SWD or JTAG" $ev \
			"load the STM32 (Debug + Mass storage + VCP) firmware with $tool"]
	}
	if {[dict get $i driver] eq "st-link" && ![dict get $i meets_dap_direct]} {
		return [stlink_diag_layer probe fail probe.fw_too_old_for_dap \
			"$line: the st-link (dap-direct) driver needs firmware [dict get $i min_dap_direct] or later" $ev \
			"update the firmware with $tool, or use -f interface/stlink.cfg (hla)"]
	}
	set signs [stlink_diag_clone_signs $i]
	if {[llength $signs]} {
		lappend ev clone_signs [join [dict keys $signs] ,]
		return [stlink_diag_layer probe warn probe.clone_signs \
			"$line: this ST-LINK shows signs of a clone: [join [dict values $signs] {; }]" $ev \
			"a clone may work at a lower speed (adapter speed 1800 or less); do not update its firmware with ST's\
			 tool (it refuses or bricks non-genuine probes); for reliable work use a genuine ST-LINK or a\
			 Nucleo/Discovery board's on-board one"]
	}
	if {![dict get $i meets_recommended]} {
		return [stlink_diag_layer probe warn probe.fw_old \
			"$line: older than [dict get $i min_recommended], which OpenOCD's manual recommends" $ev \
			"update the firmware with $tool"]
	}
	return [stlink_diag_layer probe ok probe.ok $line $ev]
}

# Signs of a clone ST-LINK: combinations genuine probes never show. One row
# per sign: id, test on the `stlink_probe info` dict, and the reason.
# Sources: CKS32-based clone dongles report "STLINK V0J8S0 (API v0) VID:PID 0000:0000"
# (rust-embedded/book issue #380, probe-rs/probe-rs issue #209); GET_VERSION carries the VID the
# firmware reports (OpenOCD 0.12.0 stlink_usb.c, stlink_usb_version()); genuine serials are 24 hex
# digits, old V2 firmware's are 12 binary bytes (stlink_usb.c, stlink_usb_get_alternate_serial()).
set stlink_diag_clone_table {
	vid_not_st {[dict get $i vid] ne "0x0483"}
		"the firmware reports VID:PID [dict get $i vid]:[dict get $i pid] (genuine firmware always reports ST's\
		 0x0483; clone dongles with a CKS32 chip report 0000:0000)"
	serial_not_st {[dict get $i serial] ne "" && ![regexp {^[0-9A-Fa-f]{24}$} [dict get $i serial]] && [string length [dict get $i serial]] != 12}
		"serial '[dict get $i serial]' is neither 24 hex digits nor the 12 binary bytes of old V2 firmware"
}

# {id reason ...} of every sign the probe shows (empty for a genuine-looking probe).
proc stlink_diag_clone_signs {i} {
	global stlink_diag_clone_table
	set found [dict create]
	foreach {id test reason} $stlink_diag_clone_table {
		if [expr $test] {
			dict set found $id [subst $reason]
		}
	}
	return $found
}
