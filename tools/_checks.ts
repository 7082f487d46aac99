/**
 * Argument checks shared by the tools' public functions.
 *
 * @module
 */

/** Throws a `TypeError` naming `what` unless `on` is a boolean. */
export function checkOn(on: unknown, what: string): asserts on is boolean {
  if (typeof on !== "boolean") throw new TypeError(`${what}: on must be a boolean, got ${typeof on}`);
}
