/* libos/log.h — leveled logging to the log fd (CELLA_LOG, CELLA_LOG_FILE via the launcher).
 * Lines look like "cella[pid]: level: message". Never used on a hot path below `debug`. */
#ifndef LIBOS_LOG_H
#define LIBOS_LOG_H

enum log_level { LOG_OFF = 0, LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG, LOG_TRACE };

extern int log_level;
extern int log_fd;

void log_init(const char *level_name, int fd);
void log_write(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes an already formatted line (adds the newline). */
void log_raw(const char *line, unsigned long len);

#define log_error(...) log_write(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  do { if (log_level >= LOG_WARN) log_write(LOG_WARN, __VA_ARGS__); } while (0)
#define log_info(...)  do { if (log_level >= LOG_INFO) log_write(LOG_INFO, __VA_ARGS__); } while (0)
#define log_debug(...) do { if (log_level >= LOG_DEBUG) log_write(LOG_DEBUG, __VA_ARGS__); } while (0)

/* A LibOS bug: logs and aborts the whole process. */
__attribute__((noreturn)) void libos_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
