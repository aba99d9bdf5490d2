#!/usr/bin/env bash
# tests/cli/build_wrong_type.sh — cella build: a value of the wrong JSON type names the key, the expected type and what it got.
set -u
: "${CELLA:?set CELLA to the absolute path of out/bin/cella}" "${SCRATCH:?set SCRATCH to an empty directory}"
. "$(dirname "$0")/lib.sh"

config_instance
try_config "a string where an integer belongs" 's/"max_num_of_threads": 64/"max_num_of_threads": "64"/' \
	'resource_limits\.max_num_of_threads: expected an integer, got a string'
try_config "an integer where a boolean belongs" 's/"aslr": true/"aslr": 1/' \
	'security\.aslr: expected true or false, got an integer'
try_config "a boolean where a size belongs" 's/"default_heap_size": "64M"/"default_heap_size": true/' \
	'process\.default_heap_size: expected a size .*got true'
try_config "a string where an array belongs" '/"untrusted": \[/,/\]/c\    "untrusted": "TERM"' \
	'env\.untrusted: expected an array of strings, got a string'
try_config "a number where an env value belongs" 's/"HOME": "\/root"/"HOME": 7/' \
	'env\.default\.HOME: expected a string, got an integer'
try_config "a number in entry_points" 's/"\/sbin",/7,/' 'entry_points\[3\]: expected a string, got an integer'
