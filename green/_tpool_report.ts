/**
 * What the thread pool prints: exceptions raised in calls (only while
 * `tpoolExceptions(true)`), and, once per process, that a cancelled call's
 * worker had to be abandoned on a runtime that cannot stop it.
 *
 * @module
 */

let reportExceptions = false;
let reportedAbandon = false;

/** Turns printing of the exceptions raised in pool calls on or off (see `tpoolExceptions`). */
export function setReportExceptions(on: boolean): void {
  reportExceptions = on;
}

/** Prints a call's exception when `tpoolExceptions(true)` is on. */
export function reportCallError(description: string, error: Error): void {
  if (reportExceptions) console.error(`evy tpool: exception in ${description}:\n${error.stack}`);
}

/** Says, once per process, that a worker `terminate()` cannot stop was abandoned. */
export function reportAbandon(backendName: string): void {
  if (reportedAbandon) return;
  reportedAbandon = true;
  console.error(
    `evy tpool: a cancelled call did not stop within its grace period; its worker was terminated and replaced. ` +
      `On this runtime (${backendName}) terminate() cannot stop JavaScript that never yields, so that ` +
      `thread may keep a CPU core busy until the process exits. Check tpoolSignal() in long loops, or use ` +
      `isolation: "process" (EVY_THREADPOOL_ISOLATION=process). (Reported once.)`,
  );
}
