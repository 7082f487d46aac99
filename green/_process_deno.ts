/**
 * The Deno backend of green subprocesses, on `Deno.Command`. The constructor
 * is looked up at call time through the patcher's table of originals, so once
 * `monkeyPatch()` made green `Command` the global, this file still reaches the
 * runtime's own.
 *
 * Pipes are Deno's streams, read with one default reader and written with one
 * writer each; a missing executable is Deno's own `NotFound`.
 *
 * @module
 */
import type { ExitStatus, ProcessBackend, RawChild, RawPipeIn, RawPipeOut, SpawnSpec } from "./_process_backend.ts";
import type { ReadSink, WriteSink } from "./_net_backend.ts";
import { real } from "./_originals.ts";

/** The names under which the patcher saves the runtime functions this backend calls. */
export const DENO_PROCESS_ORIGINALS = ["Deno.Command"] as const;

class DenoPipeIn implements RawPipeIn {
  #stream: ReadableStream<Uint8Array>;
  #reader: ReadableStreamBYOBReader | undefined;
  #closed = false;
  constructor(stream: ReadableStream<Uint8Array>) {
    this.#stream = stream;
  }
  read(sizeHint: number, sink: ReadSink): void {
    // A BYOB read of the caller's size: a default reader would allocate 64 KiB per read, which
    // showed as GC time in scripts/bench_process.ts (most children print little).
    const reader = this.#reader ??= this.#stream.getReader({ mode: "byob" });
    const next = (r: ReadableStreamReadResult<Uint8Array>): void => {
      if (r.done) {
        this.#closed = true; // at its end the stream released the pipe: nothing left to cancel
        return sink.readDone(null);
      }
      if (r.value.length === 0) return void reader.read(new Uint8Array(sizeHint)).then(next, fail);
      sink.readDone(r.value);
    };
    const fail = (error: unknown): void => sink.readDone(null, error ?? new Error("read failed"));
    reader.read(new Uint8Array(sizeHint)).then(next, fail);
  }
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const done = this.#reader === undefined ? this.#stream.cancel() : this.#reader.cancel();
    done.catch(() => {}); // the stream already ended or failed: nothing left to release
  }
}

class DenoPipeOut implements RawPipeOut {
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #closing: Promise<void> | undefined;
  constructor(stream: WritableStream<Uint8Array>) {
    this.#writer = stream.getWriter();
  }
  write(data: Uint8Array, sink: WriteSink): void {
    this.#writer.write(data).then(
      () => sink.writeDone(data.length),
      (error) => sink.writeDone(0, error ?? new Error("write failed")),
    );
  }
  close(): Promise<void> {
    // The child may have closed its end already: closing ours cannot fail in a way that matters.
    return this.#closing ??= this.#writer.close().catch(() => {});
  }
}

class DenoRawChild implements RawChild {
  readonly pid: number;
  readonly stdin: RawPipeOut | null;
  readonly stdout: RawPipeIn | null;
  readonly stderr: RawPipeIn | null;
  readonly status: Promise<ExitStatus>;
  #child: Deno.ChildProcess;
  #exited = false;
  constructor(child: Deno.ChildProcess, spec: SpawnSpec) {
    this.#child = child;
    this.pid = child.pid;
    this.stdin = spec.stdin === "piped" ? new DenoPipeOut(child.stdin) : null;
    this.stdout = spec.stdout === "piped" ? new DenoPipeIn(child.stdout) : null;
    this.stderr = spec.stderr === "piped" ? new DenoPipeIn(child.stderr) : null;
    this.status = child.status.then(({ code, signal }) => {
      this.#exited = true;
      return { code, signal: signal as ExitStatus["signal"] };
    });
  }
  kill(signal: Deno.Signal | number): void {
    if (this.#exited) return;
    try {
      this.#child.kill(signal as Deno.Signal);
    } catch (error) {
      // Exited between our check and the kill: Deno says "already terminated".
      if (!(error instanceof TypeError)) throw error;
    }
  }
  ref(): void {
    this.#child.ref();
  }
  unref(): void {
    this.#child.unref();
  }
}

/** Green subprocesses on `Deno.Command`. */
export const denoProcess: ProcessBackend = {
  name: "deno",
  spawn(command: string, spec: SpawnSpec): RawChild {
    const DenoCommand = real("Deno.Command", () => Deno.Command);
    const options: Deno.CommandOptions = {
      args: spec.args,
      clearEnv: spec.clearEnv,
      detached: spec.detached,
      stdin: spec.stdin,
      stdout: spec.stdout,
      stderr: spec.stderr,
    };
    if (spec.cwd !== undefined) options.cwd = spec.cwd;
    if (spec.env !== undefined) options.env = spec.env;
    if (spec.uid !== undefined) options.uid = spec.uid;
    if (spec.gid !== undefined) options.gid = spec.gid;
    return new DenoRawChild(new DenoCommand(command, options).spawn(), spec);
  },
};

/**
 * The runtime's `new Deno.Command(command, options).outputSync()`: what a
 * patched `Deno.Command` answers to `outputSync()`, blocking the whole process
 * as an unpatched call would (a synchronous wait cannot be green).
 */
export function denoOutputSync(
  command: string | URL,
  options: object | undefined,
): { code: number; signal: string | null; success: boolean; stdout: Uint8Array; stderr: Uint8Array } {
  const DenoCommand = real("Deno.Command", () => Deno.Command);
  return new DenoCommand(command, options as Deno.CommandOptions | undefined).outputSync();
}
