/**
 * The inputs of `GreenPool.imap`/`starmap`: opening sync or async iterables,
 * closing them when the map stops early, and a starmap item's arguments.
 * Internal.
 *
 * @module
 */
import { describe } from "./_checks.ts";

/** One input iterator of a map. */
export interface Input {
  it: Iterator<unknown> | AsyncIterator<unknown>;
  async: boolean;
  open: boolean;
}

/** Opens argument `i` of `where` (an iterable or async iterable). */
export function openInput(where: string, iterable: unknown, i: number): Input {
  const x = iterable as { [Symbol.asyncIterator]?: unknown; [Symbol.iterator]?: unknown } | null | undefined;
  if (x != null && typeof x[Symbol.asyncIterator] === "function") {
    return { it: (x as AsyncIterable<unknown>)[Symbol.asyncIterator](), async: true, open: true };
  }
  if (x != null && typeof x[Symbol.iterator] === "function") {
    return { it: (x as Iterable<unknown>)[Symbol.iterator](), async: false, open: true };
  }
  throw new TypeError(
    `GreenPool.${where}: argument ${i + 1} must be an iterable or async iterable, got ${describe(x)}`,
  );
}

/** The argument list of one starmap item. */
export function starArgs(a: unknown): unknown[] {
  if (Array.isArray(a)) return a;
  if (a != null && typeof (a as Iterable<unknown>)[Symbol.iterator] === "function") {
    return [...(a as Iterable<unknown>)];
  }
  throw new TypeError(`GreenPool.starmap: each item must be an array (or iterable) of arguments, got ${describe(a)}`);
}

/** Closes an input that is still open (best effort: async closes are not awaited). */
export function closeInput(input: Input): void {
  if (!input.open) return;
  input.open = false;
  try {
    const r = input.it.return?.();
    if (input.async && r !== undefined) (r as Promise<unknown>).then(undefined, () => {});
  } catch { /* closing is best effort */ }
}
