/* libos/signal/fpu.c — the app's FPU/SIMD state in signal frames, in the kernel's format: an
 * XSAVE image (legacy 512 bytes whose sw_reserved bytes say magic1, sizes and features, the XSAVE
 * header, the extended areas) followed by magic2. The layout is the host's: the features the
 * kernel puts in user frames (XCR0 less those it arms to fault on first use) and their size. */
#include "fpu.h"
#include "../../lib/mem.h"

static struct {
	uint64_t features;	/* XSAVE features in frames */
	uint32_t size;		/* bytes of the XSAVE image (without magic2) */
	uint32_t mxcsr_mask;	/* MXCSR bits the CPU accepts */
} xs;

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

long fpu_init(void)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	if (!(r[2] & (1u << 27)))	/* OSXSAVE */
		return -1;
	uint32_t lo, hi;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	uint64_t xcr0 = ((uint64_t)hi << 32) | lo;
	cpuid(0xd, 1, r);
	int xfd = (r[0] >> 4) & 1;
	uint32_t size = 512 + 64;
	uint64_t features = xcr0 & 3;
	for (int i = 2; i < 63; i++) {
		if (!(xcr0 & (1ull << i)))
			continue;
		uint32_t c[4];
		cpuid(0xd, (uint32_t)i, c);
		if (xfd && (c[2] & 4))	/* armed to fault on first use (AMX tiles): not in frames */
			continue;
		features |= 1ull << i;
		if (c[1] + c[0] > size)	/* offset + size in the standard format */
			size = c[1] + c[0];
	}
	xs.features = features;
	xs.size = size;
	static uint8_t fx[512] __attribute__((aligned(64)));
	__asm__ volatile("fxsave64 (%0)" : : "r"(fx) : "memory");
	memcpy(&xs.mxcsr_mask, fx + 28, 4);
	if (!xs.mxcsr_mask)
		xs.mxcsr_mask = 0xffbf;	/* the architectural default */
	return 0;
}

uint32_t fpu_frame_size(void)
{
	return xs.size + 4;	/* magic2 follows the image */
}

/* Completes the sw_reserved bytes and magic2 of an image in buf (xs.size + 4 bytes). */
static void fpu_seal(uint8_t *buf)
{
	struct fpx_sw_bytes sw = { FP_XSTATE_MAGIC1, xs.size + 4, xs.features, xs.size, { 0 } };
	memcpy(buf + 464, &sw, sizeof(sw));
	uint32_t m2 = FP_XSTATE_MAGIC2;
	memcpy(buf + xs.size, &m2, 4);
}

void fpu_save_live(uint8_t *buf)
{
	memset(buf + 512, 0, 64);	/* the XSAVE header must start clean */
	__asm__ volatile("xsave64 (%0)" : : "r"(buf), "a"((uint32_t)xs.features),
			 "d"((uint32_t)(xs.features >> 32)) : "memory");
	fpu_seal(buf);
}

void fpu_restore_live(const uint8_t *buf)
{
	__asm__ volatile("xrstor64 (%0)" : : "r"(buf), "a"((uint32_t)xs.features),
			 "d"((uint32_t)(xs.features >> 32)) : "memory");
}

void fpu_init_image(uint8_t *buf)
{
	memset(buf, 0, xs.size + 4);
	uint16_t fcw = 0x37f;	/* what FNINIT and the kernel's init state hold */
	uint32_t mxcsr = 0x1f80;
	memcpy(buf, &fcw, 2);
	memcpy(buf + 24, &mxcsr, 4);
	fpu_seal(buf);
}

int fpu_image_valid(const uint8_t *buf)
{
	struct fpx_sw_bytes sw;
	memcpy(&sw, buf + 464, sizeof(sw));
	uint32_t m2, mxcsr;
	uint64_t xstate_bv, xcomp_bv, rsv[6];
	memcpy(&m2, buf + xs.size, 4);
	memcpy(&mxcsr, buf + 24, 4);
	memcpy(&xstate_bv, buf + 512, 8);
	memcpy(&xcomp_bv, buf + 520, 8);
	memcpy(rsv, buf + 528, sizeof(rsv));
	if (sw.magic1 != FP_XSTATE_MAGIC1 || sw.xstate_size != xs.size || sw.extended_size != xs.size + 4 ||
	    m2 != FP_XSTATE_MAGIC2)
		return 0;
	if ((xstate_bv & ~xs.features) || xcomp_bv || (mxcsr & ~xs.mxcsr_mask))
		return 0;
	for (int i = 0; i < 6; i++)
		if (rsv[i])
			return 0;
	return 1;
}
