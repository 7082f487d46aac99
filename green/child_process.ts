/**
 * {@linkcode ChildProcess}: a running child made by `Command.spawn()`, shaped
 * as `Deno.ChildProcess`, whose waits are green.
 *
 * The rule every wait keeps: when the thread waiting on the child — in
 * `wait()`, `output()`, a read of `stdout`/`stderr` or a write to `stdin` — is
 * killed or its Timeout fires, the wait is released at once and the child is
 * ended with {@linkcode ChildProcess.terminate}: `SIGTERM`, then `SIGKILL`
 * after `killGraceMs`. The runtime reaps it (no zombie), and the bytes already
 * read from its pipes stay readable.
 *
 * @module
 */
import type { HubTimer } from "../hubs/hub.ts";
import { getHub } from "../hubs/mod.ts";
import { greenAwait } from "./_green_io.ts";
import type { RawChild, SignalName } from "./_process_backend.ts";
import { closePipes, collectAll, ownOutput, wrapChild, wrapPipe } from "./_pipe_internal.ts";
import { PipeReader } from "./pipe_reader.ts";
import { PipeWriter } from "./pipe_writer.ts";

/** How a child ended, as `Deno.CommandStatus`. */
export interface CommandStatus {
  /** `true` when the exit code is 0. */
  success: boolean;
  /** The exit code; 128 + the signal's number when a signal ended the child. */
  code: number;
  /** The signal that ended the child (`"SIGTERM"`), or `null`. */
  signal: SignalName | null;
}

/** A finished child's status and output, as `Deno.CommandOutput`. */
export interface CommandOutput extends CommandStatus {
  /** All of stdout (reading it throws a `TypeError` when stdout was not piped). */
  readonly stdout: Uint8Array;
  /** All of stderr (reading it throws a `TypeError` when stderr was not piped). */
  readonly stderr: Uint8Array;
}

const SIGNAL = /^SIG[A-Z0-9]+$/;

function notPiped(stream: string, name: string): TypeError {
  return new TypeError(`${name}: ${stream} is not piped (set ${stream}: "piped")`);
}

/**
 * A running child process (`Deno.ChildProcess`'s shape): `pid`, `status`,
 * piped `stdin` ({@linkcode PipeWriter}), `stdout` and `stderr`
 * ({@linkcode PipeReader}), `kill()`, and the green `wait()` and `output()`.
 * `await using` ends the child if it still runs, closes its pipes and waits
 * until it is gone. See the module doc for what kill and Timeout do.
 *
 * @example Read a child's first line, then let it go
 * ```ts
 * import { Command } from "@evy/evy/green/process";
 * import assert from "node:assert/strict";
 *
 * await using child = new Command("yes", { stdout: "piped" }).spawn();
 * assert.equal(new TextDecoder().decode(await child.stdout.readline()), "y\n");
 * child.kill("SIGKILL");
 * assert.equal((await child.wait()).signal, "SIGKILL");
 * ```
 */
export class ChildProcess implements AsyncDisposable {
  #raw: RawChild;
  #name: string;
  #graceMs: number;
  #status: Promise<CommandStatus>;
  #exited = false;
  #ending = false;
  #grace: HubTimer | undefined;
  #stdin: PipeWriter | null;
  #stdout: PipeReader | null;
  #stderr: PipeReader | null;

