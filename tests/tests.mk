# tests/tests.mk — builds the self-checking test programs, each three ways (glibc static, glibc
# dynamic, musl static) into $(OUT)/tests/programs/, and the host unit tests into $(OUT)/tests/unit/.
# `make tests-build` builds both; tests/run.sh calls it (and builds unit tests one by one).

TEST_PROG_DIR      := $(OUT)/tests/programs
TEST_PROG_NAMES    := $(patsubst tests/programs/%.c,%,$(wildcard tests/programs/*.c))
TEST_PROG_VARIANTS := glibc-static glibc-dynamic musl-static
TEST_PROGS         := $(foreach n,$(TEST_PROG_NAMES),$(foreach v,$(TEST_PROG_VARIANTS),$(TEST_PROG_DIR)/$(n).$(v)))
TEST_PROG_CFLAGS   := -O1 -g -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE
TEST_PROG_DEPS     := $(wildcard tests/programs/*.h) tests/tests.mk
MUSL_CC            ?= musl-gcc

TEST_UNIT_DIR      := $(OUT)/tests/unit
TEST_UNITS         := $(patsubst tests/unit/%.c,$(TEST_UNIT_DIR)/%,$(wildcard tests/unit/*.c))

.PHONY: tests-build tests-programs tests-unit
tests-build: tests-programs tests-unit
tests-programs: $(TEST_PROGS)
tests-unit: $(TEST_UNITS)

$(TEST_PROG_DIR)/%.glibc-static: tests/programs/%.c $(TEST_PROG_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_PROG_CFLAGS) -static -o $@ $<

$(TEST_PROG_DIR)/%.glibc-dynamic: tests/programs/%.c $(TEST_PROG_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_PROG_CFLAGS) -o $@ $<

$(TEST_PROG_DIR)/%.musl-static: tests/programs/%.c $(TEST_PROG_DEPS)
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(TEST_PROG_CFLAGS) -static -o $@ $<

$(TEST_UNIT_DIR)/%: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -I. -MMD -MP -MF $@.d $< -o $@ -ljansson -lbearssl

-include $(TEST_UNITS:=.d)
