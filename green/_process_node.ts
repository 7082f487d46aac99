/**
 * The Node backend of green subprocesses, on `node:child_process`'s `spawn`.
 * It also runs under Deno's `node:` compatibility, which is how the shared
 * conformance suite tests it there.
 *
 * The modules are fetched with `process.getBuiltinModule` at call time, which
 * import hooks (the patcher's `node:child_process` redirection) do not reach,
 * and `spawn` goes through the patcher's table of originals.
 *
 * Reads use paused mode (`"readable"` + `read()`), so Node buffers at most a
 * high-water mark per pipe and a child that writes faster than the parent
 * reads blocks on its full pipe: back-pressure, as with Deno's streams.
 * Node reports a failed spawn (missing executable) only on the next tick; a
 * child without a pid is one that failed, and the error is thrown at once,
 * named as Deno names it.
 *
 * @module
 */
import process from "node:process";
import type * as NodeChild from "node:child_process";
import type * as NodeFs from "node:fs";
import type * as NodeOs from "node:os";
import type * as NodePath from "node:path";
import type { Readable, Writable } from "node:stream";
import type * as NodeStream from "node:stream";
import type {
  ExitStatus,
  ProcessBackend,
  RawChild,
  RawPipeIn,
  RawPipeOut,
  SignalName,
  SpawnSpec,
  StdioMode,
} from "./_process_backend.ts";
import { real } from "./_originals.ts";
import { StreamReader } from "./_stream_reader_node.ts";
import type { ReadSink, WriteSink } from "./_net_backend.ts";

/** The names under which the patcher saves the runtime functions this backend calls. */
export const NODE_PROCESS_ORIGINALS = ["node:child_process.spawn"] as const;

const WRITE_MAX = 65536;

function builtin<T>(name: string): T {
  return (process as unknown as { getBuiltinModule(id: string): T }).getBuiltinModule(name);
}

class NodePipeIn implements RawPipeIn {
  #stream: Readable;
  #reader: StreamReader;
  constructor(stream: Readable) {
    this.#stream = stream;
    this.#reader = new StreamReader(stream, "pipe");
  }
  read(_sizeHint: number, sink: ReadSink): void {
    this.#reader.read(sink);
  }
  close(): void {
    this.#stream.destroy();
  }
}

class NodePipeOut implements RawPipeOut {
  #stream: Writable;
  #error: unknown;
  #closing: Promise<void> | undefined;
  constructor(stream: Writable) {
    this.#stream = stream;
    // EPIPE arrives as an "error" event: without a listener it would crash the process.
    stream.on("error", (error: unknown) => void (this.#error ??= error));
  }
  write(data: Uint8Array, sink: WriteSink): void {
    if (this.#error !== undefined) return sink.writeDone(0, this.#error);
    const chunk = data.length > WRITE_MAX ? data.subarray(0, WRITE_MAX) : data;
    this.#stream.write(
      chunk,
      (error) => error ? sink.writeDone(0, this.#error ?? error) : sink.writeDone(chunk.length),
    );
  }
  close(): Promise<void> {
    return this.#closing ??= new Promise<void>((resolve) => {
      if (this.#stream.destroyed) return resolve();
      builtin<typeof NodeStream>("node:stream").finished(this.#stream, () => resolve());
      this.#stream.end();
    });
  }
}

class NodeRawChild implements RawChild {
  readonly pid: number;
  readonly stdin: RawPipeOut | null;
  readonly stdout: RawPipeIn | null;
  readonly stderr: RawPipeIn | null;
  readonly status: Promise<ExitStatus>;
  #child: NodeChild.ChildProcess;
  #exited = false;
  constructor(child: NodeChild.ChildProcess, pid: number) {
    this.#child = child;
    this.pid = pid;
    this.stdin = child.stdin === null ? null : new NodePipeOut(child.stdin);
    this.stdout = child.stdout === null ? null : new NodePipeIn(child.stdout);
    this.stderr = child.stderr === null ? null : new NodePipeIn(child.stderr);
    this.status = new Promise((resolve) => {
      child.once("exit", (code: number | null, signal: NodeJS.Signals | null) => {
        this.#exited = true;
        const signo = signal === null ? 0 : builtin<typeof NodeOs>("node:os").constants.signals[signal] ?? 0;
        resolve({ code: signal === null ? code ?? 0 : 128 + signo, signal });
      });
    });
  }
  kill(signal: SignalName | number): void {
    if (this.#exited) return;
    // process.kill, not child.kill: Deno's node:child_process sends only a child's first signal.
    try {
      process.kill(this.pid, signal);
    } catch (error) {
      if ((error as { code?: string }).code !== "ESRCH") throw error; // exited, not yet reported
    }
  }
  ref(): void {
    this.#child.ref();
  }
  unref(): void {
    this.#child.unref();
  }
}

const STDIO: Record<StdioMode, "pipe" | "inherit" | "ignore"> = { piped: "pipe", inherit: "inherit", null: "ignore" };

/** Why a spawn that got no pid failed, named as Deno names it (Node tells only on the next tick). */
function spawnError(command: string, spec: SpawnSpec, env: Record<string, string | undefined>): Error {
  const fs = builtin<typeof NodeFs>("node:fs");
  const path = builtin<typeof NodePath>("node:path");
  const cwd = spec.cwd ?? process.cwd();
  const candidates = command.includes("/")
    ? [path.resolve(cwd, command)]
    : (env.PATH ?? "").split(":").filter((dir) => dir !== "").map((dir) => path.resolve(cwd, dir, command));
  const found = fs.existsSync(cwd) && candidates.some((file) => fs.existsSync(file));
  const [name, code, reason] = found
    ? ["PermissionDenied", "EACCES", "permission denied"]
    : ["NotFound", "ENOENT", "entity not found"];
  return Object.assign(new Error(`Failed to spawn '${command}': ${reason}`), { name, code });
}

/** Green subprocesses on `node:child_process`. */
export const nodeProcess: ProcessBackend = {
  name: "node",
  spawn(command: string, spec: SpawnSpec): RawChild {
    const spawn = real(
      "node:child_process.spawn",
      () => builtin<typeof NodeChild>("node:child_process").spawn,
    );
    const env: Record<string, string | undefined> = spec.clearEnv ? { ...spec.env } : { ...process.env, ...spec.env };
    const options: NodeChild.SpawnOptions = {
      stdio: [STDIO[spec.stdin], STDIO[spec.stdout], STDIO[spec.stderr]],
      detached: spec.detached,
      env,
    };
    if (spec.cwd !== undefined) options.cwd = spec.cwd;
    if (spec.uid !== undefined) options.uid = spec.uid;
    if (spec.gid !== undefined) options.gid = spec.gid;
    const child = spawn(command, spec.args, options);
    child.on("error", () => {}); // reported below (failed spawn) or by the calls that failed
    if (child.pid === undefined) throw spawnError(command, spec, env);
    return new NodeRawChild(child, child.pid);
  },
};
