/*
 * demo_rng.h - the demo generators' seeded random numbers (splitmix64):
 * the same seed gives the same registry and answers on every machine.
 * Internal to src/analysis.
 */
#ifndef MAMORI_DEMO_RNG_H
#define MAMORI_DEMO_RNG_H

#include <stddef.h>
#include <stdint.h>

struct rng {
	uint64_t s;
};

static inline uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in (0, 1). */
static inline double rng_unit(struct rng *r)
{
	return ((double)(rng_next(r) >> 11) + 0.5) / 9007199254740992.0;
}

/* Uniform in [0, n); 0 when n is 0. */
static inline size_t rng_below(struct rng *r, size_t n)
{
	return n ? (size_t)(rng_unit(r) * (double)n) % n : 0;
}

#endif
