/**
 * The argument checks of `web/`'s options, so every bad option gets the same
 * `TypeError`/`RangeError` naming it, with string values quoted. Internal.
 *
 * @module
 */

/** `value` as an error message shows it: strings quoted, so `"8080"` and `8080` differ. */
export function shown(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  if (value !== null && typeof value === "object") return Array.isArray(value) ? "an array" : "an object";
  return String(value);
}

/** Throws a `TypeError` naming `name` unless `value` is `undefined` or has type `type`. */
export function checkType(where: string, name: string, value: unknown, type: "string" | "boolean" | "function"): void {
  if (value !== undefined && typeof value !== type) {
    throw new TypeError(`${where}: ${name} must be a ${type}, got ${shown(value)}`);
  }
}

/** Throws unless `value` is `undefined` or a number >= 0 (`TypeError` for a non-number, `RangeError` below 0). */
export function checkMs(where: string, name: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "number") throw new TypeError(`${where}: ${name} must be a number >= 0, got ${shown(value)}`);
  if (!(value >= 0)) throw new RangeError(`${where}: ${name} must be a number >= 0, got ${shown(value)}`);
}
