# cli/cli.mk — the hosted `cella` command (glibc, jansson for JSON, BearSSL for SHA-256,
# Capstone to decode x86-64 code when proving patchable syscall sites).
# Every cli/*.c is one unit; main() lives only in cli/main.c so tests can #include the others.
CLI_SRCS := $(wildcard cli/*.c)
CLI_OBJS := $(CLI_SRCS:%.c=$(OUT)/obj/%.o)
CLI_LIBS := -Wl,-Bstatic -ljansson -lbearssl -Wl,-Bdynamic	# Capstone is dlopen'ed by cli/sites.c

$(OUT)/bin/cella: $(CLI_OBJS)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $^ $(CLI_LIBS)

$(OUT)/obj/cli/%.o: cli/%.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c -o $@ $<

-include $(CLI_OBJS:.o=.d)
