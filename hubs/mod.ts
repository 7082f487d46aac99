/**
 * Hub selection. {@linkcode getHub} returns the hub every green primitive uses,
 * created on first use: the one named by the `EVY_HUB` environment variable
 * (`deno`, `node`), else the first available of Deno then Node.
 * {@linkcode useHub} installs another one (a {@linkcode VirtualHub} in tests)
 * and returns a disposable that puts the previous one back.
 *
 * Switch hubs only while no green thread waits: waits and timers stay on the
 * hub they were made on.
 *
 * @example
 * ```ts
 * import { getHub, useHub, VirtualHub } from "@evy/evy/hubs";
 * import assert from "node:assert/strict";
 *
 * const real = getHub();
 * {
 *   using _ = useHub(new VirtualHub());
 *   assert.equal(getHub().name, "virtual");
 * }
 * assert.equal(getHub(), real);
 * ```
 *
 * @module
 */
import process from "node:process";
import { BaseHub } from "./base_hub.ts";
import type { Hub, HubHost } from "./hub.ts";
import * as deno from "./deno.ts";
import * as node from "./node.ts";

export type * from "./hub.ts";
export { BaseHub, formatErrorReport } from "./base_hub.ts";
export { VirtualHub, type VirtualHubOptions } from "./virtual.ts";
import { VirtualHub, type VirtualHubOptions } from "./virtual.ts";

const hosts: Record<string, { isAvailable(): boolean; create(): HubHost }> = {
  deno: { isAvailable: deno.isAvailable, create: deno.createDenoHost },
  node: { isAvailable: node.isAvailable, create: node.createNodeHost },
};

let current: Hub | undefined;

function readEnv(variable: string): string | undefined {
  // Only read the environment when allowed: asking for env permission from a library would prompt.
  // deno-lint-ignore no-explicit-any
  const D = (globalThis as any).Deno;
  if (D?.permissions?.querySync?.({ name: "env", variable }).state === "granted" || D === undefined) {
    return process.env[variable] || undefined;
  }
  return undefined;
}

function readEnvHub(): string | undefined {
  return readEnv("EVY_HUB");
}

/** The hub in use from now on: `EVY_DEBUG` (set, and not `0`) sends its debug lines to stderr. */
function withEnvDebug(hub: Hub): Hub {
  const flag = readEnv("EVY_DEBUG");
  if (flag !== undefined && flag !== "0") hub.debugLog = (line) => hub.host.writeError(line);
  return hub;
}

/**
 * Creates a hub on the named host (`"deno"` or `"node"`).
 *
 * @example
 * ```ts
 * import { createHub } from "@evy/evy/hubs";
 * import assert from "node:assert/strict";
 *
 * const hub = createHub("node"); // Deno offers Node's APIs too
 * assert.equal(hub.name, "node");
 * assert.throws(() => createHub("libuv"), RangeError);
 * ```
 */
export function createHub(name: string): Hub {
  const entry = hosts[name];
  if (entry === undefined) {
    throw new RangeError(`Unknown hub "${name}": expected one of ${Object.keys(hosts).join(", ")}`);
  }
  if (!entry.isAvailable()) throw new RangeError(`Hub "${name}" is not available on this runtime`);
  return new BaseHub(entry.create());
}

/**
 * The hub in use, created on first call (see the module doc for the choice).
 *
 * @example
 * ```ts
 * import { getHub } from "@evy/evy/hubs";
 * import assert from "node:assert/strict";
 *
 * const hub = getHub();
 * const timer = hub.scheduleCallGlobal(1_000, () => {}, "example timer");
 * assert.equal(hub.listTimers().includes(timer), true);
 * timer.cancel();
 * ```
 */
export function getHub(): Hub {
  return current ??= withEnvDebug(createHub(readEnvHub() ?? (deno.isAvailable() ? "deno" : "node")));
}

/**
 * Makes `hub` (or a new hub on the named host) the one in use. Returns a
 * disposable that restores the previous hub.
 *
 * @example
 * ```ts
 * import { getHub, useHub, VirtualHub } from "@evy/evy/hubs";
 * import assert from "node:assert/strict";
 *
 * const virtual = new VirtualHub();
 * {
 *   using _ = useHub(virtual);
 *   assert.equal(getHub(), virtual);
 * }
 * assert.notEqual(getHub(), virtual);
 * ```
 */
export function useHub(hub: Hub | string): Disposable {
  const next = typeof hub === "string" ? createHub(hub) : hub;
  if (next === null || typeof next !== "object" || typeof next.schedule !== "function") {
    throw new TypeError("useHub: hub must be a hub name or a Hub");
  }
  const previous = current;
  current = next;
  return { [Symbol.dispose]: () => void (current = previous) };
}

/**
 * Runs `fn` with a new {@linkcode VirtualHub} installed as the current hub,
 * and puts the previous hub back when `fn` settles (also when it throws): the
 * one way tests run on virtual time. Drive the clock from `fn` with
 * `hub.tick(ms)` or `hub.runUntilIdle()`.
 *
 * @typeParam T What `fn` returns.
 * @param fn The code to run on virtual time; it gets the hub.
 * @param options The hub's options.
 * @returns What `fn` returns.
 *
 * @example A Timeout on virtual time
 * ```ts
 * import { sleep, spawn, Timeout } from "@evy/evy";
 * import { withVirtualHub } from "@evy/evy/hubs";
 * import assert from "node:assert/strict";
 *
 * const at = await withVirtualHub(async (hub) => {
 *   const gt = spawn(async () => {
 *     using t = new Timeout(60_000);
 *     await sleep(3_600_000).catch((e) => assert.equal(e, t));
 *     return hub.now();
 *   });
 *   await hub.runUntilIdle();
 *   return await gt.wait();
 * });
 * assert.equal(at, 60_000);
 * ```
 */
export async function withVirtualHub<T>(
  fn: (hub: VirtualHub) => T | PromiseLike<T>,
  options?: VirtualHubOptions,
): Promise<T> {
  if (typeof fn !== "function") throw new TypeError(`withVirtualHub: fn must be a function, got ${typeof fn}`);
  const hub = new VirtualHub(options);
  using _ = useHub(hub);
  return await fn(hub);
}
