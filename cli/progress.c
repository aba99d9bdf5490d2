/* cli/progress.c — a one-line progress bar on stderr for long hashing runs. It appears only
 * when stderr is a terminal and the work has already taken more than a second, so quick builds
 * and logs stay clean. One bar at a time (file-static state). */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static struct {
	bool tty, shown;
	uint64_t total, done;
	double start, last;
} progress;

static double progress_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_start(uint64_t total_bytes)
{
	progress.tty = isatty(2);
	progress.shown = false;
	progress.total = total_bytes ? total_bytes : 1;
	progress.done = 0;
	progress.start = progress.last = progress_now();
}

void progress_add(uint64_t bytes)
{
	enum { WIDTH = 40 };
	char bar[WIDTH + 1], done[32], total[32];
	double now;
	int fill;

	progress.done += bytes;
	if (!progress.tty)
		return;
	now = progress_now();
	if (now - progress.start < 1.0 || now - progress.last < 0.1)
		return;
	progress.last = now;
	progress.shown = true;
	fill = (int)(WIDTH * (progress.done > progress.total ? 1.0 :
			      (double)progress.done / (double)progress.total));
	for (int i = 0; i < WIDTH; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[WIDTH] = '\0';
	format_bytes(progress.done, done);
	format_bytes(progress.total, total);
	fprintf(stderr, "\rhashing [%s] %s / %s ", bar, done, total);
	fflush(stderr);
}

void progress_end(void)
{
	if (progress.shown)
		fputs("\r\033[K", stderr);	/* erase the bar line */
	progress.shown = false;
}
