/**
 * The one runtime probe and the one way to load a Node built-in, for the
 * backends above the hubs (green/, web/): `isDeno()` picks a backend, and
 * `nodeBuiltin(name)` loads `node:fs`, `node:net` & co. on first use instead of
 * at import, so importing evy on Deno never loads Node's I/O modules. Both
 * runtimes have `process.getBuiltinModule` (Node >= 20.16, Deno 2), which
 * resolves the real built-in even while the preload redirects `node:` imports.
 *
 * @example
 * ```ts
 * import { isDeno, nodeBuiltin } from "@evy/evy/hubs/runtime";
 * import assert from "node:assert/strict";
 *
 * const path = nodeBuiltin<typeof import("node:path")>("node:path");
 * assert.equal(path.join("a", "b"), "a/b");
 * assert.equal(typeof isDeno(), "boolean");
 * ```
 *
 * @module
 */
import process from "node:process";
import { isAvailable } from "./deno.ts";

/**
 * Whether this runtime is Deno (the probe every backend chooser uses).
 *
 * @returns `true` on Deno, `false` on Node.
 *
 * @example
 * ```ts
 * import { isDeno } from "@evy/evy/hubs/runtime";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isDeno(), "Deno" in globalThis);
 * ```
 */
export function isDeno(): boolean {
  return isAvailable();
}

/**
 * The `Deno` namespace object when running on Deno, for the code that must
 * reach it as an object (the patcher replaces functions on it), else `undefined`.
 *
 * @returns `globalThis.Deno`, or `undefined` on Node.
 *
 * @example
 * ```ts
 * import { denoNamespace, isDeno } from "@evy/evy/hubs/runtime";
 * import assert from "node:assert/strict";
 *
 * assert.equal(denoNamespace() !== undefined, isDeno());
 * ```
 */
export function denoNamespace(): Record<string, unknown> | undefined {
  return isDeno() ? (globalThis as unknown as { Deno: Record<string, unknown> }).Deno : undefined;
}

/**
 * Writes `text` to the process's standard error as is (no newline added).
 *
 * @param text What to write.
 *
 * @example
 * ```ts
 * import { writeStderr } from "@evy/evy/hubs/runtime";
 *
 * writeStderr(""); // nothing to see: an empty write
 * ```
 */
export function writeStderr(text: string): void {
  process.stderr.write(text);
}

/**
 * The Node built-in module `name` (`"node:fs"`), loaded now if it was not yet.
 *
 * @typeParam T The module's type: `typeof import("node:fs")`.
 * @param name The module's `node:` name.
 * @returns The module namespace.
 *
 * @example
 * ```ts
 * import { nodeBuiltin } from "@evy/evy/hubs/runtime";
 * import assert from "node:assert/strict";
 *
 * const os = nodeBuiltin<typeof import("node:os")>("node:os");
 * assert.equal(typeof os.tmpdir(), "string");
 * ```
 */
export function nodeBuiltin<T>(name: `node:${string}`): T {
  return (process as unknown as { getBuiltinModule(id: string): T }).getBuiltinModule(name);
}
