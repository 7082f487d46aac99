/**
 * `Connection`: one database connection of any adapter, read the same way
 * for all (JavaScript has no DB-API 2, so this is the one thin layer it
 * implies): `await conn.query(sql, values?)` gives `{ rows, rowCount }`, and
 * `conn.raw` is the driver's own client.
 *
 * Every call is a green wait, so kill and Timeout interrupt it. An
 * interrupted call is also stopped **on the server** — pg's cancel request,
 * MySQL's `KILL QUERY` — and the connection is closed, never reused in an
 * unknown state; the caller is released at once, with the Timeout or kill
 * error, while the cancel finishes in the background. Closing (or putting
 * back) a connection makes the object useless: its methods throw
 * {@linkcode ConnectionClosedError}, as Eventlet's wrapper does.
 *
 * @module
 */
import { ConcurrentAccessError } from "../green/net_errors.ts";
import { suspend } from "../core/internal.ts";
import { abortConnection } from "./_abort.ts";
import type { Driver, QueryResult } from "./driver.ts";
import { ConnectionClosedError } from "./errors.ts";

/** What a closed connection hands to its owner (the pool). */
export interface ConnectionRelease<R> {
  /** The driver's client. */
  raw: R;
  /** Whether `raw` is in a known, idle state and may be used again. */
  reusable: boolean;
  /** For a connection that may not be reused: resolves when it is cancelled and closed. */
  closed?: Promise<void>;
}

/** Options for {@linkcode Connection}. */
export interface ConnectionOptions<P, R> {
  /** The parameters `raw` was opened with (the cancel may need them for a side connection). */
  params: P;
  /** Takes the client back when the connection is closed; without it, `close()` closes the client. */
  onRelease?: (release: ConnectionRelease<R>) => void;
}

type State = "idle" | "busy" | "interrupted" | "closed";

function describeSql(sql: string): string {
  if (sql.length <= 40 && !/[\n\r\t]/.test(sql)) return sql; // the common short statement: no copy
  const flat = sql.replace(/\s+/g, " ").trim();
  return flat.length > 40 ? `${flat.slice(0, 40)}…` : flat;
}

/**
 * A connection: the driver's client behind evy's query layer. Pools make
 * them ({@linkcode ConnectionPool.get}); `new Connection(driver, raw, { params })`
 * wraps a client of your own.
 *
 * @typeParam R The driver's own client type.
 *
 * @example Wrapping a client opened by hand
 * ```ts
 * import { Connection, type Driver, type QueryResult } from "@evy/evy/db";
 * import assert from "node:assert/strict";
 *
 * // A tiny in-memory driver, to show the contract; real ones are `postgres` and `mysql`.
 * const echo: Driver<null, { open: boolean }> = {
 *   name: "echo",
 *   connect: () => Promise.resolve({ open: true }),
 *   query: (_raw, sql, values): Promise<QueryResult> =>
 *     Promise.resolve({ rows: [{ sql, values }], rowCount: 1 }),
 *   cancel: () => Promise.resolve(),
 *   ping: () => Promise.resolve(),
 *   usable: (raw) => raw.open,
 *   close: (raw) => Promise.resolve(void (raw.open = false)),
 *   describe: () => "echo:",
 * };
 * const raw = await echo.connect(null, new AbortController().signal);
 * const conn = new Connection(echo, raw, { params: null });
 * const { rows, rowCount } = await conn.query("SELECT $1", [42]);
 * assert.deepEqual([rows, rowCount], [[{ sql: "SELECT $1", values: [42] }], 1]);
 * await conn.close();
 * assert.equal(raw.open, false);
 * ```
 */
export class Connection<R = unknown> implements AsyncDisposable {
  readonly #driver: Driver<unknown, R>;
  readonly #raw: R;
  readonly #params: unknown;
  readonly #onRelease: ((release: ConnectionRelease<R>) => void) | undefined;
  #state: State = "idle";
  #aborted: Promise<void> | undefined;

  /**
   * Wraps the client `raw` of `driver`.
   *
   * @throws {TypeError} When `driver` is not a driver or `options` not an object.
   */
  constructor(driver: Driver<unknown, R>, raw: R, options: ConnectionOptions<unknown, R>) {
    if (driver === null || typeof driver !== "object" || typeof driver.query !== "function") {
      throw new TypeError(`Connection: driver must be a database driver, got ${String(driver)}`);
    }
    if (options === null || typeof options !== "object") {
      throw new TypeError(`Connection: options must be an object, got ${String(options)}`);
    }
    this.#driver = driver;
    this.#raw = raw;
    this.#params = options.params;
    this.#onRelease = options.onRelease;
  }

