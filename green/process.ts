/**
 * Cooperative subprocesses and pipes (the seeds' `processes.py`: "eventlet
 * provides cooperative sockets, pipes, processes"). {@linkcode Command} has
 * `Deno.Command`'s signature; its {@linkcode ChildProcess} has green pipes —
 * stdout and stderr read like a socket's `makefile()` (`read`, `readline`,
 * `readExactly`, line iteration), stdin writes with back-pressure — and
 * {@linkcode run} covers the common case in one call.
 *
 * Every wait on a child is green, and **kill and Timeout reach the child**:
 * when the thread waiting on it (in `run`, `output`, `wait`, a pipe read or
 * write) is killed or its Timeout fires, the wait is released at once and the
 * child gets `SIGTERM`, then `SIGKILL` after `killGraceMs` (default 2,000).
 * The runtime reaps it, no pipe is left open by `run`/`output`/`await using`,
 * and bytes already read from a pipe stay readable. The signals go to the
 * child only, not to its own children: run `sh -c "exec cmd"` rather than
 * `sh -c "cmd"` when a Timeout must stop `cmd`. Since the wait does not wait
 * for the child's end, a test under Deno's sanitizers that stops right after
 * an interrupted `run` may see the ending child (its exit op, the grace timer)
 * as a leak: let it wait until the child is gone (the hub lists the wait as
 * `output(cmd[pid])`, which names the pid).
 *
 * Differs from Deno: `child.stdout`/`stderr` are {@linkcode PipeReader}s and
 * `stdin` a {@linkcode PipeWriter} rather than web streams (each has
 * `readable`/`writable`, `getReader()`/`getWriter()`, `pipeTo`, `text()` &
 * co. for code written against the streams); `child.wait()` is the green
 * form of `await child.status`, which stays a plain promise; no
 * `outputSync()`. Differs from Eventlet: ms, Promises, `run` instead of
 * `Popen.communicate`. On Deno this runs on `Deno.Command`, on Node on
 * `node:child_process`.
 *
 * @example Run a command, and cut a slow one short with a Timeout
 * ```ts
 * import { Command, run } from "@evy/evy/green/process";
 * import { Timeout, withTimeout } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * assert.equal((await run("echo", ["hello"])).stdout, "hello\n");
 *
 * const slow = new Command("sleep", { args: ["30"] }).spawn();
 * await assert.rejects(withTimeout(50, () => slow.wait()), Timeout);
 * assert.equal((await slow.status).signal, "SIGTERM"); // the Timeout reached the child
 * ```
 *
 * @module
 */
import { backendOption } from "./_process_backend.ts";
import { closePipes, ownOutput } from "./_pipe_internal.ts";
import type { ChildProcess, CommandStatus } from "./child_process.ts";
import { Command, type CommandOptions } from "./command.ts";
import { BrokenPipeError } from "./process_errors.ts";
import type { PipeWriter } from "./pipe_writer.ts";

export type { SignalName, StdioMode } from "./_process_backend.ts";
export type { ReadlineOptions } from "./makefile.ts";
export { ChildProcess, type CommandOutput, type CommandStatus } from "./child_process.ts";
export { Command, type CommandOptions } from "./command.ts";
export { PipeReader } from "./pipe_reader.ts";
export { PipeWriter } from "./pipe_writer.ts";
export { BrokenPipeError, PipeClosedError } from "./process_errors.ts";
export { ConcurrentAccessError, IncompleteReadError } from "./net_errors.ts";

/** Options of {@linkcode run}: {@linkcode CommandOptions} (but `args`), plus `input` and `encoding`. */
export interface RunOptions extends Omit<CommandOptions, "args"> {
  /** Written to the child's stdin, which is then closed (stdin is `"null"` without it). */
  input?: string | Uint8Array;
  /** `"text"`: stdout and stderr decoded as UTF-8; `"bytes"`: as `Uint8Array`s. @default "text" */
  encoding?: "text" | "bytes";
}

/** What {@linkcode run} resolves with: the status, and the output as text or bytes. */
export interface RunResult<T extends string | Uint8Array = string> extends CommandStatus {
  /** All of stdout (empty when stdout was not piped). */
  stdout: T;
  /** All of stderr (empty when stderr was not piped). */
  stderr: T;
}

const EMPTY = new Uint8Array(0);
const decoder = new TextDecoder();

async function feed(stdin: PipeWriter, input: string | Uint8Array): Promise<void> {
  try {
    await stdin.write(input);
    await stdin.close();
  } catch (error) {
    if (!(error instanceof BrokenPipeError)) throw error; // the child chose not to read it all
  }
}

