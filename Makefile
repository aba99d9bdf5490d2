# Makefile — builds the CLI (out/bin/cella, its front, and out/bin/cella-cli) and the freestanding runtime (out/bin/cella-runtime);
# `make test` runs every test, `make demo` runs a real program in an instance, `make bench` measures.
# Each part has its own fragment: cli/cli.mk, runtime.mk, tests/tests.mk, bench/bench.mk.

OUT      ?= out
CC       ?= gcc
WARN     := -Wall -Wextra -Werror=implicit-function-declaration
HOST_CFLAGS := -O2 -g $(WARN) -std=gnu11 -Iinclude -D_GNU_SOURCE

.PHONY: all test demo bench clean deps
all: $(OUT)/bin/cella $(OUT)/bin/cella-runtime

include cli/cli.mk
include runtime.mk
include tests/tests.mk
include tests/fuzz/fuzz.mk
-include bench/bench.mk

deps:
	bash scripts/install-deps.sh

demo: deps all
	bash scripts/demo.sh

test: all
	bash tests/run.sh

clean:
	rm -rf $(OUT)
