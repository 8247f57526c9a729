# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag layer "host": can the probe be opened at all (USB, permission,
# busy, stlink-server)? Compiled into OpenOCD (startup_tcl.inc).

# host: can the probe be opened at all (USB, permission, busy, server)?
proc stlink_diag_layer_host {factsVar} {
	upvar $factsVar facts
	if {[info commands stlink_probe] eq ""} {
		# the commands come with the hla or st-link adapter driver
		set o [dict create ok 0 driver none backend none port 0 id host.no_driver \
			summary "no ST-LINK adapter driver is selected" \
			fix "put -f interface/stlink.cfg (hla) or -f interface/stlink-dap.cfg (dap-direct) before -c stlink_diag"]
	} else {
		set o [stlink_probe open]
	}
	dict set facts open $o
	set ev [list driver [stlink_diag_get $o driver] backend [stlink_diag_get $o backend]]
	if {[stlink_diag_get $o port 0] != 0} {
		lappend ev port [dict get $o port]
	}
	if {![dict get $o ok]} {
		set log [string trim [stlink_diag_get $o log]]
		if {$log ne ""} {
			lappend ev driver_log [join [split $log "\n"] "; "]
		}
		if {[stlink_diag_get $o layer host] ne "host"} {
			# found and opened, but the probe itself misbehaved: the probe
			# layer reports it (stlink_diag_layer_probe)
			return [stlink_diag_layer host ok host.ok "the ST-LINK was found and opened over USB or TCP" $ev]
		}
		return [stlink_diag_layer host fail [dict get $o id] [dict get $o summary] $ev [dict get $o fix]]
	}
	if {[dict get $o own]} {
		lappend ev connection "opened by stlink_diag"
		return [stlink_diag_layer host ok host.ok "the ST-LINK was found and opened" $ev]
	}
	lappend ev connection "OpenOCD's live connection"
	return [stlink_diag_layer host ok host.ok "OpenOCD is connected to the ST-LINK: stlink_diag borrows its connection" $ev]
}
