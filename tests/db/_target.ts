/**
 * What the db conformance suites need of one database: its driver and
 * parameters, and the server-side views a test checks (which sessions exist,
 * which run a statement), in that server's SQL. One target per adapter:
 * postgres_test.ts and mysql_test.ts. Internal to tests/db.
 *
 * @module
 */
import { sleep } from "@evy/evy";
import { Connection, type Driver } from "@evy/evy/db";

/** One database server and how to look at it. */
export interface DbTarget<P, R> {
  name: string;
  driver: Driver<P, R>;
  /** Parameters of a user with every privilege; undefined when the server could not start (tests ignored). */
  params: P | undefined;
  /** The same with a wrong password. */
  badPassword(params: P): P;
  /** Parameters pointing at a loopback port where something else listens. */
  atPort(params: P, port: number): P;
  /** A statement returning one row `{ id }`: this session's id. */
  sessionIdSql: string;
  /** A statement that runs for a long time (30 s), carrying `marker` in its text. */
  slowSql(marker: string): string;
  /** A statement returning `{ n }` = `$1`/`?` + 1, in the driver's placeholders. */
  plusOneSql: string;
  /** A statement that ends session `id` from another session. */
  terminateSql(id: number): string;
  /** Ids of the sessions whose current statement contains `marker` (the caller's own excluded). */
  running(admin: Connection<R>, marker: string): Promise<number[]>;
  /** Ids of every client session. */
  sessions(admin: Connection<R>): Promise<number[]>;
  /** Restarts the server. */
  restart(): Promise<void>;
}

/** Opens a connection outside any pool, to look at the server. */
export async function admin<P, R>(target: DbTarget<P, R>): Promise<Connection<R>> {
  const raw = await target.driver.connect(target.params!, new AbortController().signal);
  return new Connection(target.driver as Driver<unknown, R>, raw, { params: target.params });
}

/** This session's id on the server. */
export async function sessionId<R>(target: DbTarget<unknown, R>, conn: Connection<R>): Promise<number> {
  const { rows } = await conn.query<{ id: number | string }>(target.sessionIdSql);
  return Number(rows[0]!.id);
}

/**
 * Polls `check` until it is true (green sleeps between tries). The bound is
 * a safety net for a broken build, not a timing assertion: it is far above
 * what any run needs.
 */
export async function until(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 1_000; i++) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** A marker unique to one test, to find its statements server-side. */
export function marker(): string {
  return `evy_${Math.random().toString(36).slice(2, 10)}`;
}
