# runtime.mk — the freestanding runtime: a static PIE with no host libc. Everything runs with
# %fs owned by the app, so no stack protector and no SIMD (-mgeneral-regs-only) in our code.
RT_CFLAGS := -O2 -g -std=gnu11 $(WARN) -ffreestanding -fno-stack-protector -fPIE \
	-fvisibility=hidden -mgeneral-regs-only -fno-tree-loop-distribute-patterns \
	-fno-omit-frame-pointer -I. -I$(OUT)/gen -Iinclude
RT_LDFLAGS := -static-pie -nostdlib -Wl,-z,noexecstack -Wl,-z,max-page-size=4096 \
	-Wl,--no-undefined -Wl,-z,text

RT_C_SRCS := $(wildcard lib/*.c pal/*.c libos/*.c libos/*/*.c)
RT_S_SRCS := $(wildcard pal/*.S libos/*/*.S)
RT_OBJS := $(RT_C_SRCS:%.c=$(OUT)/obj/rt/%.o) $(RT_S_SRCS:%.S=$(OUT)/obj/rt/%.o) \
	$(OUT)/obj/rt/gen/syscall_table.o
UNISTD_H := /usr/include/x86_64-linux-gnu/asm/unistd_64.h
BEARSSL_A := /usr/lib/x86_64-linux-gnu/libbearssl.a

# One recipe makes both files (a grouped target: with -j2 a plain rule ran it twice at once).
$(OUT)/gen/syscall_table.c $(OUT)/gen/syscall_decls.h &: libos/entry/syscalls.tbl scripts/gen-syscalls.sh
	bash scripts/gen-syscalls.sh $< $(UNISTD_H) $(OUT)/gen

$(OUT)/obj/rt/%.o: %.c $(OUT)/gen/syscall_decls.h
	@mkdir -p $(dir $@)
	$(CC) $(RT_CFLAGS) -MMD -MP -c -o $@ $<

$(OUT)/obj/rt/gen/syscall_table.o: $(OUT)/gen/syscall_table.c
	@mkdir -p $(dir $@)
	$(CC) $(RT_CFLAGS) -c -o $@ $<

$(OUT)/obj/rt/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(RT_CFLAGS) -c -o $@ $<

# BearSSL comes from Debian's static library; only the SHA-256 objects are pulled in.
$(OUT)/bin/cella-runtime: $(RT_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(RT_LDFLAGS) -o $@ $(RT_OBJS) $(BEARSSL_A) -lgcc
	@if nm -u $@ | grep -q .; then echo "cella-runtime has undefined symbols:"; nm -u $@; rm -f $@; exit 1; fi

-include $(RT_OBJS:.o=.d)
