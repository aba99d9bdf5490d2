# cli/cli.mk — the hosted `cella` command (glibc, jansson for JSON, BearSSL for SHA-256,
# Capstone to decode x86-64 code when proving patchable syscall sites).
# Every cli/*.c is one unit; main() lives only in cli/main.c so tests can #include the others.
# Linked static and not PIE: every `cella run` is one more process start in front of the app,
# and ld.so loading and relocating libc cost ~0.8 ms of it here; a static PIE would instead
# apply Capstone's ~79,000 relative relocations at every start (~5 ms).
CLI_SRCS := $(wildcard cli/*.c)
CLI_OBJS := $(CLI_SRCS:%.c=$(OUT)/obj/%.o)
CLI_LIBS := -ljansson -lbearssl -lcapstone

$(OUT)/bin/cella: $(CLI_OBJS)
	@mkdir -p $(dir $@)
	$(CC) -static -no-pie -o $@ $^ $(CLI_LIBS)

$(OUT)/obj/cli/%.o: cli/%.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c -o $@ $<

-include $(CLI_OBJS:.o=.d)