  /**
   * The driver's own client (a `pg.Client`, a mysql2 `Connection`), for what
   * the query layer does not cover. Calls made on it directly are not green
   * waits.
   *
   * @throws {ConnectionClosedError} After `close()` (or `put`).
   */
  get raw(): R {
    if (this.#state === "closed") throw new ConnectionClosedError("use raw");
    return this.#raw;
  }

  /** Whether the connection was closed (or put back): its methods throw. */
  get closed(): boolean {
    return this.#state === "closed";
  }

  /**
   * Runs one statement: a green wait that kill and Timeout interrupt, which
   * also cancels the statement on the server and discards the connection.
   *
   * @typeParam Row The shape of a row.
   * @param sql The statement, with the driver's placeholders (`$1` for pg, `?` for mysql2).
   * @param values The placeholders' values.
   * @returns The rows as plain objects, and the count of rows returned or affected.
   * @throws {TypeError} When `sql` is not a string or `values` not an array.
   * @throws {ConnectionClosedError} After `close()`, or after an interrupted query.
   * @throws {ConcurrentAccessError} While another call on this connection is pending.
   * @throws {unknown} The driver's error for a failed statement.
   */
  query<Row = Record<string, unknown>>(sql: string, values?: readonly unknown[]): Promise<QueryResult<Row>> {
    if (typeof sql !== "string") throw new TypeError(`Connection.query: sql must be a string, got ${typeof sql}`);
    if (values !== undefined && !Array.isArray(values)) {
      throw new TypeError(`Connection.query: values must be an array, got ${typeof values}`);
    }
    return this.#call(
      "query",
      `query(${this.#driver.name}: ${describeSql(sql)})`,
      () => this.#driver.query(this.#raw, sql, values),
    ) as Promise<QueryResult<Row>>;
  }

  /**
   * A round trip to the server (a green wait, interrupted like a query).
   *
   * @throws {ConnectionClosedError} After `close()`, or after an interrupted call.
   */
  ping(): Promise<void> {
    return this.#call("ping", `ping(${this.#driver.name})`, () => this.#driver.ping(this.#raw));
  }

  /**
   * Closes the connection — for a pooled one, puts it back to its pool
   * (Eventlet: `close()` of a wrapper is a `put`). A connection whose call
   * was interrupted, or is still pending, is cancelled and closed instead.
   * Later calls are no-ops.
   *
   * @returns Resolves when the connection is back or closed; never rejects.
   */
  close(): Promise<void> {
    const state = this.#state;
    if (state === "closed") return Promise.resolve();
    this.#state = "closed";
    const reusable = state === "idle" && this.#driver.usable(this.#raw);
    let closed: Promise<void> | undefined;
    if (!reusable) {
      closed = this.#aborted ??
        (state === "busy" ? this.#abort() : this.#driver.close(this.#raw).catch(() => {}));
    }
    if (this.#onRelease !== undefined) {
      this.#onRelease(closed === undefined ? { raw: this.#raw, reusable } : { raw: this.#raw, reusable, closed });
      return closed ?? Promise.resolve();
    }
    return closed ?? this.#driver.close(this.#raw).catch(() => {});
  }

  /** `close()`, for `await using conn = await pool.item()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #abort(): Promise<void> {
    return this.#aborted ??= abortConnection(this.#driver, this.#raw, this.#params);
  }

  #call<T>(action: string, description: string, run: () => Promise<T>): Promise<T> {
    switch (this.#state) {
      case "closed":
        return Promise.reject(new ConnectionClosedError(action));
      case "interrupted":
        return Promise.reject(new ConnectionClosedError(action, "it was discarded after an interrupted call"));
      case "busy":
        return Promise.reject(
          new ConcurrentAccessError(`Cannot ${action}: another call on this connection is pending`),
        );
    }
    return suspend<T>((resolve, reject) => {
      // Begun inside the wait, so a kill already pending never starts the statement.
      let running: Promise<T>;
      try {
        running = run();
      } catch (error) {
        reject(error); // a driver that throws at once: the connection stays as it was
        return;
      }
      this.#state = "busy";
      let waiting = true;
      running.then((value) => {
        if (!waiting) return;
        if (this.#state === "busy") this.#state = "idle";
        resolve(value);
      }, (error) => {
        if (!waiting) return;
        if (this.#state === "busy") this.#state = "idle";
        reject(error);
      });
      return () => {
        waiting = false;
        if (this.#state === "busy") this.#state = "interrupted";
        void this.#abort();
      };
    }, description);
  }
}
