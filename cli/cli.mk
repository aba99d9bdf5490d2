# cli/cli.mk — the hosted `cella` command (glibc, jansson).
CLI_SRCS := $(wildcard cli/*.c)
CLI_OBJS := $(CLI_SRCS:%.c=$(OUT)/obj/%.o)

$(OUT)/bin/cella: $(CLI_OBJS)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $^ -ljansson

$(OUT)/obj/cli/%.o: cli/%.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c -o $@ $<

-include $(CLI_OBJS:.o=.d)
