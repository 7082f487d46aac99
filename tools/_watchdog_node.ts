/**
 * The blocking detector's watchdog thread, on `node:worker_threads` — on both
 * runtimes: Deno's Web Workers cannot be unref'd (one would keep the process
 * alive), while Deno's `node:worker_threads` Worker can.
 *
 * The watchdog shares one small buffer with the main thread (see
 * {@linkcode WATCHDOG_SLOTS}): the main thread bumps `BEAT` whenever it gets
 * the loop back; the watchdog, blocked in `Atomics.wait` between polls (so it
 * spins nothing and costs no timers), notices when `BEAT` has not moved for
 * `resolutionMs`, writes when it last moved and raises `FLAG`. It never
 * interrupts the main thread: the main thread sees the flag at its next yield
 * and reports who held the loop.
 *
 * @module
 */
import { Worker } from "node:worker_threads";

/** Int32 slots of the shared buffer; `SINCE` is a Float64 slot at byte 16. */
export const WATCHDOG_SLOTS = { BEAT: 0, STOP: 1, FLAG: 2, BYTES: 24, SINCE_OFFSET: 16 } as const;

// Plain CommonJS for `eval: true`; the clock is epoch ms so both threads agree.
const SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { buffer, resolutionMs, pollMs } = workerData;
const i32 = new Int32Array(buffer, 0, 4);
const since = new Float64Array(buffer, ${WATCHDOG_SLOTS.SINCE_OFFSET}, 1);
const now = () => performance.timeOrigin + performance.now();
let last = Atomics.load(i32, ${WATCHDOG_SLOTS.BEAT});
let movedAt = now();
let armed = true;
parentPort.postMessage("ready");
while (Atomics.load(i32, ${WATCHDOG_SLOTS.STOP}) === 0) {
  Atomics.wait(i32, ${WATCHDOG_SLOTS.STOP}, 0, pollMs);
  const beat = Atomics.load(i32, ${WATCHDOG_SLOTS.BEAT});
  const t = now();
  if (beat !== last) {
    last = beat;
    movedAt = t;
    armed = true;
  } else if (armed && t - movedAt >= resolutionMs) {
    since[0] = movedAt;
    Atomics.store(i32, ${WATCHDOG_SLOTS.FLAG}, 1);
    armed = false;
  }
}
`;

/** A running watchdog thread. */
export interface Watchdog {
  /** Resolves once the watchdog is watching (rejects if its thread failed to start). */
  readonly ready: Promise<void>;
  /** Asks the watchdog to stop; resolves once its thread has exited. */
  stop(): Promise<void>;
}

/**
 * Starts the watchdog on `buffer` (at least `WATCHDOG_SLOTS.BYTES` bytes of a
 * `SharedArrayBuffer`). It never keeps the process alive.
 */
export function startWatchdog(buffer: SharedArrayBuffer, resolutionMs: number): Watchdog {
  const pollMs = Math.max(1, Math.min(50, resolutionMs / 4));
  const worker = new Worker(SOURCE, { eval: true, workerData: { buffer, resolutionMs, pollMs } });
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    // Referenced until it is up (or a caller awaiting `ready` would find the loop empty), then not.
    worker.once("message", () => {
      worker.unref();
      resolve();
    });
    worker.once("error", reject);
    worker.once("exit", () => reject(new Error("the blocking detector's watchdog exited before it started")));
  });
  ready.catch(() => {}); // a caller who never awaits it must not see an unhandled rejection
  const i32 = new Int32Array(buffer, 0, 4);
  return {
    ready,
    stop(): Promise<void> {
      worker.ref(); // so that the exit event arrives even when nothing else keeps the loop alive
      Atomics.store(i32, WATCHDOG_SLOTS.STOP, 1);
      Atomics.notify(i32, WATCHDOG_SLOTS.STOP);
      return exited;
    },
  };
}
