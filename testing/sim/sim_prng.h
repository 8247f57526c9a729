/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Deterministic PRNG for probabilistic faults. Every random decision of the
 * simulator comes from here so that one scenario "seed" reproduces a run.
 */
#ifndef SIM_PRNG_H
#define SIM_PRNG_H

#include <stdint.h>

struct sim_prng {
	uint64_t state;
};

void sim_prng_seed(struct sim_prng *r, uint64_t seed);
uint64_t sim_prng_next(struct sim_prng *r);
/* uniform double in [0, 1) */
double sim_prng_unit(struct sim_prng *r);

#endif /* SIM_PRNG_H */
