/**
 * `ConnectionPool`: Eventlet's `db_pool.ConnectionPool` over any
 * {@linkcode Driver} — cooperative database calls, a limit on connections per
 * server, and connection reuse.
 *
 * Built on core's {@linkcode Pool} of *slots*: a slot is the right to hold
 * one connection (at most `maxSize` exist) and may hold an open one. `get()`
 * takes a slot (a green wait, first come first served, that kill and Timeout
 * interrupt), reuses its connection or opens one under `connectTimeoutMs`,
 * and hands out a fresh {@linkcode Connection} wrapper; `put(conn)` (or
 * `conn.close()`) takes the wrapper back — it becomes useless — and returns
 * the slot. The behaviours of Eventlet's db_pool, in milliseconds:
 *
 * - idle connections are closed after `maxIdleMs`, and every connection once
 *   it is `maxAgeMs` old, by the pool's own timer (0: closed when put back);
 *   a waiter handed a connection that expired meanwhile gets a fresh one;
 * - a connect slower than `connectTimeoutMs` throws {@linkcode ConnectTimeout}
 *   and a refused one {@linkcode ConnectError}, the pool's size unchanged;
 * - `put(null)` frees a slot (for a connection lost by the caller);
 * - a connection that arrives after its `get()` gave up is closed, never
 *   leaked;
 * - a connection whose query was interrupted, failed fatally, or was closed
 *   by the server (a restart, `pg_terminate_backend`) is discarded, and the
 *   next `get()` opens a new one.
 *
 * Differences from Eventlet: durations in ms; `get()` is a Promise; a
 * connection is put back by `await using` ({@linkcode ConnectionPool.item})
 * rather than a context manager; an interrupted query is cancelled on the
 * server too.
 *
 * @module
 */
import { spawn } from "../core/green_thread.ts";
import { Pool } from "../core/pool.ts";
import { getHub } from "../hubs/mod.ts";
import { Connection, type ConnectionRelease } from "./connection.ts";
import type { Driver } from "./driver.ts";
import { PoolClosedError } from "./errors.ts";
import { IdleSlots, Slot } from "./_idle_slots.ts";
import { openConnection } from "./_open.ts";
import { checkPoolOptions } from "./_options.ts";

/** Options for {@linkcode ConnectionPool}. */
export interface ConnectionPoolOptions {
  /** Connections opened up front, at construction. @default 0 */
  minSize?: number;
  /** The most connections open at once. @default 4 */
  maxSize?: number;
  /** An idle connection is closed after this long; 0 closes it when put back. @default 10000 */
  maxIdleMs?: number;
  /** A connection is closed once this old (when idle, or when put back); 0 closes it when put back. @default 30000 */
  maxAgeMs?: number;
  /** A connect that takes longer throws {@linkcode ConnectTimeout} (`Infinity`: no limit). @default 5000 */
  connectTimeoutMs?: number;
}

/**
 * A pool of database connections of one driver to one server.
 *
 * @typeParam P The driver's connection parameters.
 * @typeParam R The driver's client type (`conn.raw`).
 *
 * @example Sharing a few connections among many green threads
 * ```ts
 * import { spawn } from "@evy/evy";
 * import { ConnectionPool, type Driver } from "@evy/evy/db";
 * import assert from "node:assert/strict";
 *
 * // A tiny in-memory driver, to show the pool; real ones are `postgres` and `mysql`.
 * let opened = 0;
 * const memory: Driver<{ name: string }, { id: number }> = {
 *   name: "memory",
 *   connect: () => Promise.resolve({ id: ++opened }),
 *   query: (raw, sql) => Promise.resolve({ rows: [{ id: raw.id, sql }], rowCount: 1 }),
 *   cancel: () => Promise.resolve(),
 *   ping: () => Promise.resolve(),
 *   usable: () => true,
 *   close: () => Promise.resolve(),
 *   describe: (params) => `memory:${params.name}`,
 * };
 * await using pool = new ConnectionPool(memory, { name: "app" }, { maxSize: 2 });
 * const threads = [1, 2, 3, 4].map(() =>
 *   spawn(async () => {
 *     await using conn = await pool.item();
 *     return (await conn.query("SELECT 1")).rows[0]!.id;
 *   })
 * );
 * const ids = await Promise.all(threads.map((t) => t.wait()));
 * assert.equal(opened, 2); // four threads, two connections
 * assert.deepEqual(new Set(ids), new Set([1, 2]));
 * ```
 */
