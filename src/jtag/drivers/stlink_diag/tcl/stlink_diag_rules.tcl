# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag: the correlation step. The layers only observe and record
# findings (their records, and extra ones in facts "findings") and facts;
# this table decides the root cause from them, after every layer has run.
# Compiled into OpenOCD (startup_tcl.inc).
#
# One row per rule, a dict with:
#   needs    finding ids that must all have been recorded
#   any      finding ids of which at least one must have been recorded
#   unless   finding ids none of which may have been recorded
#   facts    facts the rule reads; when one is missing the rule is skipped
#            and the verdict says which fact was missing
#   when     a Tcl expression over [fact KEY] that must be true
#   id layer status   the root-cause finding, its verdict layer, and
#            fail | warn | ok (ok: a normal condition, evidence only) |
#            open (a check that could not be made: its look-alikes are
#            added to the verdict's open list, whatever the verdict)
#   summary fix       text; [fact KEY] and [part_vdd] are substituted
#   explains findings this cause accounts for (not repeated in "also")
#   open     look-alikes the observations could not rule out, as
#            {id "the check a person can make"} pairs
# brownout_silent_near_min: nothing answers at a reading within 0.1 V of
# the minimum (the band where dips that cross the PDR are the rule, as for
# brownout_resets): a steady supply there would let the part answer, so the
# reading is the second observation. Only where no nominal rail lies in that
# band: the 1.8 V rail of low-voltage designs sits at the minimum of the
# 1.62..1.8 V families, so there it says nothing; the 2.0 V minimum of F0/F1
# (and of an unknown part) has none near it.
# brownout_link_low_speed: the same near the minimum when the dips happened
# to fall on the faster clocks' measurements only (they are random in time,
# SILICON.md S2): the clean slow speed is luck, not a speed limit.
# brownout_resets explains the watchdog rule too: both read the same
# S_RESET_ST; without RCC flags the watchdog stays an open look-alike.
# software_reset_loop: resets seen during the session with SFTRSTF and no
# watchdog flag, at a supply clear of the minimum (or unread: VAPP not
# wired while the link works): the application resets
# itself (SILICON.md C4). The power-on flags stay set beside SFTRSTF until
# cleared, so brownout_resets takes them as evidence only without it.
# link_errors_under_reset: block reads measured to lose transfers at every
# clock (wire.tcl: WAITs and FAULTs with STICKYERR are the target's and not
# counted) make a loss after a release, and a DBGMCU_CR read back, the
# wire's as likely as the target's: the link is the cause and what the
# release tests named stays open.
# link_core_unreadable: a link that loses transfers at every speed loses the
# CPUID read too: the link is the cause, the unreadable core its symptom (a
# low-power mode the reset layer names from under reset is more specific).
#
# The verdict is the rule with the most specific evidence (needs, facts
# and condition counted) among the most severe; a failing or warning
# finding no rule explains counts as a rule of its own, of specificity 1.

