/**
 * The messages between the pool and its workers, and how errors cross over
 * (as plain objects: structured clone keeps neither a subclass nor, on every
 * runtime, `name`). Shared by both sides; loads nothing else.
 *
 * @module
 */

/** What a call runs: a shipped function's source, or a module's export. */
export type Job =
  | { kind: "fn"; source: string }
  | { kind: "export"; url: string; name: string };

/**
 * Pool → worker. A call is a compact array (its cost is most of a round trip:
 * an object with nested keys measured ~40% slower than this on Deno 2.9.6):
 * `[id, jobId, args]`, or `[id, jobId, args, job]` the first time a worker
 * sees that job, which it keeps under `jobId` (`-1`: not kept).
 */
export type CallMessage = [id: number, jobId: number, args: unknown[], job?: Job];

/** Pool → worker: a call, or the cancellation of one. */
export type ToWorker = CallMessage | { t: "cancel"; id: number };

/** Worker → pool: `[id, value]` for a result; `exit` announces a `process.exit()`/`Deno.exit()` the worker is about to make. */
export type FromWorker =
  | [id: number, value: unknown]
  | { t: "fail"; id: number; error: WireError }
  | { t: "exit"; code: number };

/** An error as it crosses to the caller. */
export interface WireError {
  name: string;
  message: string;
  stack: string | undefined;
  code?: string | number | undefined;
  cause?: WireError | undefined;
}

const BUILTIN: Record<string, ErrorConstructor> = {
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/**
 * The caller's `Error` for a worker's error: the built-in class when the name
 * is one (so `instanceof TypeError` holds), else `Error` with that `name`; the
 * worker's stack, then the caller's frame.
 */
export function fromWire(wire: WireError, callerStack?: string): Error {
  const Ctor = BUILTIN[wire.name] ?? Error;
  const options = wire.cause === undefined ? undefined : { cause: fromWire(wire.cause) };
  const error = new Ctor(wire.message, options);
  if (error.name !== wire.name) {
    Object.defineProperty(error, "name", { value: wire.name, configurable: true, writable: true });
  }
  if (wire.code !== undefined) (error as Error & { code?: unknown }).code = wire.code;
  const head = wire.stack ?? `${wire.name}: ${wire.message}`;
  error.stack = callerStack === undefined ? head : `${head}\n    --- in the tpool, called from ---\n${callerStack}`;
  return error;
}
