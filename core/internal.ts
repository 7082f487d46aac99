/**
 * Core's one declared interface for evy's own upper layers (`green/`, `web/`,
 * `db/`, `tools/`): the thread state and the wait primitive that drop-ins need
 * to make their I/O a green wait. Not a public entry point (it is not in
 * deno.json's exports) and it carries no stability promise: user code uses
 * `suspend`/`interruptible` from `@evy/evy` instead.
 *
 * `scripts/check_layers.ts` forbids other folders from importing core's `_`
 * files, so everything they need comes through here.
 *
 * @module
 */
export { currentCore, type ThreadCore } from "./_thread_core.ts";
export { newWait, suspend, threadSignal } from "./_current.ts";
export { CleanupWait, suspendWait, Wait } from "./_wait.ts";
export {
  checkCount,
  checkFn,
  checkMs,
  checkOptions,
  checkSize,
  checkTimeout,
  describe,
  isThenable,
} from "./_checks.ts";
export { threadStorage } from "../hubs/thread_storage.ts";
export { setSettleHook, type SettleHook, setYieldHook, type YieldHook } from "./_wait.ts";
