/* libos/signal/fpu.h — FPU/SIMD images for signal frames in the kernel's XSAVE format (fpu.c).
 * Buffers handed to these functions are 64-byte aligned and fpu_frame_size() bytes long. */
#ifndef LIBOS_SIGNAL_FPU_H
#define LIBOS_SIGNAL_FPU_H

#include <stdint.h>

#define FP_XSTATE_MAGIC1 0x46505853u
#define FP_XSTATE_MAGIC2 0x46505845u

/* The kernel's struct _fpx_sw_bytes, at byte 464 of the legacy area. */
struct fpx_sw_bytes {
	uint32_t magic1, extended_size;
	uint64_t xfeatures;
	uint32_t xstate_size;
	uint32_t padding[7];
};

/* Learns the host's frame layout from CPUID; -1 without XSAVE. */
long fpu_init(void);
uint32_t fpu_frame_size(void);
/* The CPU's current state into buf, sealed as the kernel seals a frame. */
void fpu_save_live(uint8_t *buf);
/* buf (checked with fpu_image_valid) into the CPU. */
void fpu_restore_live(const uint8_t *buf);
/* The initial state a signal handler starts with, as an image. */
void fpu_init_image(uint8_t *buf);
/* Whether an image from the app may be loaded (XRSTOR would not fault on it). */
int fpu_image_valid(const uint8_t *buf);

#endif