export class ConnectionPool<P = unknown, R = unknown> implements AsyncDisposable {
  readonly #driver: Driver<P, R>;
  readonly #params: P;
  readonly #slots: Pool<Slot<R>>;
  readonly #maxIdleMs: number;
  readonly #maxAgeMs: number;
  readonly #connectTimeoutMs: number;
  /** Connections handed out, by wrapper. */
  readonly #out = new Map<Connection<R>, Slot<R>>();
  /** Connections whose slot `put(null)` freed. */
  readonly #forgotten = new WeakSet<Connection<R>>();
  /** Slots holding an idle connection, and their reaper. */
  readonly #idle: IdleSlots<R>;
  /** Closes in flight, awaited by `close()`. */
  readonly #closing = new Set<Promise<void>>();
  #closed = false;

  /**
   * Creates the pool and starts opening `minSize` connections.
   *
   * @param driver The adapter (`postgres` from `@evy/evy/db/postgres`, `mysql` from `@evy/evy/db/mysql`).
   * @param params The driver's own connection parameters (`{ host, port, user, password, database }`).
   * @param options Sizes and durations.
   * @throws {TypeError} When `driver` is not a driver, or an option has the wrong type.
   * @throws {RangeError} When a size or duration is negative, or `minSize` exceeds `maxSize`.
   */
  constructor(driver: Driver<P, R>, params: P, options: ConnectionPoolOptions = {}) {
    if (driver === null || typeof driver !== "object" || typeof driver.connect !== "function") {
      throw new TypeError(`ConnectionPool: driver must be a database driver, got ${String(driver)}`);
    }
    const o = checkPoolOptions("ConnectionPool", options);
    this.#driver = driver;
    this.#params = params;
    this.#maxIdleMs = o.maxIdleMs;
    this.#maxAgeMs = o.maxAgeMs;
    this.#connectTimeoutMs = o.connectTimeoutMs;
    this.#idle = new IdleSlots<R>(o.maxIdleMs, o.maxAgeMs, (slot) => this.#closeRaw(slot));
    this.#slots = new Pool({ create: () => new Slot<R>(), maxSize: o.maxSize, orderAsStack: true });
    for (let i = 0; i < o.minSize; i++) this.#track(spawn(() => this.#prefill()).wait());
  }

  /** The most connections open at once. */
  get maxSize(): number {
    return this.#slots.maxSize;
  }

  /** How many `get()` calls would not wait now. */
  free(): number {
    return this.#slots.free();
  }

