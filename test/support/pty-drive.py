"""Runs a command in a pseudo-terminal and answers its prompts, like a person at a keyboard.

usage: pty-drive.py STEPS_JSON -- command args...
STEPS_JSON: [[text_to_wait_for, keys_to_send], ...]. Prints everything the program wrote, then
exits with its exit code. Gives up (exit 124) if a prompt does not appear within 20 s.
"""
import json, os, pty, select, sys, time

steps = json.loads(sys.argv[1])
argv = sys.argv[sys.argv.index('--') + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)

seen = b''
def read_some(timeout):
    global seen
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        return True
    try:
        data = os.read(fd, 65536)
    except OSError:
        return False
    if not data:
        return False
    seen += data
    return True

for wait_for, keys in steps:
    deadline = time.time() + 20
    while wait_for.encode() not in seen:
        if time.time() > deadline or not read_some(0.2):
            sys.stdout.write(seen.decode('utf8', 'replace'))
            sys.exit(124)
    seen_upto = seen.index(wait_for.encode()) + len(wait_for)
    time.sleep(0.2)
    os.write(fd, keys.encode())
    # Only later output can satisfy the next step.
    sys.stdout.write(seen[:seen_upto].decode('utf8', 'replace'))
    seen = seen[seen_upto:]

while read_some(5):
    pass
sys.stdout.write(seen.decode('utf8', 'replace'))
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
