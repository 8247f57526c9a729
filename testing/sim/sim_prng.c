// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * splitmix64: tiny, well distributed, and identical on every platform, which
 * matters more here than cryptographic quality.
 */
#include "sim_prng.h"

void sim_prng_seed(struct sim_prng *r, uint64_t seed)
{
	r->state = seed;
}

uint64_t sim_prng_next(struct sim_prng *r)
{
	uint64_t z = (r->state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

double sim_prng_unit(struct sim_prng *r)
{
	/* 53 random bits fill the mantissa of a double exactly */
	return (double)(sim_prng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}
