/*
 * prng.h: the generators' random stream (splitmix64): the same seed gives the same files on
 * every machine, which rand() does not promise.
 *
 *     rng_state = seed;
 *     uint64_t r = rng_next();
 */
#ifndef KPR_PRNG_H
#define KPR_PRNG_H

#include <stdint.h>

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

#endif
