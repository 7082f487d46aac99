/**
 * The errors of green subprocesses' pipes, beside the API that throws them.
 * A missing executable is not one of them: it throws the runtime's own kind,
 * an error named `"NotFound"` (on Deno, `Deno.errors.NotFound`).
 *
 * @module
 */

/**
 * A write to a child's stdin failed because the child closed its end (it
 * exited, or never reads): Python's `BrokenPipeError`. The runtime's error is
 * the `cause`; `code` is `"EPIPE"` on both runtimes.
 *
 * @example A child that reads nothing
 * ```ts
 * import { BrokenPipeError, Command } from "@evy/evy/green/process";
 * import assert from "node:assert/strict";
 *
 * await using child = new Command("true", { stdin: "piped" }).spawn();
 * await child.status;
 * await assert.rejects(child.stdin.write("x".repeat(1 << 20)), BrokenPipeError);
 * ```
 */
export class BrokenPipeError extends Error {
  /** `"EPIPE"`, as Node and Python name the condition. */
  readonly code = "EPIPE";
  /** Creates the error; `message` says which pipe of which child. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BrokenPipeError";
  }
}

/**
 * A pipe was used after it was closed (by `close()`, `cancel()` or the
 * child's disposal), or it was closed while a thread waited on it.
 *
 * @example Reading a closed pipe
 * ```ts
 * import { Command, PipeClosedError } from "@evy/evy/green/process";
 * import assert from "node:assert/strict";
 *
 * await using child = new Command("echo", { args: ["hi"], stdout: "piped" }).spawn();
 * child.stdout.close();
 * await assert.rejects(child.stdout.readline(), PipeClosedError);
 * ```
 */
export class PipeClosedError extends Error {
  /** Creates the error; `message` says which operation on which pipe. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PipeClosedError";
  }
}
