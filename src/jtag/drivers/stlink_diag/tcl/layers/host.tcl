# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag layer "host": can the probe be opened at all (USB, permission,
# busy, stlink-server)? Compiled into OpenOCD (startup_tcl.inc).

# host: can the probe be opened at all (USB, permission, busy, server)?
proc stlink_diag_layer_host {factsVar} {
	upvar $factsVar facts
	if {[info commands stlink_probe] eq ""} {
		# the commands come with the hla or st-link adapter driver
		set o [dict create ok 0 driver none backend none port 0 id host.no_driver layer host]
	} else {
		set o [stlink_probe open]
	}
	dict set facts open $o
	set ev [list driver [stlink_diag_get $o driver] backend [stlink_diag_get $o backend]]
	if {[stlink_diag_get $o port 0] != 0} {
		lappend ev port [dict get $o port]
	}
	if {![dict get $o ok]} {
		# the capability names what failed; what it means and the fix are written here
		lassign [stlink_diag_open_finding $o] summary fix
		dict set o summary $summary
		dict set o fix $fix
		dict set facts open $o
		set log [string trim [stlink_diag_get $o log]]
		if {$log ne ""} {
			lappend ev driver_log [join [split $log "\n"] "; "]
		}
		if {[stlink_diag_get $o backend] eq "usb"} {
			# OpenOCD only says "open failed": the USB list says why
			set why [stlink_diag_host_usb_cause [stlink_probe list] [stlink_diag_get $o log]]
			if {[llength $why]} {
				lassign $why id summary more fix
				dict set facts open id $id
				return [stlink_diag_layer host fail $id $summary [concat $ev $more] $fix]
			}
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

# What each way of failing to open the probe means and how to fix it, by
# finding id: the one place for these texts. `stlink_probe open` returns only
# the id (stlink_diag_open_failure.c maps the driver's log line to it) and
# the driver's log. %PORT% is the stlink-server TCP port.
set stlink_diag_open_findings {
	host.no_driver {
		"no ST-LINK adapter driver is selected"
		"put -f interface/stlink.cfg (hla) or -f interface/stlink-dap.cfg (dap-direct) before -c stlink_diag"
	}
	host.tcp_no_server {
		"no stlink-server is listening on 127.0.0.1:%PORT%"
		"start ST's stlink-server on port %PORT% (or the simulator), or use the USB backend: hla_stlink_backend usb / st-link backend usb"
	}
	host.tcp_bad_server {
		"the program on 127.0.0.1:%PORT% does not answer the stlink-server protocol"
		"check that port %PORT% belongs to ST's stlink-server and not to another program"
	}
	host.no_probe {
		"the stlink-server sees no ST-LINK"
		"plug the ST-LINK in (with a data cable, not a charge-only one) and check it is listed by 'lsusb -d 0483:'"
	}
	host.pid_not_listed {
		"the stlink-server has an ST-LINK, but its USB PID is not in the interface configuration"
		"use -f interface/stlink.cfg (it lists every ST-LINK PID OpenOCD knows), or add the PID with hla_vid_pid / st-link vid_pid"
	}
	host.serial_mismatch {
		"no ST-LINK has the serial number given with 'adapter serial'"
		"list the serial numbers with 'lsusb -v -d 0483: | grep iSerial' and correct 'adapter serial', or drop it"
	}
	host.busy {
		"another program holds the ST-LINK (a second OpenOCD, an IDE's GDB server, STM32CubeProgrammer, st-util)"
		"stop the other program, or share the probe through ST's stlink-server with 'st-link backend tcp' in every program"
	}
	host.usb_open_failed {
		"no ST-LINK listed in the interface configuration could be opened over USB (none plugged in, a PID the configuration does not list, or no permission)"
		"check 'lsusb -d 0483:'; use -f interface/stlink.cfg; install the udev rule (contrib/60-stlink-diag.rules) and replug"
	}
	probe.no_version {
		"the ST-LINK was opened but did not answer GET_VERSION"
		"unplug and replug the ST-LINK; if it persists, update its firmware with STSW-LINK007"
	}
	host.tcp_no_answer {
		"the stlink-server stopped answering"
		"restart the stlink-server and replug the ST-LINK"
	}
	host.tcp_error {
		"the stlink-server reported an error"
		"restart the stlink-server; check that no other client holds the ST-LINK"
	}
	host.open_failed {
		"the ST-LINK driver could not open the probe"
		"run openocd with -d3 and look for the first error of the ST-LINK driver"
	}
}

# {summary fix} of a failed `stlink_probe open` (its dict: id, port).
proc stlink_diag_open_finding {o} {
	global stlink_diag_open_findings
	set id [stlink_diag_get $o id host.open_failed]
	if {![dict exists $stlink_diag_open_findings $id]} {
		set id host.open_failed
	}
	set port [stlink_diag_get $o port 0]
	set texts {}
	foreach t [dict get $stlink_diag_open_findings $id] {
		lappend texts [string map [list %PORT% $port] $t]
	}
	return $texts
}

# The udev rule the permission fix installs, and how.
set stlink_diag_udev_fix "install the udev rule: sudo cp contrib/60-stlink-diag.rules /etc/udev/rules.d/ &&\
 sudo udevadm control --reload-rules && sudo udevadm trigger; join the plugdev group: sudo usermod -aG plugdev\
 \$USER (then log out and in); unplug and replug the ST-LINK"

# Why no ST-LINK could be opened over USB, from `stlink_probe list`:
# {id summary evidence fix}, or {} when the list explains nothing.
proc stlink_diag_host_usb_cause {probes log} {
	global stlink_diag_udev_fix
	set listed {}
	set unlisted {}
	foreach p $probes {
		if {[dict get $p listed]} {
			lappend listed $p
		} else {
			lappend unlisted $p
		}
	}
	set ev [list probes_found [llength $probes]]
	set i 0
	foreach p $probes {
		lappend ev probe[incr i] [stlink_diag_probe_line $p]
	}
	if {![llength $probes]} {
		return [list host.no_probe_usb "no ST-LINK on USB (no device with VID 0483 and an ST-LINK PID)" $ev \
			"plug the ST-LINK in with a data cable (not a charge-only one), try another USB port;\
			 'lsusb -d 0483:' lists what the system sees"]
	}
	foreach p $listed {
		if {[dict get $p state] eq "no_permission"} {
			return [list host.usb_permission "no permission to open the [dict get $p model] at USB\
				[dict get $p location] ([dict get $p devnode]: [dict get $p open_error])" $ev \
				$stlink_diag_udev_fix]
		}
	}
	foreach p $listed {
		if {[dict get $p state] eq "busy"} {
			set who [stlink_diag_holder_text $p]
			set summary "the [dict get $p model] at USB [dict get $p location] is held by\
				[expr {$who eq "" ? "another program (not found in /proc: it may run as another user)" : $who}]"
			set stop [expr {$who eq "" ? "stop the other program (a second OpenOCD, an IDE's GDB server,\
				st-util, STM32CubeProgrammer)" : "stop [dict get $p holder_name] (pid [dict get $p holder_pid])"}]
			if {[stlink_diag_get $p holder_name] eq "stlink-server"} {
				# the server is the sharing mechanism: go through it
				return [list host.usb_busy $summary $ev "ST's stlink-server owns the probe: connect through it\
					with 'st-link backend tcp' (dap-direct) or 'hla_stlink_backend tcp' (hla), or stop it"]
			}
			return [list host.usb_busy $summary $ev "$stop, or share the probe: run ST's stlink-server and\
				use 'st-link backend tcp' (dap-direct) or 'hla_stlink_backend tcp' (hla) in every program"]
		}
	}
	foreach p $listed {
		if {[dict get $p mode] in {DFU bootloader} || [string match "*loader*" [dict get $p model]] ||
				([dict get $p state] eq "free" && [dict get $p firmware] eq "")} {
			return [list host.probe_in_loader "the [dict get $p model] at USB [dict get $p location] is in\
				its DFU/bootloader mode and does not answer as a debug probe" $ev \
				"unplug and replug the ST-LINK; if it stays there, a firmware update was interrupted:\
				 run the ST-LINK upgrade tool (STSW-LINK007 or STM32CubeProgrammer) to the end"]
		}
	}
	# a probe is there and usable: what the configuration asked for does not match it
	set picks {}
	foreach p $listed {
		lappend picks "adapter serial \"[dict get $p adapter_serial]\" (at USB [dict get $p location])"
	}
	if {[llength $listed] && [string first "No device matches the serial string" $log] >= 0} {
		lassign [stlink_diag_open_finding [dict create id host.serial_mismatch]] summary fix
		return [list host.serial_mismatch $summary $ev "$fix; plugged in: [join $picks {, or }]"]
	}
	if {[llength $listed] && ![catch {adapter usb location} loc] &&
			[regexp {^adapter usb location: (.+)$} [string trim $loc] -> want] && $want ne "(null)"} {
		set places {}
		foreach p $listed {
			lappend places "adapter usb location [dict get $p location]"
		}
		return [list host.location_mismatch "no ST-LINK is at USB location $want ('adapter usb location')" \
			[concat $ev [list wanted_location $want]] "use the location of a probe that is plugged in:\
			 [join $places {, or }]; locations change when the probe moves to another port or hub"]
	}
	if {![llength $listed]} {
		set p [lindex $unlisted 0]
		set fix "use -f interface/stlink.cfg (hla) or interface/stlink-dap.cfg (dap-direct), which list every\
			ST-LINK PID OpenOCD 0.12.0 knows, and no hla_vid_pid / st-link vid_pid line that narrows the list\
			(old board cfgs and interface/stlink-v2.cfg of earlier OpenOCD releases list only 0x3748)"
		if {![dict get $p known_to_openocd]} {
			set fix "OpenOCD 0.12.0 does not know PID [dict get $p pid] ([dict get $p model]): add it with\
				'hla_vid_pid 0x0483 [dict get $p pid]' (hla) or 'st-link vid_pid 0x0483 [dict get $p pid]'\
				(dap-direct) after the interface cfg, or use a later OpenOCD"
		}
		return [list host.pid_not_listed "an ST-LINK is plugged in ([dict get $p model], PID [dict get $p pid]),\
			but the selected interface cfg does not list its PID" $ev $fix]
	}
	return {}
}

