/**
 * The patcher's table of originals, kept below every green module so that the
 * green backends can reach the runtime without going through a patched global
 * (after `monkeyPatch()`, `globalThis.fetch` is green fetch: calling it from
 * green fetch would loop).
 *
 * `saved` holds an entry only while its slot is patched. {@linkcode real}
 * returns the saved original when there is one, else reads the slot now, so
 * that an unpatched process (or a test that mocks `globalThis.fetch`) is
 * served by whatever the slot holds at call time.
 *
 * @module
 */

/** Originals of the slots monkeyPatch() replaced, by name (`fetch`, `setTimeout`, `Deno.<name>`). */
export const saved: Map<string, unknown> = new Map();

/** The runtime's `name` function: the saved original while patched, else `read()` now. */
export function real<T>(name: string, read: () => T): T {
  return saved.size !== 0 && saved.has(name) ? saved.get(name) as T : read();
}

/** The global `name` (`setTimeout`, `fetch`) as the runtime provides it. */
export function realGlobal<T>(name: string): T {
  return real(name, () => (globalThis as Record<string, unknown>)[name] as T);
}
