/**
 * Checks of the pool options, shared by the pool and the connector so that
 * bad options fail at the call, naming the option. Internal to db/.
 *
 * @module
 */

/** The pool options with their defaults applied. */
export interface CheckedPoolOptions {
  minSize: number;
  maxSize: number;
  maxIdleMs: number;
  maxAgeMs: number;
  connectTimeoutMs: number;
}

function size(where: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`${where}: options.${name} must be an integer, got ${String(value)}`);
  }
  if (value < 0) throw new RangeError(`${where}: options.${name} must be >= 0, got ${value}`);
  return value;
}

function duration(where: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`${where}: options.${name} must be a number of ms, got ${String(value)}`);
  }
  if (value < 0) throw new RangeError(`${where}: options.${name} must be >= 0, got ${value}`);
  return value;
}

/** Checks `options` and applies Eventlet's defaults (in ms). */
export function checkPoolOptions(where: string, options: unknown): CheckedPoolOptions {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`${where}: options must be an object, got ${String(options)}`);
  }
  const o = options as Record<string, unknown>;
  const checked = {
    minSize: size(where, "minSize", o.minSize, 0),
    maxSize: size(where, "maxSize", o.maxSize, 4),
    maxIdleMs: duration(where, "maxIdleMs", o.maxIdleMs, 10_000),
    maxAgeMs: duration(where, "maxAgeMs", o.maxAgeMs, 30_000),
    connectTimeoutMs: duration(where, "connectTimeoutMs", o.connectTimeoutMs, 5_000),
  };
  if (checked.minSize > checked.maxSize) {
    throw new RangeError(
      `${where}: options.maxSize (${checked.maxSize}) must not be less than options.minSize (${checked.minSize})`,
    );
  }
  return checked;
}
