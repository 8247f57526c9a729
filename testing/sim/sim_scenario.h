/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Scenario files (JSON): which probe, which server, which target, which faults.
 * The schema is documented in README.md; every key is validated, and any problem
 * is reported with the file name, the key path (and its line) and the reason.
 */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "sim_fault.h"
#include "sim_probe.h"
#include "sim_target.h"

#define SIM_MAX_PROBES	8

struct sim_server_config {
	uint32_t api;
	uint32_t major, minor, build;
	uint32_t num_probes;
};

/* a fault as written in the scenario; instantiated per device by sim_fault_init() */
struct sim_fault_spec {
	const struct sim_fault_type *type;
	double param[SIM_FAULT_MAX_PARAMS];
};

struct sim_scenario {
	char description[256];
	uint64_t seed;
	struct sim_server_config server;
	struct sim_probe_config probe;
	struct sim_target_config target;
	struct sim_fault_spec faults[SIM_FAULT_MAX];
	unsigned int n_faults;
};

void sim_scenario_defaults(struct sim_scenario *sc);
/* returns 0, or -1 with a complete human-readable message in err */
int sim_scenario_load(const char *path, struct sim_scenario *sc, char *err, size_t err_size);

#endif /* SIM_SCENARIO_H */
