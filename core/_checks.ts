/**
 * The argument checks the core primitives share, so that bad input gets the
 * same clear `TypeError`/`RangeError` naming the argument everywhere. Internal.
 *
 * @module
 */

/** How a bad value prints in an argument error: strings quoted, the rest as `String()` gives. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Checks that `fn` (named `name`) is a function. */
export function checkFn(where: string, fn: unknown, name = "fn"): void {
  if (typeof fn !== "function") throw new TypeError(`${where}: ${name} must be a function, got ${describe(fn)}`);
}

/** Checks an optional boolean (`undefined` passes). */
export function checkBoolean(where: string, name: string, value: unknown): void {
  if (value !== undefined && typeof value !== "boolean") {
    throw new TypeError(`${where}: ${name} must be a boolean, got ${describe(value)}`);
  }
}

/** Checks a duration in ms: a number >= 0, or (with `optional`) `null`/`undefined`. */
export function checkMs(where: string, ms: unknown, optional: boolean): void {
  if (optional && ms == null) return;
  if (typeof ms !== "number" || !(ms >= 0)) {
    const or = optional ? ", null or undefined" : "";
    throw new RangeError(`${where}: ms must be a number >= 0${or}, got ${describe(ms)}`);
  }
}

/** Whether `value` is a thenable (a Promise or anything with a `then` method). */
export function isThenable<T = unknown>(value: unknown): value is PromiseLike<T> {
  return value !== null && (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function";
}

/** Checks a pool size: an integer >= 0 (`what` names the argument). */
export function checkSize(where: string, what: string, n: unknown): number {
  if (typeof n !== "number" || !Number.isInteger(n)) {
    throw new TypeError(`${where}: ${what} must be an integer, got ${describe(n)}`);
  }
  if (n < 0) throw new RangeError(`${where}: ${what} must be >= 0, got ${describe(n)}`);
  return n;
}

/**
 * Checks an optional timeout (named `name`, `timeoutMs` by default):
 * `undefined`/`null` (none), or a number >= 0 (`Infinity` = none).
 */
export function checkTimeout(where: string, timeoutMs: unknown, name = "timeoutMs"): number | undefined {
  if (timeoutMs === undefined || timeoutMs === null) return undefined;
  if (typeof timeoutMs !== "number" || !(timeoutMs >= 0)) {
    throw new RangeError(`${where}: ${name} must be a number >= 0, got ${describe(timeoutMs)}`);
  }
  return timeoutMs;
}

/** Checks that `options` is an object or `undefined`. */
export function checkOptions(where: string, options: unknown): void {
  if (options !== undefined && (options === null || typeof options !== "object")) {
    throw new TypeError(`${where}: options must be an object, got ${describe(options)}`);
  }
}

/** Checks a count: an integer >= `min`. */
export function checkCount(where: string, name: string, n: unknown, min: number): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < min) {
    throw new RangeError(`${where}: ${name} must be an integer >= ${min}, got ${describe(n)}`);
  }
  return n;
}

/** Checks a queue size: `undefined`/`null` (unbounded) or an integer >= 0. */
export function checkMaxsize(where: string, maxsize: unknown): number | undefined {
  if (maxsize === undefined || maxsize === null) return undefined;
  if (typeof maxsize !== "number" || !Number.isInteger(maxsize) || maxsize < 0) {
    throw new RangeError(`${where}: maxsize must be an integer >= 0 or undefined, got ${describe(maxsize)}`);
  }
  return maxsize;
}

/** Checks acquire options (`blocking`, `timeoutMs`); returns `timeoutMs`. */
export function checkAcquireOptions(
  where: string,
  options: { blocking?: boolean; timeoutMs?: number } | undefined,
): number | undefined {
  checkOptions(where, options);
  const timeoutMs = checkTimeout(where, options?.timeoutMs);
  if (options?.blocking === false && timeoutMs !== undefined) {
    throw new TypeError(`${where}: timeoutMs cannot be given with blocking: false`);
  }
  return timeoutMs;
}