set stlink_diag_rules {
	probe_old_firmware {
		needs {probe.fw_old} id probe.fw_old layer probe status ok explains {probe.fw_old}
		summary "the probe firmware is older than recommended but does what the driver needs" fix ""
	}
	option_bytes_normal {
		needs {protection.option_surprise} unless {firmware.resets_seen firmware.watchdog_flag}
		id protection.option_surprise layer protection status ok explains {protection.option_surprise}
		summary "[fact protection.surprise_summary]; normal while the target does not reset by itself" fix ""
	}
	vapp_unwired {
		needs {power.low_reading} any {wire.ok wire.low_speed_only wire.intermittent reset.answers_under_reset}
		when {[fact target.voltage] < $::stlink_diag_no_supply_volts}
		id power.vapp_not_wired layer power status ok explains {power.low_reading}
		summary "the probe reads [fact target.voltage] V but the target answers on SWD: it is powered and the VAPP/T_VCC sense pin is not connected"
		fix "wire the target's VDD to the ST-LINK's VAPP/T_VCC pin (pin 1 of the 20-pin header); it only senses, it does not power the target"
	}
	unpowered {
		needs {power.low_reading wire.no_answer} unless {reset.answers_under_reset} when {[fact target.voltage] < $::stlink_diag_no_supply_volts}
		id power.unpowered layer power status fail explains {power.low_reading wire.no_answer reset.no_link}
		summary "target voltage [fact target.voltage] V and no answer on SWD: the target is not powered"
		fix "power the target board (the ST-LINK does not power it); check the VDD and GND wires; wire the target's VDD to the ST-LINK's VAPP/T_VCC pin"
	}
	brownout_held {
		needs {wire.no_answer} any {power.ok power.low_reading} facts {target.voltage} unless {reset.answers_under_reset}
		when {[fact target.voltage] >= $::stlink_diag_no_supply_volts && [fact target.voltage] < [lindex [part_vdd] 0] - 0.03}
		id power.brownout layer power status fail explains {wire.no_answer reset.no_link power.low_reading}
		summary "target voltage [fact target.voltage] V is below the minimum [lindex [part_vdd] 0] V of [lindex [part_vdd] 2] and nothing answers on SWD: the part is held in reset by its power-down/brown-out reset"
		fix "raise the target's supply into the part's [lindex [part_vdd] 0]..[lindex [part_vdd] 1] V range (regulator, load, a drooping USB or battery supply, the VDD wire)"
		open {wire.no_answer "if the supply is right for your part, check SWDIO, SWCLK and GND with a meter"}
	}
	brownout_running {
		needs {power.ok} facts {target.voltage mcu.family} any {wire.ok wire.low_speed_only wire.intermittent}
		when {[fact target.voltage] < [lindex [part_vdd] 0] - 0.03}
		id power.brownout layer power status fail explains {firmware.resets_seen wire.intermittent}
		summary "target voltage [fact target.voltage] V is below the [fact mcu.family] part's minimum [lindex [part_vdd] 0] V: it runs out of its range and resets near its power-down threshold"
		fix "raise the target's supply into the part's [lindex [part_vdd] 0]..[lindex [part_vdd] 1] V range (regulator, load, the VDD wire)"
	}
	brownout_in_reset {
		needs {firmware.held_in_reset} any {power.ok power.low_reading} facts {target.voltage}
		when {[fact target.voltage] >= $::stlink_diag_no_supply_volts && [fact target.voltage] < [lindex [part_vdd] 0] - 0.03}
		id power.brownout layer power status fail explains {firmware.held_in_reset power.low_reading}
		summary "target voltage [fact target.voltage] V is below the minimum [lindex [part_vdd] 0] V of [lindex [part_vdd] 2] and the core is held in reset: its power-down/brown-out reset holds it"
		fix "raise the target's supply into the part's [lindex [part_vdd] 0]..[lindex [part_vdd] 1] V range (regulator, load, a drooping USB or battery supply, the VDD wire)"
		open {firmware.held_in_reset "if the supply is right for your part, check NRST for a supervisor chip, a button or a capacitor holding it low"}
	}
	brownout_resets {
		needs {firmware.resets_seen power.ok} facts {target.voltage}
		when {![flag_seen IWDG WWDG] && ([fact target.voltage] < [lindex [part_vdd] 0] + $::stlink_diag_near_min_volts || ([flag_seen POR BOR PWR] && ![flag_seen SFT]))}
		id power.brownout layer power status fail
		explains {firmware.resets_seen firmware.watchdog_reset reset.sw_reset_broken wire.intermittent wire.low_speed_only debug.cpuid_unreadable debug.powerup_failed debug.sticky_error firmware.dhcsr_unreadable}
		summary "the target resets by itself ([fact firmware.reset_cause]) at [fact target.voltage] V, near the part's minimum [lindex [part_vdd] 0] V: brown-out resets"
		fix "check the target's supply under load (regulator, decoupling, the VDD and GND wires); the part needs [lindex [part_vdd] 0]..[lindex [part_vdd] 1] V"
		open {firmware.watchdog_reset "the RCC reset flags tell the two apart (BORRSTF/PORRSTF against IWDGRSTF/WWDGRSTF); without them, a watchdog nobody refreshes resets the same way at a steady supply: measure VDD at the chip while it runs"}
	}
	brownout_not_ruled_out {
		needs {power.ok} any {wire.no_answer wire.intermittent} facts {target.voltage}
		when {[fact target.voltage] < [lindex [part_vdd] 0] + $::stlink_diag_near_min_volts}
		status open id power.brownout layer power explains {}
		summary "" fix ""
		open {power.brownout "the supply reads [fact target.voltage] V, near the minimum [lindex [part_vdd] 0] V of [lindex [part_vdd] 2]: dips under load reset the part (a reset that lasts longer than the time between dips holds it there), and on parts with a programmable brown-out level (option bytes BOR_LEV) a level above the supply holds it in reset; measure VDD at the chip under load"}
	}
	brownout_silent_near_min {
		needs {wire.no_answer} any {power.ok power.low_reading} facts {target.voltage} unless {reset.answers_under_reset}
		when {[fact target.voltage] >= [lindex [part_vdd] 0] - 0.03 && [fact target.voltage] < [lindex [part_vdd] 0] + 0.1
			&& ([lindex [part_vdd] 0] - 0.03 > 1.8 || [lindex [part_vdd] 0] + 0.1 <= 1.8)}
		id power.brownout layer power status fail explains {wire.no_answer reset.no_link}
		summary "nothing answers on SWD, not even under reset, and the target voltage [fact target.voltage] V is at the minimum [lindex [part_vdd] 0] V of [lindex [part_vdd] 2]: a supply there dips below the power-down threshold under load, and when the reset that follows each dip lasts longer than the time between dips the part never leaves reset"
		fix "measure VDD at the chip under load (an oscilloscope shows dips a meter averages away) and raise the supply into the part's [lindex [part_vdd] 0]..[lindex [part_vdd] 1] V range with margin (regulator, decoupling, a drooping USB or battery supply)"
		open {wire.no_answer "if VDD stays steady at the chip, check SWDIO, SWCLK and GND with a meter (open or swapped wires look the same from the probe)"
			protection.rdp2 "RDP level 2 cannot be told from a silent target by the probe: if the supply and the wiring are right and the part was ever protected at level 2, it is locked for good"}
	}
	brownout_link {
		needs {wire.intermittent power.ok} any {debug.cpuid_unreadable debug.powerup_failed debug.sticky_error firmware.dhcsr_unreadable reset.sw_reset_broken} facts {target.voltage}
		when {[fact target.voltage] < [lindex [part_vdd] 0] + 0.1}
		id power.brownout layer power status fail
		explains {wire.intermittent firmware.dhcsr_unreadable firmware.resets_seen firmware.watchdog_reset reset.sw_reset_broken debug.cpuid_unreadable debug.powerup_failed debug.sticky_error reset.answers_under_reset reset.no_core firmware.stop_no_dbg firmware.standby_no_dbg firmware.sleep_no_dbg firmware.swd_pins_taken firmware.lost_after_reset}
		summary "the link comes and goes at every speed and the later reads of the core fail with it, at [fact target.voltage] V against the minimum [lindex [part_vdd] 0] V of [lindex [part_vdd] 2]: dips of the supply below the power-down threshold reset the part again and again, and the debug port is silent during each reset"
		fix "measure VDD at the chip under load (an oscilloscope shows dips a meter averages away) and raise the supply into the part's [lindex [part_vdd] 0]..[lindex [part_vdd] 1] V range with margin (regulator, decoupling, the VDD and GND wires)"
		open {wire.intermittent "if VDD stays steady at the chip, a missing or poor ground gives the same errors at every speed: connect GND next to SWDIO/SWCLK"
			firmware.stop_no_dbg "with a steady supply, an application that enters STOP or STANDBY without the DBGMCU_CR bits also loses the link right after reset: connect under reset once the supply is fixed"}
	}
	brownout_link_low_speed {
		needs {wire.low_speed_only power.ok} any {debug.cpuid_unreadable debug.powerup_failed debug.sticky_error firmware.dhcsr_unreadable reset.sw_reset_broken} facts {target.voltage}
		when {[fact target.voltage] < [lindex [part_vdd] 0] + 0.1}
		id power.brownout layer power status fail
		explains {wire.low_speed_only wire.intermittent firmware.dhcsr_unreadable firmware.resets_seen firmware.watchdog_reset reset.sw_reset_broken debug.cpuid_unreadable debug.powerup_failed debug.sticky_error reset.answers_under_reset reset.no_core firmware.stop_no_dbg firmware.standby_no_dbg firmware.sleep_no_dbg firmware.swd_pins_taken firmware.lost_after_reset}
		summary "the link loses transfers and the later reads of the core fail with it, at [fact target.voltage] V against the minimum [lindex [part_vdd] 0] V of [lindex [part_vdd] 2]: dips of the supply below the power-down threshold reset the part again and again, and the debug port is silent during each reset"
		fix "measure VDD at the chip under load (an oscilloscope shows dips a meter averages away) and raise the supply into the part's [lindex [part_vdd] 0]..[lindex [part_vdd] 1] V range with margin (regulator, decoupling, the VDD and GND wires)"
		open {wire.low_speed_only "if VDD stays steady at the chip, errors at the faster clock alone are signal integrity: a slower adapter speed, shorter leads, a solid ground"
			firmware.stop_no_dbg "with a steady supply, an application that enters STOP or STANDBY without the DBGMCU_CR bits also loses the link right after reset: connect under reset once the supply is fixed"}
	}
	software_reset_loop {
		needs {firmware.resets_seen} any {power.ok power.low_reading} facts {target.voltage}
		when {[flag_seen SFT] && ![flag_seen IWDG WWDG] && ([fact target.voltage] >= [lindex [part_vdd] 0] + $::stlink_diag_near_min_volts || [fact target.voltage] < $::stlink_diag_no_supply_volts)}
		id firmware.reset_loop layer firmware status fail
		explains {firmware.resets_seen firmware.watchdog_reset reset.sw_reset_broken wire.intermittent debug.cpuid_unreadable firmware.dhcsr_unreadable}
		summary "the application resets itself over and over ([fact firmware.reset_cause]; no watchdog flag, [expr {[fact target.voltage] < $::stlink_diag_no_supply_volts ? {VAPP not wired} : [string cat {at } [fact target.voltage] { V}]}]): a software reset (AIRCR.SYSRESETREQ, NVIC_SystemReset) soon after every boot, from a fault handler, an assert or an error path"
		fix "find the caller of NVIC_SystemReset: openocd ... -c init -c 'reset halt', then a breakpoint on NVIC_SystemReset (or on the Error_Handler/HardFault_Handler that calls it) and look at the call stack; a fault handler that resets hides the fault: read CFSR/HFSR (mdw 0xE000ED28 2) at that breakpoint"
		open {power.brownout "SFTRSTF stays set from any earlier software reset, a debugger's reset included: if the application never resets itself, clear the flags (RCC_CSR RMVF) and run again; a brown-out then shows BORRSTF/PORRSTF alone"}
	}
	watchdog {
		needs {firmware.resets_seen}
		id firmware.watchdog_reset layer firmware status fail explains {firmware.resets_seen}
		summary "the target resets by itself during the session ([fact firmware.reset_cause]): a watchdog nobody refreshes"
		fix "[fact firmware.watchdog_fix]"
		open {power.brownout "measure VDD at the chip while it runs; brown-out resets look the same without RCC reset flags"}
	}
	watchdog_flag {
		needs {firmware.watchdog_flag}
		id firmware.watchdog_reset layer firmware status fail explains {firmware.watchdog_flag protection.option_surprise}
		summary "a watchdog resets the target: [fact firmware.reset_cause] (the flags stay set until cleared: if the target no longer resets, clear them and run again)"
		fix "[fact firmware.watchdog_fix]"
	}
	swd_pins_taken {
		needs {wire.no_answer reset.answers_under_reset} facts {reset.after_release}
		when {[fact reset.after_release] eq "pins"}
		id firmware.swd_pins_taken layer firmware status fail explains {wire.no_answer reset.answers_under_reset}
		summary "the application takes the SWD pins: the target answers under reset, and still loses the link after release with the DBGMCU_CR low-power debug bits set ([fact reset.release_note])"
		fix "connect under reset: reset_config srst_only srst_nogate connect_assert_srst (after -f target/...); keep the application from reconfiguring PA13/PA14 (F1: AFIO_MAPR.SWJ_CFG must not be 100)"
	}
	stop_no_dbg {
		needs {reset.answers_under_reset} facts {reset.after_release} when {[fact reset.after_release] eq "stop"}
		id firmware.stop_no_dbg layer firmware status fail explains {wire.no_answer reset.answers_under_reset debug.cpuid_unreadable debug.powerup_failed debug.sticky_error}
		summary "the application enters STOP without DBGMCU_CR.DBG_STOP: with DBG_STOP set under reset the link survived ([fact reset.release_note])"
		fix "set DBG_STOP early in the application, or after a connect under reset: [fact reset.dbg_fix]"
	}
	standby_no_dbg {
		needs {reset.answers_under_reset} facts {reset.after_release} when {[fact reset.after_release] eq "standby"}
		id firmware.standby_no_dbg layer firmware status fail explains {wire.no_answer reset.answers_under_reset debug.cpuid_unreadable debug.powerup_failed debug.sticky_error}
		summary "the application enters STANDBY without DBGMCU_CR.DBG_STANDBY: only with DBG_STANDBY set under reset did the link survive ([fact reset.release_note])"
		fix "set DBG_STANDBY early in the application, or after a connect under reset: [fact reset.dbg_fix]"
	}
	sleep_no_dbg {
		needs {reset.answers_under_reset} facts {reset.after_release} when {[fact reset.after_release] eq "sleep"}
		id firmware.sleep_no_dbg layer firmware status fail explains {reset.answers_under_reset debug.cpuid_unreadable debug.powerup_failed debug.sticky_error}
		summary "the application idles in WFI without DBGMCU_CR.DBG_SLEEP and the part stops the debugger's bus clock then: with DBG_SLEEP set under reset the core stays readable ([fact reset.release_note])"
		fix "set DBG_SLEEP early in the application, or after a connect under reset: [fact reset.dbg_fix]"
	}
	stop_app_dbgmcu {
		needs {reset.answers_under_reset} facts {reset.after_release} when {[fact reset.after_release] eq "app_stop"}
		id firmware.stop_no_dbg layer firmware status fail explains {wire.no_answer reset.answers_under_reset debug.cpuid_unreadable debug.powerup_failed debug.sticky_error}
		summary "the application enters STOP without DBGMCU_CR.DBG_STOP: it writes DBGMCU_CR = [fact reset.app_dbgmcu_cr] itself, over the bits set under reset, and that value leaves DBG_STOP clear ([fact reset.release_note])"
		fix "keep DBG_STOP in the application's own DBGMCU_CR write (OR the bits in rather than overwrite them); the bits a debugger needs: [fact reset.dbg_fix]"
	}
	standby_app_dbgmcu {
		needs {reset.answers_under_reset} facts {reset.after_release} when {[fact reset.after_release] eq "app_standby"}
		id firmware.standby_no_dbg layer firmware status fail explains {wire.no_answer reset.answers_under_reset debug.cpuid_unreadable debug.powerup_failed debug.sticky_error}
		summary "the application enters STANDBY without DBGMCU_CR.DBG_STANDBY: it writes DBGMCU_CR = [fact reset.app_dbgmcu_cr] itself, over the bits set under reset, and that value leaves DBG_STANDBY clear ([fact reset.release_note])"
		fix "keep DBG_STANDBY in the application's own DBGMCU_CR write (OR the bits in rather than overwrite them); the bits a debugger needs: [fact reset.dbg_fix]"
	}
	sleep_app_dbgmcu {
		needs {reset.answers_under_reset} facts {reset.after_release} when {[fact reset.after_release] eq "app_sleep"}
		id firmware.sleep_no_dbg layer firmware status fail explains {reset.answers_under_reset debug.cpuid_unreadable debug.powerup_failed debug.sticky_error}
		summary "the application idles in WFI without DBGMCU_CR.DBG_SLEEP and the part stops the debugger's bus clock then: it writes DBGMCU_CR = [fact reset.app_dbgmcu_cr] itself, over the bits set under reset, and that value leaves DBG_SLEEP clear ([fact reset.release_note])"
		fix "keep DBG_SLEEP in the application's own DBGMCU_CR write (OR the bits in rather than overwrite them); the bits a debugger needs: [fact reset.dbg_fix]"
	}
	lowpower_open_sleep {
		needs {reset.answers_under_reset} when {"sleep" in [fact reset.lowpower_others]}
		status open id firmware.sleep_no_dbg layer firmware explains {} summary "" fix ""
		open {firmware.sleep_no_dbg "the application's DBGMCU_CR value leaves DBG_SLEEP clear too, and Sleep (WFI with SCB_SCR.SLEEPDEEP = 0) stops the debugger's bus clock on F7/H7 and some F4 the same way: look for WFI/WFE without SLEEPDEEP in the application, or keep DBG_SLEEP set as well"}
	}
	lowpower_open_stop {
		needs {reset.answers_under_reset} when {"stop" in [fact reset.lowpower_others]}
		status open id firmware.stop_no_dbg layer firmware explains {} summary "" fix ""
		open {firmware.stop_no_dbg "the application's DBGMCU_CR value leaves DBG_STOP clear too: look for a STOP entry (SCB_SCR.SLEEPDEEP = 1 with the PWR mode bits of Stop, HAL_PWR_EnterSTOPMode), or keep DBG_STOP set as well"}
	}
	lowpower_open_standby {
		needs {reset.answers_under_reset} when {"standby" in [fact reset.lowpower_others]}
		status open id firmware.standby_no_dbg layer firmware explains {} summary "" fix ""
		open {firmware.standby_no_dbg "the application's DBGMCU_CR value leaves DBG_STANDBY clear too: look for a STANDBY entry (HAL_PWR_EnterSTANDBYMode), or read the PWR standby flag (SBF) with the PWR clock on: 1 means the part went into Standby"}
	}
	lowpower_open_pins {
		needs {reset.answers_under_reset} when {"pins" in [fact reset.lowpower_others]}
		status open id firmware.swd_pins_taken layer firmware explains {} summary "" fix ""
		open {firmware.swd_pins_taken "an application that takes PA13/PA14 silences the DP the same way: check its GPIO setup (GPIOA MODER/AFRH; F1 AFIO_MAPR.SWJ_CFG), or keep the DBGMCU_CR bits set in its own write and run again"}
	}
	lost_after_reset {
		needs {wire.no_answer reset.answers_under_reset} facts {reset.after_release}
		when {[fact reset.after_release] ni {pins stop standby sleep app_stop app_standby app_sleep}}
		id firmware.lost_after_reset layer firmware status fail explains {wire.no_answer reset.answers_under_reset}
		summary "the target answers only under reset: the application takes the SWD pins or enters STOP/STANDBY soon after boot ([fact reset.release_note])"
		fix "connect under reset: reset_config srst_only srst_nogate connect_assert_srst (after -f target/...)"
		open {firmware.swd_pins_taken "check the application for PA13/PA14 (GPIOA MODER/AFRH; F1 AFIO_MAPR.SWJ_CFG)"
			firmware.stop_no_dbg "check the application for STOP/STANDBY entry and set DBGMCU_CR DBG_STOP/DBG_STANDBY"}
	}
	no_answer {
		needs {wire.no_answer} unless {reset.answers_under_reset power.low_reading}
		id wire.no_answer layer wire status fail explains {wire.no_answer reset.no_link}
		summary "[fact wire.no_answer_summary]"
		fix "check the SWDIO, SWCLK and GND wires (not swapped, not open) and the target's power; RDP level 2 makes a part look exactly like this"
		open {protection.rdp2 "RDP level 2 cannot be told from an open SWDIO by the probe: if the wiring is right and the part was ever protected at level 2, it is locked for good"
			firmware.swd_pins_taken "[expr {[fact reset.cur_note] ne {} ? [fact reset.cur_note] : {connect under reset was not tried (the reset layer did not run): with NRST wired, an application that takes PA13/PA14 answers under reset}}]"}
	}
	boot_sram_lockup {
		needs {boot.sram} any {firmware.lockup firmware.hardfault}
		id boot.sram layer boot status fail explains {boot.sram firmware.lockup firmware.hardfault}
		summary "[fact boot.summary]; the core locked up running it"
		fix "[fact boot.fix]"
	}
	empty_flash_lockup {
		needs {boot.empty_flash} any {firmware.lockup firmware.hardfault}
		id boot.empty_flash layer boot status fail explains {boot.empty_flash firmware.lockup firmware.hardfault}
		summary "user flash is empty (the vector table reads 0xFFFFFFFF): the core has no program and locks up at reset"
		fix "flash a program; parts with the empty check keep booting the ROM bootloader until a power cycle after flashing"
	}
	bad_vectors_lockup {
		needs {boot.bad_vector_table} any {firmware.lockup firmware.hardfault}
		id boot.bad_vector_table layer boot status fail explains {boot.bad_vector_table firmware.lockup firmware.hardfault}
		summary "the vector table at the boot address is invalid ([fact boot.vector_note]) and the core is locked up: it faults on its first fetch"
		fix "flash a program built for this part's flash address (linker script: vector table at 0x08000000, SP at the top of SRAM)"
	}
	cputapid_mismatch {
		needs {debug.cputapid_mismatch}
		id debug.cputapid_mismatch layer debug status fail explains {debug.cputapid_mismatch}
		summary "[fact debug.mismatch_summary]"
		fix "[fact debug.mismatch_fix]"
	}
	link_errors_under_reset {
		needs {wire.intermittent reset.answers_under_reset} facts {link.errors_every_speed wire.summary}
		id wire.intermittent layer wire status fail
		explains {wire.intermittent reset.answers_under_reset debug.cpuid_unreadable debug.powerup_failed debug.powerup_incomplete debug.sticky_error debug.wait_storm firmware.dhcsr_unreadable firmware.stop_no_dbg firmware.standby_no_dbg firmware.sleep_no_dbg firmware.swd_pins_taken firmware.lost_after_reset}
		summary "[fact wire.summary]; the later reads, and the reset layer's release tests, lost transfers the same way"
		fix "[fact wire.fix]; then run stlink_diag again: the release tests need a clean link"
		open {firmware.stop_no_dbg "the release tests ran on a link that loses transfers, so what they named ([fact reset.after_release]) is not evidence: once GND is connected, run again to tell STOP, STANDBY, Sleep and taken SWD pins apart"}
	}
	link_errors_intermittent {
		needs {wire.intermittent} facts {wire.summary} unless {firmware.watchdog_flag}
		any {debug.cpuid_unreadable debug.powerup_failed debug.powerup_incomplete debug.sticky_error debug.wait_storm firmware.dhcsr_unreadable firmware.resets_seen reset.no_core}
		id wire.intermittent layer wire status fail
		explains {wire.intermittent debug.cpuid_unreadable debug.powerup_failed debug.powerup_incomplete debug.sticky_error debug.wait_storm firmware.dhcsr_unreadable firmware.resets_seen reset.no_core}
		summary "[fact wire.summary]; the failed reads of the later layers are the same transfer errors"
		fix "[fact wire.fix]"
	}
	link_errors_low_speed {
		needs {wire.low_speed_only} facts {wire.summary} unless {firmware.watchdog_flag}
		any {debug.cpuid_unreadable debug.powerup_failed debug.powerup_incomplete debug.sticky_error debug.wait_storm firmware.dhcsr_unreadable firmware.resets_seen reset.no_core}
		id wire.low_speed_only layer wire status fail
		explains {wire.low_speed_only debug.cpuid_unreadable debug.powerup_failed debug.powerup_incomplete debug.sticky_error debug.wait_storm firmware.dhcsr_unreadable firmware.resets_seen reset.no_core}
		summary "[fact wire.summary]; the failed reads of the later layers are the same transfer errors"
		fix "[fact wire.fix]"
	}
	core_unreadable {
		needs {debug.cpuid_unreadable} unless {reset.answers_under_reset}
		id debug.cpuid_unreadable layer debug status fail explains {debug.cpuid_unreadable reset.no_core}
		summary "[fact debug.no_cpuid_summary]"
		fix "connect under reset (reset_config srst_only srst_nogate connect_assert_srst), set the DBGMCU_CR low-power debug bits, and check the debug power-up"
		open {firmware.sleep_no_dbg "[expr {[fact reset.cur_note] ne {} ? [fact reset.cur_note] : {the core was not read under reset (the reset layer did not get that far)}}]; an application in Sleep (F7/H7, some F4) or STOP without the DBGMCU_CR bits stops the bus clock the debugger needs: run stlink_diag before init without -passive, with NRST wired, to read the core under reset"
			firmware.stop_no_dbg "[expr {[fact reset.cur_note] ne {} ? [fact reset.cur_note] : {the core was not read under reset}}]: an application that enters STOP without DBGMCU_CR.DBG_STOP stops the clocks the debugger needs; set DBG_STOP (DBGMCU_CR) in the application or connect under reset"}
	}
	link_core_unreadable {
		needs {wire.intermittent debug.cpuid_unreadable} any {power.ok power.low_reading}
		id wire.intermittent layer wire status fail explains {wire.intermittent debug.cpuid_unreadable reset.no_core}
		summary "the link loses transfers at every speed, and the core's CPUID read was lost with them: a missing or poor ground, or noise ([fact debug.no_cpuid_summary])"
		fix "connect GND between the ST-LINK and the target (a short wire next to SWDIO/SWCLK), keep the leads under 20 cm, avoid sharing the ground with motors or supplies; then run stlink_diag again to read the core"
		open {debug.cpuid_unreadable "once the link is clean, the core itself may still be unreadable (a failed debug power-up, a low-power mode without the DBGMCU_CR bits): run stlink_diag again"}
	}
	core_unreadable_under_reset {
		needs {debug.cpuid_unreadable reset.no_core}
		id debug.cpuid_unreadable layer debug status fail explains {debug.cpuid_unreadable reset.no_core}
		summary "[fact debug.no_cpuid_summary]; with NRST held low it could not be read either"
		fix "check the debug power-up (CTRL/STAT CDBGPWRUPACK) and the target's supply under load; check that T_NRST reaches the target's NRST pin"
		open {firmware.sleep_no_dbg "the core could not be read with NRST held low either: with NRST wired no application code runs then, so a low-power mode is ruled out; if NRST is not wired (check T_NRST to the target's NRST pin), that read was an ordinary one and Sleep or STOP without the DBGMCU_CR bits stays possible"
			firmware.stop_no_dbg "as for Sleep: ruled out only if NRST is wired; then set DBG_STOP (DBGMCU_CR) in the application"}
	}
	passive_reset {
		needs {reset.passive} status open id reset.passive layer reset explains {}
		summary "" fix ""
		open {reset.nrst_unwired "NRST wiring not tested (-passive): without it connect under reset cannot work; run without -passive, or check that the ST-LINK's NRST (T_NRST) reaches the target's NRST pin"}
	}
	lockup_unknown {
		needs {firmware.ok} facts {firmware.lockup_unknown} status open id firmware.lockup layer firmware explains {}
		summary "" fix ""
		open {firmware.lockup "[fact firmware.lockup_unknown]"}
	}
	rdp1 {
		needs {protection.rdp1}
		id protection.rdp1 layer protection status fail explains {protection.rdp1 boot.flash_unreadable}
		summary "[fact protection.summary]"
		fix "[fact protection.fix]"
	}
}

