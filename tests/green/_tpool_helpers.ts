/** Shared pieces of the tpool conformance suite (`_tpool_suite.ts`, `_tpool_cancel_cases.ts`). */
import { existsSync } from "node:fs";
import { sleep } from "@evy/evy";
import type { ThreadPool, ThreadPoolOptions } from "@evy/evy/green/tpool";

/** What a backend can do, where the suite must know. */
export interface Capabilities {
  /** `terminate()` stops a spinning worker (else the spin cases run in a subprocess: tpool_exit_test.ts). */
  stopsSpinning: boolean;
  /** `memoryLimitMb` is enforced. */
  memoryLimit: boolean;
}

/** The node:fs of a worker, for self-contained functions (they cannot import). */
export type Fs = typeof import("node:fs");
export interface WorkerGlobals {
  process: { getBuiltinModule(id: string): unknown; exit(code: number): never };
  counter?: number;
}

/** The fixture module, as built (`.ts` here, `.js` in the npm build). */
const ext = import.meta.url.endsWith(".ts") ? "ts" : "js";
export const MODULE = new URL(`../fixtures/tpool_module.${ext}`, import.meta.url);

/** Waits (greenly) until `path` exists. */
export async function until(path: string): Promise<void> {
  while (!existsSync(path)) await sleep(2);
}

/** One case: a fresh pool with `options` on the backend, killed (and its temp dir removed) afterwards. */
export type Case = (
  title: string,
  options: ThreadPoolOptions,
  fn: (pool: ThreadPool, dir: string) => Promise<void>,
  ignore?: boolean,
) => void;
