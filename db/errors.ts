/**
 * The errors of evy's database layer, one class per condition. A query's own
 * failure (a syntax error, a constraint) is the driver's error, passed
 * through unchanged so that its `code` can be branched on.
 *
 * @example Telling a refused connection from a slow one
 * ```ts
 * import { ConnectError, ConnectTimeout } from "@evy/evy/db";
 * import assert from "node:assert/strict";
 *
 * const refused = new ConnectError("postgres://evy@127.0.0.1:1/app", new Error("ECONNREFUSED"));
 * assert.ok(refused instanceof ConnectError && !(refused instanceof ConnectTimeout));
 * assert.match(refused.message, /ECONNREFUSED/);
 * ```
 *
 * @module
 */

/**
 * A connection could not be opened: the server refused it (wrong
 * credentials, no such database) or could not be reached. `cause` is the
 * driver's error.
 *
 * @example Catching a refused connection
 * ```ts
 * import { ConnectError } from "@evy/evy/db";
 * import assert from "node:assert/strict";
 *
 * const error = new ConnectError("mysql://evy@127.0.0.1:3306/app", new Error("Access denied"));
 * assert.equal(error.name, "ConnectError");
 * assert.equal((error.cause as Error).message, "Access denied");
 * ```
 */
export class ConnectError extends Error {
  /** Wraps the driver's `cause` for the server `where` (as the driver describes it). */
  constructor(where: string, cause: unknown) {
    super(`Cannot connect to ${where}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "ConnectError";
  }
}

/**
 * A connection took longer than the pool's `connectTimeoutMs` to open
 * (Eventlet's `ConnectTimeout`). The attempt is stopped and the pool's size
 * is unchanged.
 *
 * @example Catching a slow connect
 * ```ts
 * import { ConnectError, ConnectTimeout } from "@evy/evy/db";
 * import assert from "node:assert/strict";
 *
 * const error = new ConnectTimeout("postgres://evy@10.0.0.1:5432/app", 5000);
 * assert.ok(error instanceof ConnectError);
 * assert.match(error.message, /5000 ms/);
 * ```
 */
export class ConnectTimeout extends ConnectError {
  /** For the server `where`, after `timeoutMs`. */
  constructor(where: string, timeoutMs: number) {
    super(where, new Error(`no connection after ${timeoutMs} ms`));
    this.name = "ConnectTimeout";
  }
}

/**
 * The pool was closed: `get()` after `close()`, or a `get()` that was
 * waiting for a connection when it closed.
 *
 * @example Checking the error's name
 * ```ts
 * import { PoolClosedError } from "@evy/evy/db";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new PoolClosedError("get").name, "PoolClosedError");
 * ```
 */
export class PoolClosedError extends Error {
  /** For the pool method `action` that could not run. */
  constructor(action: string) {
    super(`Cannot ${action}: the connection pool is closed`);
    this.name = "PoolClosedError";
  }
}

/**
 * A connection was used after it was put back to its pool (or discarded):
 * a handed-back connection is useless, as Eventlet's wrapper is.
 *
 * @example Checking the error's message
 * ```ts
 * import { ConnectionClosedError } from "@evy/evy/db";
 * import assert from "node:assert/strict";
 *
 * assert.match(new ConnectionClosedError("query").message, /put back/);
 * ```
 */
export class ConnectionClosedError extends Error {
  /** For the connection method `action` that could not run, and why (put back, by default). */
  constructor(action: string, reason = "the connection was put back to its pool") {
    super(`Cannot ${action}: ${reason}`);
    this.name = "ConnectionClosedError";
  }
}
