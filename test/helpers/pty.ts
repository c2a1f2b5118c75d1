// Runs a command with its stderr on a real pseudo-terminal (Python's pty module) and its stdout on
// a pipe, so a test sees exactly what a user's terminal would show while stdout stays parseable.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const PTY_RUNNER = `
import fcntl, json, os, pty, select, struct, subprocess, sys, termios
argv = json.loads(sys.argv[1])
master, slave = pty.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, int(sys.argv[2]), 0, 0))
p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave)
os.close(slave)
tty = b""
while True:
    ready, _, _ = select.select([master], [], [], 0.05)
    if ready:
        try:
            data = os.read(master, 65536)
        except OSError:
            data = b""
        if data:
            tty += data
            continue
    if p.poll() is not None and not ready:
        break
    if ready and not data:
        break
out = p.stdout.read()
p.wait()
print(json.dumps({"code": p.returncode, "stdout": out.decode(), "tty": tty.decode("utf8", "replace")}))
`;

export interface TtyRun {
  readonly code: number;
  readonly stdout: string;
  /** Everything written to the terminal, escape sequences included. */
  readonly tty: string;
}

export async function runWithTtyStderr(argv: readonly string[], env: Record<string, string | undefined>, columns = 200): Promise<TtyRun> {
  const r = await promisify(execFile)("python3", ["-c", PTY_RUNNER, JSON.stringify(argv), String(columns)], { env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(r.stdout) as TtyRun;
}