# What a rule's texts and conditions may call: fact KEY, part_vdd,
# flag_seen NAME..., over the facts being judged.
set stlink_diag_rule_facts {}
proc fact {key} {
	return [stlink_diag_get $::stlink_diag_rule_facts $key]
}
proc part_vdd {} {
	return [stlink_diag_part_vdd $::stlink_diag_rule_facts]
}
proc flag_seen {args} {
	return [stlink_diag_flag_seen $::stlink_diag_rule_facts {*}$args]
}

proc stlink_diag_rule_env {facts script} {
	set ::stlink_diag_rule_facts $facts
	return [uplevel #0 $script]
}

# The supply range to judge the voltage by: {min max what}. The identified
# part's family, else the family of the target config or -target, else the
# highest minimum of any STM32 (below it some STM32 is out of range).
proc stlink_diag_part_vdd {facts} {
	foreach key {mcu.family part.family_hint} {
		set fam [stlink_diag_get $facts $key]
		if {$fam eq ""} {
			continue
		}
		set d {}
		catch {set d [stlink_probe stm32 family $fam]}
		if {[stlink_diag_get $d vdd_min_mv 0] > 0} {
			return [list [expr {[dict get $d vdd_min_mv] / 1000.0}] [expr {[dict get $d vdd_max_mv] / 1000.0}] "the $fam part"]
		}
	}
	set m 2000
	catch {set m [dict get [stlink_probe stm32 families] vdd_min_max_mv]}
	return [list [expr {$m / 1000.0}] 3.6 "every STM32 family (the part is not known)"]
}

# Whether the RCC reset flags read showed one of the names.
proc stlink_diag_flag_seen {facts args} {
	foreach n [stlink_diag_get $facts firmware.reset_flags] {
		if {$n in $args} {
			return 1
		}
	}
	return 0
}

# Every finding of the run: the layers' records and the extra ones.
proc stlink_diag_findings {layers facts} {
	return [concat $layers [stlink_diag_get $facts findings]]
}

# Evaluate one rule: {fired 0|1 missing FACT specificity N}.
proc stlink_diag_rule_eval {row ids facts} {
	foreach id [stlink_diag_get $row needs] {
		if {$id ni $ids} {
			return {fired 0 missing ""}
		}
	}
	set any [stlink_diag_get $row any]
	if {[llength $any]} {
		set hit 0
		foreach id $any {
			if {$id in $ids} {
				set hit 1
			}
		}
		if {!$hit} {
			return {fired 0 missing ""}
		}
	}
	foreach id [stlink_diag_get $row unless] {
		if {$id in $ids} {
			return {fired 0 missing ""}
		}
	}
	foreach key [stlink_diag_get $row facts] {
		if {[stlink_diag_get $facts $key] eq ""} {
			return [list fired 0 missing $key]
		}
	}
	set when [stlink_diag_get $row when]
	if {$when ne ""} {
		if {[catch {stlink_diag_rule_env $facts [list expr $when]} ok] || !$ok} {
			return {fired 0 missing ""}
		}
	}
	set spec [expr {[llength [stlink_diag_get $row needs]] + ([llength $any] ? 1 : 0) \
		+ [llength [stlink_diag_get $row facts]] + ($when ne "" ? 1 : 0)}]
	return [list fired 1 missing "" specificity $spec]
}

proc stlink_diag_rule_text {facts text} {
	if {[catch {stlink_diag_rule_env $facts [list subst -nobackslashes $text]} out]} {
		return $text
	}
	return $out
}

# The evidence of the findings a cause rests on, as {finding-id evidence ...}.
proc stlink_diag_observations {findings ids} {
	set out {}
	foreach f $findings {
		if {[dict get $f id] in $ids && ![dict exists $out [dict get $f id]]} {
			dict set out [dict get $f id] [dict get $f evidence]
		}
	}
	return $out
}

# The correlation step: findings and facts in, the verdict out. Also sets
# "normal" on the findings that rules classify as normal conditions.
# Returns a dict: layer status id rule summary fix observations also open
# skipped_rules normal.
proc stlink_diag_decide {layers facts} {
	global stlink_diag_rules
	set findings [stlink_diag_findings $layers $facts]
	set ids [lmap f $findings {dict get $f id}]
	set severity {fail 2 warn 1 ok 0}
	set candidates {}
	set skipped {}
	set explained {}
	set normal {}
	set always_open {}
	set order 0
	foreach {name row} $stlink_diag_rules {
		incr order
		set r [stlink_diag_rule_eval $row $ids $facts]
		if {![dict get $r fired]} {
			if {[dict get $r missing] ne ""} {
				lappend skipped $name "missing fact [dict get $r missing]"
			}
			continue
		}
		set status [dict get $row status]
		set explains [stlink_diag_get $row explains]
		if {$status eq "open"} {
			foreach {oid check} [stlink_diag_get $row open] {
				lappend always_open $oid [stlink_diag_rule_text $facts $check]
			}
			continue
		}
		if {$status eq "ok"} {
			foreach e $explains {
				lappend normal $e [list [dict get $row id] [stlink_diag_rule_text $facts [dict get $row summary]]]
			}
			lappend explained {*}$explains
			continue
		}
		set observed [concat [stlink_diag_get $row needs] [lmap i [stlink_diag_get $row any] {expr {$i in $ids ? $i : [continue]}}]]
		set fobs {}
		foreach key [stlink_diag_get $row facts] {
			lappend fobs $key [stlink_diag_get $facts $key]
		}
		set open {}
		foreach {oid check} [stlink_diag_get $row open] {
			lappend open $oid [stlink_diag_rule_text $facts $check]
		}
		lappend candidates [dict create rule $name id [dict get $row id] layer [dict get $row layer] \
			status $status rank [dict get $severity $status] specificity [dict get $r specificity] order $order \
			summary [stlink_diag_rule_text $facts [dict get $row summary]] \
			fix [stlink_diag_rule_text $facts [dict get $row fix]] \
			explains $explains \
			observations [dict merge [stlink_diag_observations $findings $observed] \
				[expr {[llength $fobs] ? [list facts $fobs] : {}}]] open $open]
	}
	# every failing or warning finding is a candidate of its own
	foreach f $findings {
		if {[dict get $f status] ni {fail warn}} {
			continue
		}
		lappend candidates [dict create rule "finding" id [dict get $f id] layer [dict get $f name] \
			status [dict get $f status] rank [dict get $severity [dict get $f status]] specificity 1 \
			order [incr order] summary [dict get $f summary] fix [dict get $f fix] explains [list [dict get $f id]] \
			observations [dict create [dict get $f id] [dict get $f evidence]] open {}]
	}
	# drop candidates whose finding a normal rule explained
	set candidates [lmap c $candidates {
		expr {[dict get $c rule] eq "finding" && [dict get $c id] in $explained ? [continue] : $c}
	}]
	if {![llength $candidates]} {
		return [dict create layer none status ok id verdict.ok rule none summary "" fix "" \
			observations {} also {} open $always_open skipped_rules $skipped normal $normal]
	}
	set best [lindex [lsort -command stlink_diag_rank $candidates] 0]
	# the other causes that need action, each once, not what the best explains
	set also {}
	set seen [list [dict get $best id]]
	lappend seen {*}[dict get $best explains]
	foreach c [lsort -command stlink_diag_rank $candidates] {
		if {[dict get $c id] in $seen} {
			continue
		}
		# a finding another fired rule explains is covered by that rule
		set covered 0
		if {[dict get $c rule] eq "finding"} {
			foreach o $candidates {
				if {[dict get $o rule] ne "finding" && [dict get $c id] in [dict get $o explains]} {
					set covered 1
				}
			}
		}
		if {$covered} {
			continue
		}
		lappend seen [dict get $c id] {*}[dict get $c explains]
		lappend also [dict create id [dict get $c id] layer [dict get $c layer] status [dict get $c status] \
			rule [dict get $c rule] summary [dict get $c summary] fix [dict get $c fix] \
			observations [dict get $c observations]]
	}
	return [dict create layer [dict get $best layer] status [dict get $best status] id [dict get $best id] \
		rule [dict get $best rule] summary [dict get $best summary] fix [dict get $best fix] \
		observations [dict get $best observations] also $also \
		open [stlink_diag_open_merge [dict get $best open] $always_open [dict get $best id]] \
		skipped_rules $skipped normal $normal]
}

# The verdict's look-alikes, then those of checks that could not be made,
# each id once and never the verdict's own.
proc stlink_diag_open_merge {first more verdict_id} {
	set out {}
	foreach {id check} [concat $first $more] {
		if {$id ne $verdict_id && ![dict exists $out $id]} {
			dict set out $id $check
		}
	}
	return $out
}

# Most severe first, then the most specific, then the table's order.
proc stlink_diag_rank {a b} {
	foreach {key dir} {rank -1 specificity -1 order 1} {
		set x [dict get $a $key]
		set y [dict get $b $key]
		if {$x != $y} {
			return [expr {$x < $y ? -$dir : $dir}]
		}
	}
	return 0
}

# For tests and scripts: decide from synthetic findings and facts, without a
# probe. findings: a list of {name LAYER status S id ID summary ... evidence ...}.
proc stlink_diag_rules_try {findings facts} {
	set layers {}
	foreach f $findings {
		lappend layers [dict merge {summary "" evidence {} fix ""} $f]
	}
	return [stlink_diag_decide $layers $facts]
}
