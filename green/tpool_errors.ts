/**
 * The errors of the thread pool (`@evy/evy/green/tpool`): one class per
 * condition a caller may want to catch. Errors thrown by the called function
 * itself come back as `Error`s of their own name instead.
 *
 * @module
 */

/**
 * The rejection of every call still queued or running when `killall()` ran.
 *
 * @example Calls waiting when killall() runs
 * ```ts
 * import { execute, killall, TpoolKilledError } from "@evy/evy/green/tpool";
 * import assert from "node:assert/strict";
 *
 * const call = execute(() => new Promise((r) => setTimeout(r, 5_000)));
 * await killall();
 * await assert.rejects(call, TpoolKilledError);
 * ```
 */
export class TpoolKilledError extends Error {
  /** Creates the error; the message names the call. */
  constructor(message = "tpool call ended by killall()", options?: ErrorOptions) {
    super(message, options);
    this.name = "TpoolKilledError";
  }
}

/**
 * The rejection of a call whose worker died while running it: an uncaught
 * error outside the call, `process.exit()`, or its memory limit. Only that
 * call fails; the worker is replaced.
 *
 * @example A worker that exits
 * ```ts
 * import { execute, killall, TpoolWorkerError } from "@evy/evy/green/tpool";
 * import assert from "node:assert/strict";
 *
 * await assert.rejects(execute(() => (globalThis as unknown as { process: { exit(code: number): never } }).process.exit(7)), TpoolWorkerError);
 * assert.equal(await execute(() => 6 * 7), 42); // the pool carries on
 * await killall();
 * ```
 */
export class TpoolWorkerError extends Error {
  /** Creates the error; the message says how the worker ended. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TpoolWorkerError";
  }
}
