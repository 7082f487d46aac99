/**
 * `DatabaseConnector`: Eventlet's `db_pool.DatabaseConnector` — one
 * {@linkcode ConnectionPool} per host and database, made on first use, with
 * per-host credentials and a `"default"` entry for hosts not listed.
 *
 * @module
 */
import type { Driver } from "./driver.ts";
import { ConnectionPool, type ConnectionPoolOptions } from "./pool.ts";
import { checkPoolOptions } from "./_options.ts";

/**
 * A pool per host and database, for services that talk to several servers.
 *
 * @typeParam P The driver's connection parameters.
 * @typeParam R The driver's client type.
 *
 * @example One pool per host and database
 * ```ts
 * import { DatabaseConnector, type Driver } from "@evy/evy/db";
 * import assert from "node:assert/strict";
 *
 * type Params = { host: string; database: string; user: string };
 * const seen: Params[] = [];
 * const memory: Driver<Params, Params> = {
 *   name: "memory",
 *   connect: (params) => Promise.resolve(void seen.push(params)).then(() => params),
 *   query: (raw) => Promise.resolve({ rows: [{ user: raw.user }], rowCount: 1 }),
 *   cancel: () => Promise.resolve(),
 *   ping: () => Promise.resolve(),
 *   usable: () => true,
 *   close: () => Promise.resolve(),
 *   describe: (p) => `memory://${p.user}@${p.host}/${p.database}`,
 * };
 * await using connector = new DatabaseConnector(memory, {
 *   "db1.internal": { user: "reports" },
 *   default: { user: "app" },
 * }, { maxSize: 2 });
 * const reports = connector.get("db1.internal", "sales");
 * assert.equal(connector.get("db1.internal", "sales"), reports); // made once
 * await using conn = await connector.get("db2.internal", "sales").get();
 * assert.deepEqual((await conn.query("SELECT current_user")).rows, [{ user: "app" }]);
 * assert.deepEqual(seen, [{ user: "app", host: "db2.internal", database: "sales" }]);
 * ```
 */
export class DatabaseConnector<P extends object = Record<string, unknown>, R = unknown> implements AsyncDisposable {
  readonly #driver: Driver<P, R>;
  readonly #credentials: Readonly<Record<string, Partial<P>>>;
  readonly #options: ConnectionPoolOptions;
  readonly #pools = new Map<string, ConnectionPool<P, R>>();

  /**
   * Creates the connector; pools are made on first use.
   *
   * @param driver The adapter (`postgres`, `mysql`).
   * @param credentials Per host, the parameters merged under `host` and `database` (`user`, `password`, `port`…); `"default"` for the others.
   * @param options The options of every pool made.
   * @throws {TypeError} When `driver` is not a driver or `credentials` not an object.
   * @throws {RangeError} As {@linkcode ConnectionPool}'s options.
   */
  constructor(
    driver: Driver<P, R>,
    credentials: Readonly<Record<string, Partial<P>>>,
    options: ConnectionPoolOptions = {},
  ) {
    if (driver === null || typeof driver !== "object" || typeof driver.connect !== "function") {
      throw new TypeError(`DatabaseConnector: driver must be a database driver, got ${String(driver)}`);
    }
    if (credentials === null || typeof credentials !== "object") {
      throw new TypeError(`DatabaseConnector: credentials must be an object, got ${String(credentials)}`);
    }
    checkPoolOptions("DatabaseConnector", options);
    this.#driver = driver;
    this.#credentials = credentials;
    this.#options = { ...options };
  }

  /**
   * The pool for `host` and `database`, made on first use with the host's
   * credentials (or the `"default"` ones).
   *
   * @throws {TypeError} When `host` or `database` is not a string.
   */
  get(host: string, database: string): ConnectionPool<P, R> {
    if (typeof host !== "string") {
      throw new TypeError(`DatabaseConnector.get: host must be a string, got ${typeof host}`);
    }
    if (typeof database !== "string") {
      throw new TypeError(`DatabaseConnector.get: database must be a string, got ${typeof database}`);
    }
    const key = JSON.stringify([host, database]);
    let pool = this.#pools.get(key);
    if (pool === undefined) {
      const credentials = Object.hasOwn(this.#credentials, host)
        ? this.#credentials[host]
        : this.#credentials["default"];
      const params = { ...credentials, host, database } as P;
      pool = new ConnectionPool(this.#driver, params, this.#options);
      this.#pools.set(key, pool);
    }
    return pool;
  }

  /** Closes every pool made; resolves when they are closed. */
  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }

  /** `close()`, for `await using connector = new DatabaseConnector(...)`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
