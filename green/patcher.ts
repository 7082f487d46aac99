/**
 * Greening the world by patching (Eventlet's `monkey_patch`): replaces the
 * runtime's networking, fetch, fs and timer functions with evy's green ones,
 * so unmodified code gets kill and Timeout cancellation and hub listings.
 *
 * | group | globals replaced | modules redirected (where `module.registerHooks` exists) |
 * | --- | --- | --- |
 * | `net` | `Deno.connect`, `listen`, `connectTls`, `listenTls`, `startTls`, `resolveDns` | `node:net`, `node:dns/promises`, `node:http`, `node:https` |
 * | `fetch` | `globalThis.fetch` | — |
 * | `fs` | `Deno.readFile`, `readTextFile`, `writeFile`, `writeTextFile`, `open`, `create`, `readDir`, `stat`, `lstat`, `mkdir`, `remove`, `rename`, `copyFile`, `truncate`, `makeTempFile`, `makeTempDir`, `realPath`, `readLink`, `symlink`, `chmod` | `node:fs/promises` |
 * | `timers` | `setTimeout`, `clearTimeout`, `setInterval`, `clearInterval` (+ `Deno.unrefTimer`/`refTimer`) | `node:timers`, `node:timers/promises` |
 * | `process` | `Deno.Command` (its `outputSync()` stays the runtime's, blocking) | `node:child_process` (`spawn`, `execFile`, `exec` and their promisified forms) |
 *
 * The redirection applies to every module resolved after `monkeyPatch()` —
 * npm packages and `require()` included — except evy's own modules, which
 * keep the real builtins. It needs `module.registerHooks` (Deno 2; Node ≥
 * 22.15); elsewhere (Node 20) only the globals are greened and
 * {@linkcode moduleHooksAvailable} says `false`. Call it first thing, or use
 * the preload: `deno run --preload jsr:@evy/evy/patch app.ts`.
 *
 * The green backends reach the runtime through {@linkcode original}'s table,
 * so they never call themselves once they are the globals.
 *
 * @example Patch, check, restore
 * ```ts
 * import { isMonkeyPatched, monkeyPatch, original, unpatch } from "@evy/evy/green/patcher";
 * import { fetch as greenFetch } from "@evy/evy/green/fetch";
 * import assert from "node:assert/strict";
 *
 * const runtimeFetch = globalThis.fetch;
 * monkeyPatch({ fetch: true });
 * assert.equal(globalThis.fetch, greenFetch);
 * assert.equal(original("fetch"), runtimeFetch);
 * assert.ok(isMonkeyPatched("fetch") && !isMonkeyPatched("fs"));
 * unpatch();
 * assert.equal(globalThis.fetch, runtimeFetch);
 * ```
 *
 * @module
 */
import { fetch } from "./fetch.ts";
import * as fs from "./fs.ts";
import * as net from "./net.ts";
import * as nodeTimers from "./node/timers.ts";
import * as timers from "./timers.ts";
import { PatchedCommand } from "./_patched_command.ts";
import { saved } from "./_originals.ts";
import { installModuleHooks, moduleHooksAvailable, uninstallModuleHooks } from "./_module_hooks.ts";
import { denoNamespace } from "../hubs/runtime.ts";

export { moduleHooksAvailable };

/** A patch group: what {@linkcode monkeyPatch} can replace. */
export type PatchGroup = "net" | "fetch" | "fs" | "timers" | "process";

/** Which groups {@linkcode monkeyPatch} replaces (Eventlet's keyword arguments). */
export interface MonkeyPatchOptions {
  /** Deno's `connect` & co.; the `net`, `dns/promises`, `http` and `https` node modules. */
  net?: boolean;
  /** `globalThis.fetch`. */
  fetch?: boolean;
  /** Deno's async fs functions; `node:fs/promises`. */
  fs?: boolean;
  /** The timer globals; `node:timers`, `node:timers/promises`. */
  timers?: boolean;
  /** `Deno.Command`; `node:child_process`. */
  process?: boolean;
}

