/**
 * The worker side of the sqlite adapter: one `node:sqlite` `DatabaseSync`
 * per worker, which is why each sqlite connection owns a one-worker
 * `ThreadPool` (a connection's state cannot move between workers). Every
 * export runs in that worker, called through the pool's
 * `execute(moduleUrl, exportName, ...args)`. Internal to db/.
 *
 * @module
 */
import process from "node:process";

/** What this module uses of `node:sqlite` (Node 20's @types/node has no types for it). */
interface Statement {
  columns(): unknown[];
  all(...values: never[]): Record<string, unknown>[];
  run(...values: never[]): { changes: number | bigint };
  get(...values: never[]): unknown;
}
interface DatabaseSync {
  exec(sql: string): void;
  prepare(sql: string): Statement;
  close(): void;
}
type SqliteModule = { DatabaseSync: new (path: string, options: { readOnly: boolean }) => DatabaseSync };

let db: DatabaseSync | undefined;

function database(): DatabaseSync {
  if (db === undefined) throw new Error("sqlite: the connection is not open");
  return db;
}

/** Opens the database file at `path` in this worker. */
export function open(path: string, readOnly: boolean, busyTimeoutMs: number): void {
  const { DatabaseSync } = (process as unknown as { getBuiltinModule(id: string): SqliteModule }).getBuiltinModule(
    "node:sqlite",
  );
  db = new DatabaseSync(path, { readOnly });
  db.exec(`PRAGMA busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
}

/** Runs one statement; rows for statements that return columns, the changed-row count otherwise. */
export function query(sql: string, values: unknown[]): { rows: Record<string, unknown>[]; rowCount: number } {
  const stmt = database().prepare(sql);
  const args = values as never[];
  if (stmt.columns().length > 0) {
    const rows = stmt.all(...args).map((row) => ({ ...row }));
    return { rows, rowCount: rows.length };
  }
  const { changes } = stmt.run(...args);
  return { rows: [], rowCount: Number(changes) };
}

/** A trivial statement (the pool's ping). */
export function ping(): void {
  database().prepare("SELECT 1").get();
}

/** Closes the database. */
export function close(): void {
  db?.close();
  db = undefined;
}
