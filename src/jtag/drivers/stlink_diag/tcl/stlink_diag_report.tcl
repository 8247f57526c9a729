# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag report: the layer records, the verdict, and the three forms
# (text, Tcl dict, JSON). Compiled into OpenOCD (startup_tcl.inc).

# The layers in the order they are checked; the first that fails is the
# verdict. A layer's exit status (before init) is 10 + its index.
set stlink_diag_layer_names {host probe power wire debug reset boot protection firmware}
set stlink_diag_schema "stlink_diag/1"

# Value of key in dict d, or def when absent.
proc stlink_diag_get {d key {def ""}} {
	if {[dict exists $d $key]} {
		return [dict get $d $key]
	}
	return $def
}

# One layer's record. status: ok | warn | fail | skipped
proc stlink_diag_layer {name status id summary {evidence {}} {fix ""}} {
	return [dict create name $name status $status id $id summary $summary \
		evidence $evidence fix $fix]
}

# A layer that could not run because an earlier one failed.
proc stlink_diag_layer_blocked {name by} {
	return [stlink_diag_layer $name skipped $name.blocked "not checked: the $by layer failed"]
}

proc stlink_diag_exit_status_of {layer} {
	global stlink_diag_layer_names
	set i [lsearch -exact $stlink_diag_layer_names $layer]
	if {$i < 0} {
		return 0
	}
	return [expr {10 + $i}]
}

# The verdict: the root cause the correlation step (stlink_diag_rules.tcl)
# decides from every layer's findings. "ok" when no layer failed or warned
# (normal conditions are evidence); a partial run (step) says what it checked.
proc stlink_diag_verdict {layers facts} {
	set v [stlink_diag_decide $layers $facts]
	if {[dict get $v id] ne "verdict.ok"} {
		return $v
	}
	set checked {}
	set partial 0
	foreach l $layers {
		if {[dict get $l status] ne "skipped"} {
			lappend checked [dict get $l name]
		}
		if {[string match *.not_requested [dict get $l id]]} {
			set partial 1
		}
	}
	dict set v summary [expr {$partial ? "no layer failed among those checked: [join $checked {, }]" \
		: "no layer failed: the ST-LINK reaches the target"}]
	return $v
}

# ---- text -------------------------------------------------------------------

proc stlink_diag_text_evidence {evidence} {
	set ev {}
	foreach {k v} $evidence {
		if {[string first " " $v] >= 0} {
			set v "\"$v\""
		}
		lappend ev "$k=$v"
	}
	return [join $ev " "]
}

# The text form leads with the verdict, its evidence and its fix; then one
# line per layer (all evidence with -v, or for the layers that failed or warned).
proc stlink_diag_text {report {verbose 0}} {
	set lines {}
	set ctx [dict get $report context]
	lappend lines [format "stlink_diag: ST-LINK diagnosis (driver %s, %s backend%s, %s)" \
		[dict get $ctx driver] [dict get $ctx backend] \
		[expr {[dict get $ctx backend] eq "tcp" ? " port [dict get $ctx port]" : ""}] \
		[string map {_ " "} [dict get $ctx stage]]]
	set v [dict get $report verdict]
	if {[dict get $v layer] eq "none"} {
		lappend lines "verdict: ok: [dict get $v summary]"
	} else {
		lappend lines "verdict: [dict get $v layer] ([dict get $v id]): [dict get $v summary]"
		foreach {id ev} [stlink_diag_get $v observations] {
			lappend lines "  evidence ($id): [stlink_diag_text_evidence $ev]"
		}
		lappend lines "fix:     [dict get $v fix]"
	}
	foreach a [stlink_diag_get $v also] {
		lappend lines "also:    [dict get $a layer] ([dict get $a id]): [dict get $a summary]"
		if {[dict get $a fix] ne ""} {
			lappend lines "         fix: [dict get $a fix]"
		}
	}
	foreach {id check} [stlink_diag_get $v open] {
		lappend lines "open:    $id not ruled out: $check"
	}
	foreach l [dict get $report layers] {
		set status [dict get $l status]
		if {$status eq "fail"} {
			set status FAIL
		} elseif {$status eq "warn"} {
			set status WARN
		}
		lappend lines [format "  %-11s %-8s %s" [dict get $l name] $status [dict get $l summary]]
		if {[llength [dict get $l evidence]] && ($verbose || [dict get $l status] in {fail warn})} {
			lappend lines [format "  %-11s %-8s evidence: %s" "" "" [stlink_diag_text_evidence [dict get $l evidence]]]
		}
		if {[dict get $l fix] ne "" && [dict get $l status] in {fail warn}} {
			lappend lines [format "  %-11s %-8s fix: %s" "" "" [dict get $l fix]]
		}
	}
	if {$verbose} {
		foreach {rule why} [stlink_diag_get $v skipped_rules] {
			lappend lines "rule skipped: $rule ($why)"
		}
	}
	foreach {title items} [stlink_diag_get $report checklist] {
		lappend lines "check by hand ($title):"
		foreach item $items {
			lappend lines "  - $item"
		}
	}
	lappend lines [format "cost:    %d ST-LINK round trips, %d stlink-server requests" \
		[dict get $report round_trips] [dict get $report server_requests]]
	return [join $lines "\n"]
}