interface Slot {
  name: string;
  holder: Record<string, unknown>;
  key: string;
  green: unknown;
}

const GROUPS: PatchGroup[] = ["net", "fetch", "fs", "timers", "process"];
const FS_NAMES = [
  "readFile",
  "readTextFile",
  "writeFile",
  "writeTextFile",
  "open",
  "create",
  "readDir",
  "stat",
  "lstat",
  "mkdir",
  "remove",
  "rename",
  "copyFile",
  "truncate",
  "makeTempFile",
  "makeTempDir",
  "realPath",
  "readLink",
  "symlink",
  "chmod",
] as const;
const NET_NAMES = ["connect", "listen", "connectTls", "listenTls", "startTls", "resolveDns"] as const;
const patched = new Set<PatchGroup>();
const greens = new Map<string, unknown>();

const runtimeDeno = denoNamespace;

function slots(group: PatchGroup): Slot[] {
  const g = globalThis as unknown as Record<string, unknown>;
  const D = runtimeDeno();
  const deno = (names: readonly string[], from: Record<string, unknown>): Slot[] =>
    D === undefined ? [] : names.map((key) => ({ name: `Deno.${key}`, holder: D, key, green: from[key] }));
  switch (group) {
    case "fetch":
      return [{ name: "fetch", holder: g, key: "fetch", green: fetch }];
    case "fs":
      return deno(FS_NAMES, fs);
    case "net":
      return deno(NET_NAMES, net);
    case "process":
      return deno(["Command"], { Command: PatchedCommand });
    case "timers": {
      const shape: Record<string, unknown> = D === undefined ? nodeTimers : timers;
      const names = ["setTimeout", "clearTimeout", "setInterval", "clearInterval"];
      return [
        ...names.map((key) => ({ name: key, holder: g, key, green: shape[key] })),
        ...deno(["unrefTimer", "refTimer"], timers),
      ];
    }
  }
}

function chosen(options: MonkeyPatchOptions | undefined): PatchGroup[] {
  if (options === undefined) return GROUPS;
  if (options === null || typeof options !== "object") throw new TypeError("monkeyPatch: options must be an object");
  const on = GROUPS.filter((g) => options[g] === true);
  return on.length > 0 ? on : GROUPS.filter((g) => options[g] !== false);
}

/**
 * Replaces the runtime's functions of the chosen groups with the green ones
 * (all groups by default; with some set to `true`, only those; with some set
 * to `false`, all others) and, where the runtime allows, redirects the
 * matching `node:` modules for modules resolved from now on. Safe to call
 * again: patched slots stay patched and the first originals are kept.
 *
 * @param options Which groups to patch.
 * @throws {TypeError} When `options` is not an object.
 *
 * @example
 * ```ts
 * import { isMonkeyPatched, monkeyPatch, unpatch } from "@evy/evy/green/patcher";
 * import assert from "node:assert/strict";
 *
 * monkeyPatch({ timers: true });
 * monkeyPatch({ timers: true }); // idempotent
 * assert.equal(isMonkeyPatched("timers"), true);
 * assert.equal(isMonkeyPatched("node:timers/promises"), true);
 * unpatch();
 * assert.equal(isMonkeyPatched("timers"), false);
 * ```
 */
export function monkeyPatch(options?: MonkeyPatchOptions): void {
  for (const group of chosen(options)) {
    if (patched.has(group)) continue;
    for (const slot of slots(group)) {
      if (typeof slot.green !== "function" || !(slot.key in slot.holder)) continue;
      saved.set(slot.name, slot.holder[slot.key]);
      greens.set(slot.name, slot.green);
      slot.holder[slot.key] = slot.green;
    }
    patched.add(group);
  }
  installModuleHooks(patched);
}

