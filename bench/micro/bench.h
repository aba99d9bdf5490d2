/* bench/micro/bench.h — shared by the micro-benchmarks: run an operation N times after a warm-up
 * and print the mean nanoseconds per operation on stdout (one number), nothing else. */
#ifndef CELLA_BENCH_H
#define CELLA_BENCH_H
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline double bench_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

/* BENCH(iterations, statement): prints ns per execution of statement. */
#define BENCH(argc, argv, default_n, stmt) do { \
	long n_ = (argc) > 1 ? atol((argv)[1]) : (default_n); \
	for (long i_ = 0; i_ < n_ / 10 + 1; i_++) { stmt; } \
	double t0_ = bench_now(); \
	for (long i_ = 0; i_ < n_; i_++) { stmt; } \
	double t1_ = bench_now(); \
	printf("%.1f\n", (t1_ - t0_) / n_); \
	} while (0)

#endif
