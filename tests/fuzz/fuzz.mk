# tests/fuzz/fuzz.mk — builds the differential syscall fuzzer (out/tests/fuzz/fuzz, glibc static) and
# `make fuzz`: 200 calls per number with three seeds, native vs cella (tests/fuzz/compare.py).
# The short run (20 calls, one seed) is a section of `make test` (TESTS_ONLY=fuzz in tests/run.sh).

FUZZ_BIN    := $(OUT)/tests/fuzz/fuzz
FUZZ_CFLAGS := -O2 -g -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -U_FORTIFY_SOURCE -fno-stack-protector
FUZZ_SEEDS  ?= 1 2 3
FUZZ_ITERS  ?= 200

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BIN)

# -fno-stack-protector: a fuzzed arch_prctl(ARCH_SET_FS) leaves the child without TLS, so the
# child's loop must not read the canary (or errno: it makes its calls with its own syscall stub).
$(FUZZ_BIN): tests/fuzz/fuzz.c tests/fuzz/names.h tests/fuzz/fuzz.mk
	@mkdir -p $(dir $@)
	$(CC) $(FUZZ_CFLAGS) -static -o $@ $<

fuzz: all $(FUZZ_BIN)
	python3 tests/fuzz/compare.py -N $(FUZZ_ITERS) $(foreach s,$(FUZZ_SEEDS),-s $(s))