/**
 * Puts the originals back (of the given groups, or all), for tests. A slot
 * that someone else replaced after `monkeyPatch()` is left as they set it.
 *
 * @param groups The groups to restore. @default all patched groups
 *
 * @example
 * ```ts
 * import { monkeyPatch, unpatch } from "@evy/evy/green/patcher";
 * import assert from "node:assert/strict";
 *
 * const before = globalThis.setTimeout;
 * monkeyPatch({ timers: true });
 * assert.notEqual(globalThis.setTimeout, before);
 * unpatch("timers");
 * assert.equal(globalThis.setTimeout, before);
 * ```
 */
export function unpatch(...groups: PatchGroup[]): void {
  for (const group of groups.length === 0 ? [...patched] : groups) {
    if (!GROUPS.includes(group)) throw new RangeError(`unpatch: unknown group "${group}"`);
    if (!patched.delete(group)) continue;
    for (const slot of slots(group)) {
      if (!saved.has(slot.name)) continue;
      if (slot.holder[slot.key] === greens.get(slot.name)) slot.holder[slot.key] = saved.get(slot.name);
      saved.delete(slot.name);
      greens.delete(slot.name);
    }
  }
  if (patched.size === 0) uninstallModuleHooks();
}

const MODULE_GROUPS: Record<string, PatchGroup> = {
  "node:net": "net",
  "node:dns/promises": "net",
  "node:http": "net",
  "node:https": "net",
  "node:fs/promises": "fs",
  "node:timers": "timers",
  "node:timers/promises": "timers",
  "node:child_process": "process",
};

/**
 * Whether `name` is patched now: a group (`"net"`, `"fetch"`, `"fs"`,
 * `"timers"`, `"process"`), a redirected module (`"node:timers/promises"`), or a single
 * function (`"fetch"`, `"Deno.connect"`, `"setTimeout"`). It tells the truth
 * about the runtime: a group counts only when something of it is green here,
 * and a module only where `module.registerHooks` redirects it — so on Node 20
 * `monkeyPatch()` leaves `"net"`, `"fs"`, `"process"`, `"node:http"` and `"node:child_process"`
 * `false`, and `"fetch"` and `"timers"` `true`.
 *
 * @example
 * ```ts
 * import { isMonkeyPatched } from "@evy/evy/green/patcher";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isMonkeyPatched("Deno.readFile"), false);
 * ```
 */
export function isMonkeyPatched(name: string): boolean {
  if (GROUPS.includes(name as PatchGroup)) return greened(name as PatchGroup);
  const group = MODULE_GROUPS[name.startsWith("node:") ? name : `node:${name}`];
  if (group !== undefined && !saved.has(name)) return patched.has(group) && moduleHooksAvailable();
  return saved.has(name);
}

/**
 * Whether `group` is patched and something of it is really green on this
 * runtime: a replaced function, or its modules' redirection. On Node 20 (no
 * `module.registerHooks`, no `Deno`) that leaves `fetch` and `timers` only.
 */
function greened(group: PatchGroup): boolean {
  if (!patched.has(group)) return false;
  if (moduleHooksAvailable() && Object.values(MODULE_GROUPS).includes(group)) return true;
  return slots(group).some((slot) => saved.has(slot.name));
}

/**
 * The runtime's own function `name` (`"fetch"`, `"setTimeout"`,
 * `"Deno.connect"`, `"Deno.readFile"`): the saved original while patched,
 * the current one otherwise.
 *
 * @throws {RangeError} When `name` names no patchable function.
 *
 * @example
 * ```ts
 * import { original } from "@evy/evy/green/patcher";
 * import assert from "node:assert/strict";
 *
 * assert.equal(original("fetch"), globalThis.fetch);
 * ```
 */
export function original<T = unknown>(name: string): T {
  if (saved.has(name)) return saved.get(name) as T;
  for (const group of GROUPS) {
    for (const slot of slots(group)) if (slot.name === name) return slot.holder[slot.key] as T;
  }
  throw new RangeError(`original: "${name}" is not a patchable function`);
}
