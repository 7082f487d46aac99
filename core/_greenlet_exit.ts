/**
 * `GreenletExit`, the error of a kill. Internal: the public face is
 * `green_thread.ts`, which re-exports it.
 *
 * @module
 */

/**
 * Thrown into a green thread by `kill()` when no other error is given, and the
 * rejection of `wait()` for a thread that died of it. Catch it to clean up; a
 * thread that catches it and returns normally counts as having returned.
 *
 * @example
 * ```ts
 * import { GreenletExit, sleep, spawn } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const gt = spawn(() => sleep(10_000));
 * await sleep(0);
 * await gt.kill();
 * await assert.rejects(gt.wait(), GreenletExit);
 * ```
 */
export class GreenletExit extends Error {
  /** Creates the exit error; the message says who was killed when known. */
  constructor(message = "green thread killed", options?: ErrorOptions) {
    super(message, options);
    this.name = "GreenletExit";
  }
}
