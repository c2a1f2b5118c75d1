// A minimal Debug Adapter Protocol client over stdio, enough to drive the real debugpy adapter
// as VS Code does: Content-Length framed JSON, requests matched to responses by seq, events kept.
import { spawn, type ChildProcess } from "node:child_process";

export interface DapMessage {
  readonly seq: number;
  readonly type: "request" | "response" | "event";
  readonly command?: string;
  readonly event?: string;
  readonly request_seq?: number;
  readonly success?: boolean;
  readonly message?: string;
  readonly body?: Record<string, unknown>;
}

export class DapClient {
  readonly events: DapMessage[] = [];
  private readonly child: ChildProcess;
  private buffer = Buffer.alloc(0);
  private seq = 1;
  private readonly pending = new Map<number, (m: DapMessage) => void>();
  private readonly waiters: Array<{ event: string; resolve: (m: DapMessage) => void }> = [];
  stderr = "";

  constructor(command: string, args: readonly string[], env: Record<string, string>) {
    this.child = spawn(command, args, { env, stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdout!.on("data", (chunk: Buffer) => this.receive(chunk));
    this.child.stderr!.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  request(command: string, args: Record<string, unknown> = {}): Promise<DapMessage> {
    const seq = this.seq++;
    const body = Buffer.from(JSON.stringify({ seq, type: "request", command, arguments: args }));
    this.child.stdin!.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
    return new Promise((resolve) => this.pending.set(seq, resolve));
  }

  /** The first event of that name, already received or still to come. */
  waitForEvent(event: string, timeoutMs: number): Promise<DapMessage> {
    const seen = this.events.find((e) => e.event === event);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${event}" event in ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({ event, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  /** Everything the debuggee printed (output events of category stdout/stderr). */
  output(): string {
    return this.events
      .filter((e) => e.event === "output" && (e.body?.category === "stdout" || e.body?.category === "stderr"))
      .map((e) => String(e.body?.output ?? ""))
      .join("");
  }

  kill(): void {
    this.child.kill("SIGKILL");
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as DapMessage;
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(message);
    }
  }

  private dispatch(message: DapMessage): void {
    if (message.type === "response") {
      this.pending.get(message.request_seq!)?.(message);
      this.pending.delete(message.request_seq!);
    } else if (message.type === "event") {
      this.events.push(message);
      for (const w of this.waiters.filter((x) => x.event === message.event)) w.resolve(message);
      this.waiters.splice(0, this.waiters.length, ...this.waiters.filter((x) => x.event !== message.event));
    }
  }
}