/**
 * Runs `cmd` with `args` to the end, feeding it `input`, and resolves with
 * its status and output (stdout and stderr piped unless set otherwise). A
 * non-zero exit is not an error: look at `success`. A kill or Timeout of the
 * calling thread rejects at once and ends the child (`SIGTERM`, then
 * `SIGKILL` after `killGraceMs`).
 *
 * @param cmd The executable: a name looked up on `PATH`, a path, or a `file:` URL.
 * @param args Its arguments.
 * @param options See {@linkcode RunOptions}.
 * @returns The status with stdout and stderr, as text (or bytes with `encoding: "bytes"`).
 * @throws {Error} Named `"NotFound"` when the executable does not exist.
 * @throws {TypeError} When an argument has the wrong type.
 *
 * @example Feed input, get text back
 * ```ts
 * import { run } from "@evy/evy/green/process";
 * import assert from "node:assert/strict";
 *
 * const { success, stdout } = await run("sort", [], { input: "b\na\n" });
 * assert.ok(success);
 * assert.equal(stdout, "a\nb\n");
 * const failed = await run("sh", ["-c", "echo oops >&2; exit 3"]);
 * assert.deepEqual([failed.code, failed.success, failed.stderr], [3, false, "oops\n"]);
 * ```
 */
export function run(
  cmd: string | URL,
  args?: string[],
  options?: RunOptions & { encoding?: "text" },
): Promise<RunResult<string>>;
/**
 * {@linkcode run} with `encoding: "bytes"`: stdout and stderr as `Uint8Array`s.
 *
 * @param cmd The executable: a name looked up on `PATH`, a path, or a `file:` URL.
 * @param args Its arguments.
 * @param options See {@linkcode RunOptions}.
 * @returns The status with stdout and stderr as bytes.
 *
 * @example Binary output
 * ```ts
 * import { run } from "@evy/evy/green/process";
 * import assert from "node:assert/strict";
 *
 * const { stdout } = await run("printf", ["\\001\\002"], { encoding: "bytes" });
 * assert.deepEqual([...stdout], [1, 2]);
 * ```
 */
export function run(
  cmd: string | URL,
  args: string[] | undefined,
  options: RunOptions & { encoding: "bytes" },
): Promise<RunResult<Uint8Array>>;
/**
 * {@linkcode run} with an `encoding` known only at run time.
 *
 * @param cmd The executable: a name looked up on `PATH`, a path, or a `file:` URL.
 * @param args Its arguments.
 * @param options See {@linkcode RunOptions}.
 * @returns The status with stdout and stderr as text or bytes.
 *
 * @example Encoding chosen by a variable
 * ```ts
 * import { run, type RunOptions } from "@evy/evy/green/process";
 * import assert from "node:assert/strict";
 *
 * const options: RunOptions = { encoding: "text" };
 * assert.equal((await run("echo", ["x"], options)).stdout, "x\n");
 * ```
 */
export function run(
  cmd: string | URL,
  args?: string[],
  options?: RunOptions,
): Promise<RunResult<string> | RunResult<Uint8Array>>;
export async function run(
  cmd: string | URL,
  args: string[] = [],
  options: RunOptions = {},
): Promise<RunResult<string> | RunResult<Uint8Array>> {
  if (options === null || typeof options !== "object") throw new TypeError("run: options must be an object");
  const { input, encoding = "text", ...rest } = options;
  if (encoding !== "text" && encoding !== "bytes") {
    throw new TypeError(`run: options.encoding must be "text" or "bytes", got ${String(encoding)}`);
  }
  if (input !== undefined && typeof input !== "string" && !(input instanceof Uint8Array)) {
    throw new TypeError("run: options.input must be a string or a Uint8Array");
  }
  const stdout = rest.stdout ?? "piped";
  const stderr = rest.stderr ?? "piped";
  const child: ChildProcess = new Command(cmd, {
    ...rest,
    [backendOption]: (options as { [backendOption]?: unknown })[backendOption],
    args,
    stdin: input === undefined ? rest.stdin ?? "null" : "piped",
    stdout,
    stderr,
  } as CommandOptions).spawn();
  try {
    const output = input === undefined
      ? await child[ownOutput]()
      : (await Promise.all([child[ownOutput](), feed(child.stdin, input)]))[0];
    const { success, code, signal } = output;
    const out = stdout === "piped" ? output.stdout : EMPTY;
    const err = stderr === "piped" ? output.stderr : EMPTY;
    if (encoding === "bytes") return { success, code, signal, stdout: out, stderr: err };
    return { success, code, signal, stdout: decoder.decode(out), stderr: decoder.decode(err) };
  } finally {
    child[closePipes]();
  }
}
