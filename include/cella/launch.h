/* include/cella/launch.h — how `cella run` starts cella-runtime. The launcher opens everything the
 * runtime needs and passes host fds by number; the runtime opens no host path by name.
 *
 *   cella-runtime --config-fd=N --manifest-fd=N --image-fd=N --run-fd=N [--verified-fd=N]
 *                 [--log-fd=N] --tmp-name=NAME -- PATH [ARG...]
 *
 * config-fd: build/config.bin; manifest-fd: build/manifest.bin; image-fd: O_PATH|O_DIRECTORY of
 * image/; run-fd: O_PATH|O_DIRECTORY of run/, where the runtime makes NAME (mode 0700), the private
 * host directory backing /tmp, when the app first uses /tmp (the launcher removes it at exit, if
 * it was made; NAME is random so no earlier run's directory is taken); verified-fd: build/verified.bin, read-write, where the runtime remembers which
 * image files it has hashed (see libos/fs/image.c); log-fd: where log lines go (default 2). PATH is the program's path inside the
 * instance and becomes the app's argv[0]; ARGs follow. The runtime's own environment is the host's:
 * the app's is built from env.default plus the host values of names in env.untrusted.
 * CELLA_LOG=error|warn|info|debug|trace sets the log level. Exit status: the app's, or 128+signal. */
#ifndef CELLA_LAUNCH_H
#define CELLA_LAUNCH_H

#define CELLA_RUNTIME_NAME "cella-runtime"

#endif
