/**
 * The contract between green subprocesses and a runtime: spawn a child with
 * pipes, read and write those pipes by callback, learn its exit, signal it.
 * `_process_deno.ts` implements it on `Deno.Command`, `_process_node.ts` on
 * `node:child_process`. The green layer above keeps at most one read per pipe
 * and one write on stdin outstanding, so a backend never sees concurrent ones.
 *
 * @module
 */
import type { ReadSink, WriteSink } from "./_net_backend.ts";

/** How one standard stream of the child is connected, as Deno names it. */
export type StdioMode = "piped" | "inherit" | "null";

/** A signal name as Deno names it (`"SIGTERM"`), or a signal number. */
export type SignalName = `SIG${string}`;

/** What to spawn, after the green layer checked and defaulted the caller's options. */
export interface SpawnSpec {
  args: string[];
  cwd: string | undefined;
  env: Record<string, string> | undefined;
  clearEnv: boolean;
  uid: number | undefined;
  gid: number | undefined;
  detached: boolean;
  stdin: StdioMode;
  stdout: StdioMode;
  stderr: StdioMode;
}

/** How a child ended, as Deno reports it: a signal's code is 128 + its number. */
export interface ExitStatus {
  /** The exit code (128 + the signal's number when a signal ended it). */
  code: number;
  /** The signal that ended it, or `null`. */
  signal: SignalName | null;
}

/** The read end of one of the child's output pipes. */
export interface RawPipeIn {
  /** Reads one non-empty chunk and calls `sink.readDone(chunk)`, or `readDone(null)` at end of stream, or `readDone(null, error)`. */
  read(sizeHint: number, sink: ReadSink): void;
  /** Closes the pipe at once; a pending read ends (its callback may or may not run). */
  close(): void;
}

/** The write end of the child's stdin. */
export interface RawPipeOut {
  /** Writes some of `data` (at least one byte) and calls `sink.writeDone(n)`, or `writeDone(0, error)`. */
  write(data: Uint8Array, sink: WriteSink): void;
  /** Closes stdin after what was written (the child reads end of stream); never rejects. */
  close(): Promise<void>;
}

/** One running child as a backend exposes it. */
export interface RawChild {
  readonly pid: number;
  readonly stdin: RawPipeOut | null;
  readonly stdout: RawPipeIn | null;
  readonly stderr: RawPipeIn | null;
  /** Resolves once the child exited and was reaped; never rejects. */
  readonly status: Promise<ExitStatus>;
  /** Sends `signal`; a child that already exited is ignored. */
  kill(signal: SignalName | number): void;
  ref(): void;
  unref(): void;
}

/** What a runtime provides to green subprocesses. */
export interface ProcessBackend {
  /** `"deno"` or `"node"`. */
  readonly name: string;
  /**
   * Starts `command`. A missing executable throws an error named `"NotFound"`
   * (code `ENOENT`), one that cannot be run an error named `"PermissionDenied"`.
   */
  spawn(command: string, spec: SpawnSpec): RawChild;
}

/** The option key that runs a `Command` on a given backend (the conformance suite's hook). */
export const backendOption: unique symbol = Symbol("evy.process.backend");
