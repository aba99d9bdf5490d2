# cli/cli.mk — the hosted commands: cella-cli (glibc, jansson for JSON, BearSSL for SHA-256,
# Capstone to decode x86-64 code when proving patchable syscall sites) and cella, the front that
# serves `cella run` and hands everything else to cella-cli (cli/front.c says why).
# Every cli/*.c is one unit; main() lives only in cli/main.c (cella-cli) and cli/front.c (cella),
# so tests can #include the others.
# cella-cli is linked static and not PIE: ld.so loading and relocating libc cost ~0.8 ms of a
# start here; a static PIE would instead apply Capstone's ~79,000 relative relocations (~5 ms).
# cella is linked static with musl: no cpuid probing, no ifuncs, no tunables before main.
CLI_SRCS := $(filter-out cli/front.c cli/front_alloc.c,$(wildcard cli/*.c))
CLI_OBJS := $(CLI_SRCS:%.c=$(OUT)/obj/%.o)
CLI_LIBS := -ljansson -lbearssl -lcapstone

$(OUT)/bin/cella-cli: $(CLI_OBJS)
	@mkdir -p $(dir $@)
	$(CC) -static -no-pie -o $@ $^ $(CLI_LIBS)

$(OUT)/obj/cli/%.o: cli/%.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c -o $@ $<

-include $(CLI_OBJS:.o=.d)

# The front: what `cella run` needs and nothing that reads JSON, hashes or decodes.
MUSL_CC    ?= musl-gcc
FRONT_SRCS := cli/front.c cli/front_alloc.c cli/run_check.c cli/launch.c cli/stale.c cli/stamp.c cli/cache.c \
	      cli/path.c cli/imgfs.c cli/elf.c cli/fileio.c cli/util.c cli/blob.c cli/scan.c
FRONT_OBJS := $(FRONT_SRCS:%.c=$(OUT)/obj/front/%.o)
# musl's headers stop at libc; the kernel's (linux/openat2.h) come from linux-libc-dev.
FRONT_INC  := $(OUT)/gen/musl-kernel-headers
FRONT_CFLAGS := $(HOST_CFLAGS) -isystem $(FRONT_INC)

$(FRONT_INC)/.made:
	@mkdir -p $(dir $@)
	ln -sfn /usr/include/linux $(FRONT_INC)/linux
	ln -sfn /usr/include/asm-generic $(FRONT_INC)/asm-generic
	ln -sfn /usr/include/$(shell $(CC) -print-multiarch)/asm $(FRONT_INC)/asm
	@touch $@

$(OUT)/bin/cella: $(FRONT_OBJS) $(OUT)/bin/cella-cli
	@mkdir -p $(dir $@)
	$(MUSL_CC) -static -o $@ $(FRONT_OBJS)

$(OUT)/obj/front/cli/%.o: cli/%.c $(FRONT_INC)/.made
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(FRONT_CFLAGS) -MMD -MP -c -o $@ $<

-include $(FRONT_OBJS:.o=.d)
