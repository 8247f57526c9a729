# SPDX-License-Identifier: GPL-2.0-or-later
# The probe and target model of the simulator, without a transport: one list,
# included by testing/sim/Makefile (TCP) and testing/usbsim/Makefile (libusb).
MODEL_SRCS := sim_probe.c sim_target.c sim_parts.c sim_phys.c sim_fault.c sim_prng.c sim_log.c sim_scenario.c
