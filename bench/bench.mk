# bench/bench.mk — `make bench`: micro-benchmarks built static with glibc (hello also dynamic), run
# natively and under cella by bench/run.py, which prints the table and writes JSON and SVG.
BENCH_SRCS := $(wildcard bench/micro/*.c)
BENCH_BINS := $(BENCH_SRCS:bench/micro/%.c=$(OUT)/bench/%) $(OUT)/bench/hello-dynamic

$(OUT)/bench/%: bench/micro/%.c bench/micro/bench.h
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -Wextra -static -o $@ $<

$(OUT)/bench/hello-dynamic: bench/micro/hello.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -Wextra -o $@ $<

.PHONY: bench bench-build
bench-build: $(BENCH_BINS)

bench: all bench-build
	python3 bench/run.py --out $(OUT)/bench