# ---- JSON --------------------------------------------------------------------
# Values are typed by the code that builds them: json_str, json_num, json_bool,
# json_null; objects and arrays take already-encoded members.

proc json_str {s} {
	set out "\""
	foreach c [split $s ""] {
		scan $c %c code
		if {$c eq "\""} {
			append out "\\\""
		} elseif {$c eq "\\"} {
			append out "\\\\"
		} elseif {$code < 0x20} {
			append out [format "\\u%04x" $code]
		} else {
			append out $c
		}
	}
	return "$out\""
}

proc json_num {n} {
	if {$n eq "" || ![string is double -strict $n]} {
		return null
	}
	return [expr {$n}]
}

proc json_bool {b} {
	return [expr {$b ? "true" : "false"}]
}

# A string, or null when empty (absent facts are null).
proc json_str_or_null {s} {
	if {$s eq ""} {
		return null
	}
	return [json_str $s]
}

proc json_obj {pairs} {
	set members {}
	foreach {k v} $pairs {
		lappend members "[json_str $k]:$v"
	}
	return "\{[join $members ,]\}"
}

proc json_arr {items} {
	return "\[[join $items ,]\]"
}

# Evidence values are strings: they are what was read, as it was shown.
proc json_evidence {evidence} {
	set pairs {}
	foreach {k v} $evidence {
		lappend pairs $k [json_str $v]
	}
	return [json_obj $pairs]
}

proc stlink_diag_json_checklist {checklist} {
	set sections {}
	foreach {title items} $checklist {
		set encoded {}
		foreach item $items {
			lappend encoded [json_str $item]
		}
		lappend sections [json_obj [list section [json_str $title] items [json_arr $encoded]]]
	}
	return [json_arr $sections]
}

# {finding-id evidence ...} as an object of evidence objects
proc stlink_diag_json_observations {obs} {
	set pairs {}
	foreach {id ev} $obs {
		lappend pairs $id [json_evidence $ev]
	}
	return [json_obj $pairs]
}

proc stlink_diag_json_verdict {v} {
	set also {}
	foreach a [stlink_diag_get $v also] {
		lappend also [json_obj [list \
			id [json_str [dict get $a id]] \
			layer [json_str [dict get $a layer]] \
			status [json_str [dict get $a status]] \
			rule [json_str [dict get $a rule]] \
			summary [json_str [dict get $a summary]] \
			fix [json_str_or_null [dict get $a fix]] \
			observations [stlink_diag_json_observations [dict get $a observations]]]]
	}
	set open {}
	foreach {id check} [stlink_diag_get $v open] {
		lappend open [json_obj [list id [json_str $id] check [json_str $check]]]
	}
	set skipped {}
	foreach {rule why} [stlink_diag_get $v skipped_rules] {
		lappend skipped [json_obj [list rule [json_str $rule] reason [json_str $why]]]
	}
	return [json_obj [list \
		layer [json_str [dict get $v layer]] \
		status [json_str [dict get $v status]] \
		id [json_str [dict get $v id]] \
		rule [json_str [stlink_diag_get $v rule none]] \
		summary [json_str [dict get $v summary]] \
		fix [json_str_or_null [dict get $v fix]] \
		observations [stlink_diag_json_observations [stlink_diag_get $v observations]] \
		also [json_arr $also] \
		open [json_arr $open] \
		skipped_rules [json_arr $skipped]]]
}