  /** How many callers are waiting in `get()`. */
  waiting(): number {
    return this.#slots.waiting();
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Takes a connection: an idle one, a new one while fewer than `maxSize`
   * exist, or — when all are in use — the next one put back (a green wait).
   * Put it back with `put(conn)` or `conn.close()`.
   *
   * @throws {ConnectTimeout} When opening a connection takes longer than `connectTimeoutMs`.
   * @throws {ConnectError} When the server refuses the connection or cannot be reached.
   * @throws {PoolClosedError} When the pool is closed.
   */
  async get(): Promise<Connection<R>> {
    if (this.#closed) throw new PoolClosedError("get a connection");
    const slot = await this.#slots.get();
    this.#idle.delete(slot);
    try {
      if (this.#closed) throw new PoolClosedError("get a connection");
      if (slot.raw !== undefined && (this.#idle.expired(slot, this.#now()) || !this.#driver.usable(slot.raw))) {
        this.#closeRaw(slot);
      }
      if (slot.raw === undefined) {
        slot.raw = await this.#connect();
        slot.createdAt = this.#now();
      }
    } catch (error) {
      this.#returnSlot(slot);
      throw error;
    }
    const conn: Connection<R> = new Connection(this.#driver as Driver<unknown, R>, slot.raw, {
      params: this.#params,
      onRelease: (release) => this.#release(conn, release),
    });
    this.#out.set(conn, slot);
    return conn;
  }

  /**
   * Takes a connection for an `await using` scope: the connection itself,
   * put back when the scope ends.
   *
   * @throws {ConnectTimeout} As {@linkcode ConnectionPool.get}.
   * @throws {ConnectError} As {@linkcode ConnectionPool.get}.
   * @throws {PoolClosedError} As {@linkcode ConnectionPool.get}.
   */
  item(): Promise<Connection<R>> {
    return this.get();
  }

  /**
   * Gives a connection back (the same as `conn.close()`): the wrapper
   * becomes useless and its connection is reused, or closed if it expired or
   * its query was interrupted. `put(null)` frees a slot when the caller lost
   * a connection: the oldest one handed out gives up its slot, and is closed
   * if it comes back after all.
   *
   * @throws {TypeError} When `conn` is neither null nor a connection of this pool.
   */
  put(conn: Connection<R> | null): void {
    if (conn === null) {
      // The caller lost a connection, and cannot say which: the oldest one out gives up its slot
      // (Eventlet decrements current_size). Should it come back after all, it is closed, not pooled.
      const oldest = this.#out.keys().next();
      if (oldest.done) return;
      this.#out.delete(oldest.value);
      this.#forgotten.add(oldest.value);
      this.#slots.put(new Slot<R>());
      return;
    }
    if (!(conn instanceof Connection)) {
      throw new TypeError(`ConnectionPool.put: conn must be a Connection, got ${String(conn)}`);
    }
    if (conn.closed) return;
    if (!this.#out.has(conn) && !this.#forgotten.has(conn)) {
      throw new TypeError("ConnectionPool.put: conn is not a connection of this pool");
    }
    void conn.close();
  }

  /**
   * Closes every idle connection and stops the reaper; connections handed
   * out are closed when they come back, and waiting and later `get()`s
   * reject with {@linkcode PoolClosedError}. Resolves when the closes are done.
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#idle.closeAll();
    // Wake the waiters: each finds the pool closed and rejects with PoolClosedError.
    for (let n = this.#slots.waiting(); n > 0; n--) this.#slots.put(new Slot<R>());
    while (this.#closing.size > 0) await Promise.all(this.#closing);
  }

  /** `close()`, for `await using pool = new ConnectionPool(...)`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #now(): number {
    return getHub().now();
  }

  /** Keeps `work` for `close()` to await; its failure is dropped (a close that fails has closed enough). */
  #track(work: Promise<void>): void {
    const done = work.catch(() => {});
    this.#closing.add(done);
    void done.then(() => this.#closing.delete(done));
  }

  #closeRaw(slot: Slot<R>): void {
    const raw = slot.raw;
    slot.raw = undefined;
    if (raw !== undefined) this.#track(this.#driver.close(raw).catch(() => {}));
  }

  #returnSlot(slot: Slot<R>): void {
    this.#slots.put(slot);
  }

  #release(conn: Connection<R>, release: ConnectionRelease<R>): void {
    const slot = this.#out.get(conn);
    if (slot === undefined) {
      // Forgotten by put(null): its slot was freed already.
      this.#track(release.closed ?? this.#driver.close(release.raw));
      return;
    }
    this.#out.delete(conn);
    const now = this.#now();
    if (!release.reusable || this.#closed || now - slot.createdAt >= this.#maxAgeMs || this.#maxIdleMs === 0) {
      slot.raw = undefined;
      if (release.closed !== undefined) {
        // The slot comes back once the cancel and close are done, so the server never sees more than maxSize.
        const closed = release.closed.then(() => this.#returnSlot(slot));
        this.#track(closed);
        return;
      }
      this.#track(this.#driver.close(release.raw).catch(() => {}));
      this.#returnSlot(slot);
      return;
    }
    slot.idleSince = now;
    if (this.#slots.waiting() === 0) this.#idle.add(slot, now);
    this.#returnSlot(slot);
  }

  #connect(): Promise<R> {
    return openConnection(this.#driver, this.#params, this.#connectTimeoutMs, (closing) => this.#track(closing));
  }

  async #prefill(): Promise<void> {
    const slot = await this.#slots.get();
    try {
      slot.raw = await this.#connect();
      slot.createdAt = this.#now();
      if (this.#closed) this.#closeRaw(slot);
      else this.#idle.add(slot, slot.createdAt);
    } catch (error) {
      getHub().reportError({ error, context: "ConnectionPool: opening a minSize connection", spawnStack: undefined });
    } finally {
      this.#returnSlot(slot);
    }
  }
}
