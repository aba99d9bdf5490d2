#!/usr/bin/env bash
# tests/apps/python.sh — Debian's python3 (dynamic, with its standard library from the image) under
# cella: it starts as pid 1, json.tool formats a file exactly as native python3 does, threads run.
# shellcheck source=tests/apps/lib.sh
. "$REPO/tests/apps/lib.sh"
app_instance
got=$SCRATCH/pid.got
timeout -k 5 120 "$CELLA" -C "$APP_INST" run /usr/bin/python3 -c \
	'import json,os,sys; print(json.dumps({"pid": os.getpid()}))' </dev/null >"$got" 2>"$SCRATCH/pid.err"
echo '{"pid": 1}' >"$SCRATCH/pid.want"
expect_same "python3 sees itself as pid 1" "$SCRATCH/pid.want" "$got"
compare "python3 pid matches native" -- /usr/bin/python3 -c 'import json,os,sys; print(json.dumps({"pid": os.getpid()}))'
compare "python3 -m json.tool" -- /usr/bin/python3 -m json.tool /data/sample.json
compare "python3 reads files and lists dirs" -- /usr/bin/python3 -c \
	'import os, hashlib; print(sorted(os.listdir("/data"))); print(hashlib.sha256(open("/data/lines.txt","rb").read()).hexdigest())'
compare "python3 threads: threading and a thread pool" -- /usr/bin/python3 -c \
	'import threading, queue
q = queue.Queue()
def work(i): q.put((i, sum(range(100000))))
ts = [threading.Thread(target=work, args=(i,)) for i in range(8)]
[t.start() for t in ts]; [t.join() for t in ts]
print(sorted(q.get() for _ in range(8)), threading.active_count())
from concurrent.futures import ThreadPoolExecutor
with ThreadPoolExecutor(4) as ex: print(sum(ex.map(lambda x: x * x, range(1000))))'
compare "env execs python3 (execve with a PATH search)" -- /usr/bin/env python3 -c \
	'import os, sys; print(sys.argv, os.getpid(), os.environ.get("PATH"))'
compare "python3 os.execv replaces itself with ls" -- /usr/bin/python3 -c \
	'import os; os.execv("/bin/ls", ["ls", "-1", "/data"])'
compare "python3 subprocess: run, capture, status, pipes" -- /usr/bin/python3 -c \
	'import subprocess, sys
r = subprocess.run(["/bin/ls", "-1", "/data"], capture_output=True, text=True)
print(r.returncode, r.stdout.split())
print(subprocess.run(["/usr/bin/python3", "-c", "import sys; sys.exit(5)"]).returncode)
p = subprocess.Popen(["/bin/cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
print(p.communicate(b"through a pipe\n"), p.returncode)
try:
    subprocess.run(["/no/such/program"])
except FileNotFoundError as e:
    print("FileNotFoundError", e.errno)'
compare "python3 os.fork, os.waitpid and os.kill" -- /usr/bin/python3 -c \
	'import os, signal
pid = os.fork()
if pid == 0:
    os._exit(7)
print(os.waitpid(pid, 0)[1] >> 8)
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r); os.write(w, str(os.getppid()).encode()); signal.pause(); os._exit(0)
os.close(w)
print(os.read(r, 64).decode() == str(os.getpid()))
os.kill(pid, signal.SIGTERM)
print(os.waitpid(pid, 0)[1] & 0x7f == signal.SIGTERM)'
app_finish
