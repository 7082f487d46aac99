/**
 * evy: Eventlet's model for TypeScript. Green threads that are nearly free and
 * can be killed or timed out wherever they wait, green versions of net, fetch,
 * fs and timers so that cancellation reaches real I/O, and the batteries:
 * pools, queues, events, semaphores, Timeout.
 *
 * Differences from Eventlet: durations are milliseconds, waits are Promises,
 * names are camelCase, and `wait()` of a killed thread rejects.
 *
 * @example Spawn threads, time one out, kill another
 * ```ts
 * import { sleep, spawn, Timeout, withTimeout } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * const squares = [1, 2, 3].map((n) => spawn(async () => (await sleep(1), n * n)));
 * assert.deepEqual(await Promise.all(squares.map((t) => t.wait())), [1, 4, 9]);
 *
 * assert.equal(await withTimeout(10, () => sleep(1_000), { timeoutValue: "late" }), "late");
 *
 * const blocked = spawn(() => sleep(60_000));
 * await sleep(0);
 * await blocked.kill();
 * assert.equal(blocked.dead, true);
 * ```
 *
 * @module
 */
export {
  getCurrent,
  GreenletExit,
  GreenThread,
  kill,
  spawn,
  spawnAfter,
  spawnN,
  type ThreadFn,
} from "./core/green_thread.ts";
export { type Interruptible, interruptible, type Register, suspend } from "./core/suspend.ts";
export { currentSignal } from "./core/current_signal.ts";
export { sleep } from "./core/sleep.ts";
export { Timeout, withTimeout, type WithTimeoutOptions } from "./core/timeout.ts";
export { Event, type EventWaitOptions } from "./core/event.ts";
export { LightQueue, QueueEmpty, QueueFull, type QueueGetOptions, type QueuePutOptions } from "./core/light_queue.ts";
export { Queue } from "./core/queue.ts";
export { type Compare, naturalCompare, PriorityQueue } from "./core/priority_queue.ts";
export { LifoQueue } from "./core/lifo_queue.ts";
export { BoundedSemaphore, Semaphore, type SemaphoreAcquireOptions } from "./core/semaphore.ts";
export { CappedSemaphore, type CappedSemaphoreReleaseOptions } from "./core/capped_semaphore.ts";
export { Local } from "./core/local.ts";
export { type AnyIterable, GreenPool } from "./core/green_pool.ts";
export { GreenPile } from "./core/green_pile.ts";
export { Pool, type PoolItem, type PoolOptions } from "./core/pool.ts";
export {
  type Addr,
  ConcurrentAccessError,
  connect,
  type ConnectAddress,
  type ConnectOptions,
  GreenListener,
  GreenSocket,
  type HostPort,
  listen,
  type ListenOptions,
  type NetAddr,
  type OpenOptions,
  type ReadlineOptions,
  type ShutdownHow,
  SocketClosedError,
  SocketFile,
  SocketTimeout,
  type TlsHandshakeInfo,
  type UnixAddr,
  type UnixConnectOptions,
  type UnixListenOptions,
} from "./green/net.ts";
export {
  isMonkeyPatched,
  monkeyPatch,
  type MonkeyPatchOptions,
  original,
  type PatchGroup,
  unpatch,
} from "./green/patcher.ts";