proc stlink_diag_json {report} {
	set layers {}
	foreach l [dict get $report layers] {
		lappend layers [json_obj [list \
			name [json_str [dict get $l name]] \
			status [json_str [dict get $l status]] \
			id [json_str [dict get $l id]] \
			summary [json_str [dict get $l summary]] \
			evidence [json_evidence [dict get $l evidence]] \
			fix [json_str_or_null [dict get $l fix]] \
			guide [json_str_or_null [stlink_diag_get $l guide]]]]
	}
	set v [dict get $report verdict]
	set f [dict get $report facts]
	set ctx [dict get $report context]
	global stlink_diag_schema
	return [json_obj [list \
		schema [json_str $stlink_diag_schema] \
		context [json_obj [list \
			driver [json_str [dict get $ctx driver]] \
			backend [json_str [dict get $ctx backend]] \
			port [json_num [dict get $ctx port]] \
			stage [json_str [dict get $ctx stage]] \
			passive [json_bool [dict get $ctx passive]]]] \
		verdict [stlink_diag_json_verdict $v] \
		exit_status [json_num [dict get $report exit_status]] \
		checklist [stlink_diag_json_checklist [stlink_diag_get $report checklist]] \
		layers [json_arr $layers] \
		facts [json_obj [list \
			probe [json_obj [list \
				model [json_str_or_null [stlink_diag_get $f probe.model]] \
				vid [json_str_or_null [stlink_diag_get $f probe.vid]] \
				pid [json_str_or_null [stlink_diag_get $f probe.pid]] \
				serial [json_str_or_null [stlink_diag_get $f probe.serial]] \
				firmware [json_str_or_null [stlink_diag_get $f probe.firmware]] \
				api [json_num [stlink_diag_get $f probe.api]] \
				mode [json_str_or_null [stlink_diag_get $f probe.mode]] \
				server_api [json_num [stlink_diag_get $f probe.server_api]] \
				server_version [json_str_or_null [stlink_diag_get $f probe.server_version]]]] \
			target [json_obj [list \
				voltage [json_num [stlink_diag_get $f target.voltage]]]] \
			link [json_obj [list \
				speed_khz [json_num [stlink_diag_get $f link.speed_khz]] \
				enter_status [json_str_or_null [stlink_diag_get $f link.enter_status]]]] \
			dp [json_obj [list \
				dpidr [json_str_or_null [stlink_diag_get $f dp.dpidr]] \
				designer [json_str_or_null [stlink_diag_get $f dp.designer]] \
				version [json_str_or_null [stlink_diag_get $f dp.version]]]] \
			ap [json_obj [list \
				idr [json_str_or_null [stlink_diag_get $f ap.idr]] \
				type [json_str_or_null [stlink_diag_get $f ap.type]]]] \
			core [json_obj [list \
				cpuid [json_str_or_null [stlink_diag_get $f core.cpuid]] \
				name [json_str_or_null [stlink_diag_get $f core.name]] \
				revision [json_str_or_null [stlink_diag_get $f core.revision]] \
				dhcsr [json_str_or_null [stlink_diag_get $f core.dhcsr]] \
				state [json_str_or_null [stlink_diag_get $f core.state]]]] \
			mcu [json_obj [list \
				idcode [json_str_or_null [stlink_diag_get $f mcu.idcode]] \
				idcode_addr [json_str_or_null [stlink_diag_get $f mcu.idcode_addr]] \
				dev_id [json_str_or_null [stlink_diag_get $f mcu.dev_id]] \
				rev_id [json_str_or_null [stlink_diag_get $f mcu.rev_id]] \
				name [json_str_or_null [stlink_diag_get $f mcu.name]] \
				family [json_str_or_null [stlink_diag_get $f mcu.family]] \
				revision [json_str_or_null [stlink_diag_get $f mcu.revision]] \
				flash_kb [json_num [stlink_diag_get $f mcu.flash_kb]] \
				sram_kb [json_num [stlink_diag_get $f mcu.sram_kb]] \
				uid [json_str_or_null [stlink_diag_get $f mcu.uid]] \
				clone [json_str_or_null [stlink_diag_get $f mcu.clone]]]] \
			protection [json_obj [list \
				rdp_level [json_str_or_null [stlink_diag_get $f protection.rdp_level]] \
				rdp_raw [json_str_or_null [stlink_diag_get $f protection.rdp_raw]] \
				register [json_str_or_null [stlink_diag_get $f protection.register]] \
				value [json_str_or_null [stlink_diag_get $f protection.value]] \
				wrp_count [json_num [stlink_diag_get $f protection.wrp_count]] \
				regress [json_str_or_null [stlink_diag_get $f protection.regress]]]] \
			boot [json_obj [list \
				source [json_str_or_null [stlink_diag_get $f boot.source]] \
				empty_flash [json_num [stlink_diag_get $f boot.empty_flash]] \
				flash_read [json_str_or_null [stlink_diag_get $f boot.flash_read]]]] \
			options [json_obj [list \
				surprises [json_arr [lmap s [stlink_diag_get $f options.surprises] {json_str $s}]]]]]] \
		round_trips [json_num [dict get $report round_trips]] \
		server_requests [json_num [dict get $report server_requests]]]]
}
