/**
 * The contract every database adapter implements, so that one
 * {@linkcode ConnectionPool} and one query layer serve them all: `postgres`
 * (`@evy/evy/db/postgres`), `mysql` (`@evy/evy/db/mysql`), and any adapter of
 * your own. An adapter works on its driver's own client (`R`, handed to users
 * as `conn.raw`); evy's `Connection` wraps that client, makes every call a
 * green wait, and decides what happens when a wait is interrupted.
 *
 * The methods return plain promises: the pool turns them into green waits.
 * An adapter whose calls block (sqlite on `node:sqlite`) runs them in the
 * tpool and returns the tpool's promises; the contract is the same.
 *
 * @module
 */

/**
 * What a query gives back, the same from every adapter.
 *
 * @typeParam Row The shape of a row.
 */
export interface QueryResult<Row = Record<string, unknown>> {
  /** The rows, as plain objects keyed by column name (empty for statements that return none). */
  rows: Row[];
  /** Rows returned, or rows affected by an `INSERT`/`UPDATE`/`DELETE`. */
  rowCount: number;
}

/**
 * A database adapter: how to open, query, cancel, check and close one
 * connection of one driver.
 *
 * @typeParam P The driver's own connection parameters (`{ host, port, user, password, database }`).
 * @typeParam R The driver's own client (`conn.raw`).
 */
export interface Driver<P, R> {
  /** A short name for messages and wait descriptions (`"postgres"`). */
  readonly name: string;
  /**
   * Opens a connection. When `signal` aborts (a connect timeout, a kill),
   * the attempt must stop and release its socket; the promise may then
   * reject with anything.
   */
  connect(params: P, signal: AbortSignal): Promise<R>;
  /** Runs one statement with the driver's own placeholders. */
  query(raw: R, sql: string, values: readonly unknown[] | undefined): Promise<QueryResult>;
  /**
   * Cancels, on the server, the statement running on `raw` (pg's cancel
   * request, MySQL's `KILL QUERY` from a side connection). Resolves once the
   * server has been told; never rejects for a connection already gone.
   */
  cancel(raw: R, params: P): Promise<void>;
  /** A round trip to the server. */
  ping(raw: R): Promise<void>;
  /** Whether `raw` can still be used (false once the server or the network closed it). */
  usable(raw: R): boolean;
  /** Closes `raw`; resolves when its socket is gone. Never rejects. */
  close(raw: R): Promise<void>;
  /** Describes `params` for messages, without secrets (`postgres://evy@127.0.0.1:5432/app`). */
  describe(params: P): string;
}
