#!/usr/bin/env bash
# tests/cli/build_bad_size.sh — cella build: impossible sizes and counts name the key and the allowed range.
set -u
: "${CELLA:?set CELLA to the absolute path of out/bin/cella}" "${SCRATCH:?set SCRATCH to an empty directory}"
. "$(dirname "$0")/lib.sh"

config_instance
try_config "a zero stack is refused" 's/"default_stack_size": "8M"/"default_stack_size": 0/' \
	'process\.default_stack_size: 0 is out of range; allowed 64K to 4G'
try_config "user_space_size below 16M is refused" 's/"user_space_size": "4G"/"user_space_size": "8M"/' \
	'resource_limits\.user_space_size: 8M is out of range; allowed 16M to 128T'
try_config "user_space_size above 128T is refused" 's/"user_space_size": "4G"/"user_space_size": "200T"/' \
	'resource_limits\.user_space_size: 200T is out of range; allowed 16M to 128T'
try_config "kernel_heap_size below 1M is refused" 's/"kernel_heap_size": "64M"/"kernel_heap_size": "64K"/' \
	'resource_limits\.kernel_heap_size: 64K is out of range; allowed 1M to 64G'
try_config "a size with an unknown unit is refused" 's/"kernel_heap_size": "64M"/"kernel_heap_size": "64Q"/' \
	'resource_limits\.kernel_heap_size: "64Q" is not a size'
try_config "zero threads are refused" 's/"max_num_of_threads": 64/"max_num_of_threads": 0/' \
	'resource_limits\.max_num_of_threads: 0 is out of range; allowed 1 to 4096'
try_config "a stack and heap larger than user space are refused" 's/"default_heap_size": "64M"/"default_heap_size": "4G"/' \
	'do not fit in resource_limits\.user_space_size'
try_config "a tiny tmpfs is refused" 's/"size": "256M"/"size": "1K"/' 'mounts\[1\]\.size: 1K is out of range'
cp "$SCRATCH/good.json" "$I/cella.json"
sed -i 's/"default_stack_size": "8M"/"default_stack_size": "8MiB"/; s/"user_space_size": "4G"/"user_space_size": 17179869184/' "$I/cella.json"
expect "sizes as MiB strings and as byte counts are accepted" 0 'wrote build/config.bin' "$CELLA" -C "$I" build