  private constructor(raw: RawChild, command: string, graceMs: number) {
    this.#raw = raw;
    this.#name = `${command}[${raw.pid}]`;
    this.#graceMs = graceMs;
    const end = this.terminate;
    this.#stdin = raw.stdin && PipeWriter[wrapPipe](raw.stdin, `stdin of ${this.#name}`, end);
    this.#stdout = raw.stdout && PipeReader[wrapPipe](raw.stdout, `stdout of ${this.#name}`, end);
    this.#stderr = raw.stderr && PipeReader[wrapPipe](raw.stderr, `stderr of ${this.#name}`, end);
    this.#status = raw.status.then(({ code, signal }) => {
      this.#exited = true;
      this.#grace?.cancel();
      return { success: code === 0, code, signal };
    });
  }

  /** @internal Wraps a backend child. */
  static [wrapChild](raw: RawChild, command: string, graceMs: number): ChildProcess {
    return new ChildProcess(raw, command, graceMs);
  }

  /** The child's process id. */
  get pid(): number {
    return this.#raw.pid;
  }

  /**
   * Resolves once the child exited, as Deno's `status`: a plain promise,
   * never rejecting. Await `wait()` instead to make the wait green.
   */
  get status(): Promise<CommandStatus> {
    return this.#status;
  }

  /**
   * The child's stdin.
   *
   * @throws {TypeError} When stdin was not `"piped"`.
   */
  get stdin(): PipeWriter {
    if (this.#stdin === null) throw notPiped("stdin", "ChildProcess.stdin");
    return this.#stdin;
  }

  /**
   * The child's stdout.
   *
   * @throws {TypeError} When stdout was not `"piped"`.
   */
  get stdout(): PipeReader {
    if (this.#stdout === null) throw notPiped("stdout", "ChildProcess.stdout");
    return this.#stdout;
  }

  /**
   * The child's stderr.
   *
   * @throws {TypeError} When stderr was not `"piped"`.
   */
  get stderr(): PipeReader {
    if (this.#stderr === null) throw notPiped("stderr", "ChildProcess.stderr");
    return this.#stderr;
  }

  /**
   * Waits (greenly) until the child exited; a kill or Timeout of the waiting
   * thread releases the wait at once and ends the child.
   */
  wait(): Promise<CommandStatus> {
    if (this.#exited) return this.#status;
    return greenAwait(this.#status, `wait(${this.#name})`, this.terminate);
  }

  /**
   * Reads the piped stdout and stderr to their end and waits for the exit,
   * all as green waits (Deno's `output()`).
   */
  async output(): Promise<CommandOutput> {
    const empty = Promise.resolve(undefined);
    const [stdout, stderr, status] = await Promise.all([
      this.#stdout?.bytes() ?? empty,
      this.#stderr?.bytes() ?? empty,
      this.wait(),
    ]);
    return withOutput(status, stdout, stderr);
  }

  /** @internal `output()` for run and `Command.output`, which own the child and close its pipes after. */
  async [ownOutput](): Promise<CommandOutput> {
    const empty = Promise.resolve(undefined);
    // One green wait for all of it, not one per chunk and pipe: a kill or Timeout releases it at
    // once and ends the child; the caller's closing the pipes then stops the reads.
    const all = Promise.all([
      this.#stdout?.[collectAll]() ?? empty,
      this.#stderr?.[collectAll]() ?? empty,
      this.#status,
    ]);
    const [stdout, stderr, status] = await greenAwait(all, `output(${this.#name})`, this.terminate);
    return withOutput(status, stdout, stderr);
  }

  /**
   * Sends `signal` to the child, as Deno's `kill()`.
   *
   * @param signal A signal name (`"SIGTERM"`, `"SIGKILL"`) or number. @default "SIGTERM"
   * @throws {TypeError} When the child has already exited, or `signal` is not a signal.
   */
  kill(signal: SignalName | number = "SIGTERM"): void {
    const valid = typeof signal === "string" ? SIGNAL.test(signal) : Number.isInteger(signal) && signal > 0;
    if (!valid) {
      throw new TypeError(`ChildProcess.kill: signal must be a name like "SIGTERM" or a number, got ${String(signal)}`);
    }
    if (this.#exited) throw new TypeError(`Cannot kill ${this.#name}: the child has already exited`);
    this.#raw.kill(signal);
  }

  /**
   * Ends the child: `SIGTERM` now, then `SIGKILL` if it is still running
   * after `killGraceMs`. What kill and Timeout of a waiting thread do; calling
   * it again, or after the exit, does nothing.
   */
  terminate = (): void => {
    if (this.#exited || this.#ending) return;
    this.#ending = true;
    if (this.#graceMs === 0) return this.#signal("SIGKILL");
    this.#signal("SIGTERM");
    this.#grace = getHub().scheduleCallGlobal(this.#graceMs, () => {
      if (!this.#exited) this.#signal("SIGKILL");
    }, `killGrace(${this.#name})`);
  };

  // terminate() runs from abort listeners and hub timers: a failure (EPERM for a child of another
  // uid) is reported by the hub, never thrown where nobody catches it.
  #signal(signal: SignalName): void {
    try {
      this.#raw.kill(signal);
    } catch (error) {
      getHub().reportError({ error, context: `terminate(${this.#name})`, spawnStack: undefined });
    }
  }

  /** Lets the child keep this process alive (the default). */
  ref(): void {
    this.#raw.ref();
  }

  /** Lets this process exit while the child runs. */
  unref(): void {
    this.#raw.unref();
  }

  /** @internal Closes every pipe at once (after `output()` or an interrupted `run()`). */
  [closePipes](): void {
    this.#stdin?.[closePipes]();
    this.#stdout?.close();
    this.#stderr?.close();
  }

  /**
   * Ends the child if it still runs ({@linkcode ChildProcess.terminate}),
   * closes its pipes and waits until it exited (`await using`).
   */
  async [Symbol.asyncDispose](): Promise<void> {
    this.terminate();
    this[closePipes]();
    await this.#status;
  }
}

/** `status` with the output fields, which throw (as Deno's) for a stream that was not piped. */
function withOutput(
  status: CommandStatus,
  stdout: Uint8Array | undefined,
  stderr: Uint8Array | undefined,
): CommandOutput {
  if (stdout !== undefined && stderr !== undefined) return { ...status, stdout, stderr };
  const field = (value: Uint8Array | undefined, stream: string) => ({
    enumerable: true,
    get(): Uint8Array {
      if (value === undefined) throw notPiped(stream, "CommandOutput");
      return value;
    },
  });
  return Object.defineProperties({ ...status }, {
    stdout: field(stdout, "stdout"),
    stderr: field(stderr, "stderr"),
  }) as CommandOutput;
}
