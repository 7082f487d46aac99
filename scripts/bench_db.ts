/**
 * The db benchmark of issue 11, on throwaway PostgreSQL and MariaDB servers
 * (the tests' helpers; or `EVY_PG_URL` / `EVY_MYSQL_URL`):
 *
 * 1. Throughput and latency: `--queries` (10,000) `SELECT 1` from 50 green
 *    threads through evy's `ConnectionPool` (maxSize 10), against the
 *    driver's own pool (`pg.Pool` max 10; mysql2's `createPool`
 *    connectionLimit 10) driven by 50 concurrent async loops. Queries per
 *    second, the ratio evy/driver, and p50/p99 latency of one
 *    get-query-put (evy) or `pool.query` (driver). Rounds alternate the two
 *    to share the machine's noise; the best round of each counts.
 * 2. Cancel latency (the figure no driver pool has): a query `SLEEP(30)`
 *    under a Timeout; the time from the Timeout firing (its signal's abort)
 *    to the query being gone from `pg_stat_activity` / `SHOW PROCESSLIST`,
 *    polled from a side connection as fast as round trips allow.
 *
 *     deno run -A scripts/bench_db.ts [--queries 10000] [--rounds 3] [--cancels 20]
 *
 * Prints a Markdown table. A benchmark, never a test.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { spawn, Timeout } from "@evy/evy";
import { Connection, ConnectionPool, type Driver } from "@evy/evy/db";
import { postgres } from "@evy/evy/db/postgres";
import { mysql } from "@evy/evy/db/mysql";
import pg from "pg";
import mysql2 from "mysql2/promise";
import { startPostgres } from "../tests/db/_pg_server.ts";
import { startMysql } from "../tests/db/_mysql_server.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    queries: { type: "string", default: "10000" },
    rounds: { type: "string", default: "3" },
    cancels: { type: "string", default: "20" },
  },
});
const QUERIES = Number(values.queries);
const ROUNDS = Number(values.rounds);
const CANCELS = Number(values.cancels);
const LOOPS = 50;
const SIZE = 10;

interface Run {
  qps: number;
  p50: number;
  p99: number;
}

function summarize(latencies: number[], ms: number): Run {
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { qps: (latencies.length / ms) * 1000, p50: at(0.5), p99: at(0.99) };
}

/** Runs `one()` QUERIES times from LOOPS concurrent loops (`start` makes each loop). */
async function drive(loop: (body: () => Promise<void>) => Promise<void>, one: () => Promise<void>): Promise<Run> {
  let left = QUERIES;
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(Array.from({ length: LOOPS }, () =>
    loop(async () => {
      while (left-- > 0) {
        const s = performance.now();
        await one();
        latencies.push(performance.now() - s);
      }
    })));
  return summarize(latencies, performance.now() - t0);
}

const green = (body: () => Promise<void>) => spawn(body).wait();
const plain = (body: () => Promise<void>) => body();

async function evyRun<P, R>(driver: Driver<P, R>, params: P): Promise<Run> {
  await using pool = new ConnectionPool(driver, params, { maxSize: SIZE });
  const one = async () => {
    await using conn = await pool.item();
    await conn.query("SELECT 1");
  };
  await drive(green, one); // warm: open the connections
  return await drive(green, one);
}

async function pgRun(params: pg.PoolConfig): Promise<Run> {
  const pool = new pg.Pool({ ...params, max: SIZE });
  const one = async () => void await pool.query("SELECT 1");
  try {
    await drive(plain, one);
    return await drive(plain, one);
  } finally {
    await pool.end();
  }
}

async function mysqlRun(params: mysql2.PoolOptions): Promise<Run> {
  const pool = mysql2.createPool({ ...params, connectionLimit: SIZE });
  const one = async () => void await pool.query("SELECT 1");
  try {
    await drive(plain, one);
    return await drive(plain, one);
  } finally {
    await pool.end();
  }
}

async function best(run: () => Promise<Run>, runs: Run[]): Promise<void> {
  runs.push(await run());
}

function pick(runs: Run[]): Run {
  return runs.reduce((a, b) => (b.qps > a.qps ? b : a));
}

/** Times from a Timeout's firing to the server no longer listing the query. */
async function cancelLatency<P, R>(
  driver: Driver<P, R>,
  params: P,
  slowSql: (tag: string) => string,
  listed: (look: Connection<R>, tag: string) => Promise<boolean>,
): Promise<number[]> {
  const raw = await driver.connect(params, new AbortController().signal);
  const look = new Connection(driver as Driver<unknown, R>, raw, { params });
  await using pool = new ConnectionPool(driver, params, { maxSize: 1 });
  const out: number[] = [];
  try {
    for (let i = 0; i < CANCELS; i++) {
      const tag = `evy_bench_${i}_${Date.now()}`;
      const conn = await pool.get();
      let fired = 0;
      const query = spawn(async () => {
        const t = new Timeout(100);
        t.signal.addEventListener("abort", () => fired = performance.now());
        try {
          await conn.query(slowSql(tag));
        } catch (e) {
          if (e !== t) throw e;
        }
      });
      while (!(await listed(look, tag))); // running
      await query.wait();
      while (await listed(look, tag));
      out.push(performance.now() - fired);
      pool.put(conn);
    }
  } finally {
    await look.close();
  }
  return out.sort((a, b) => a - b);
}

const f = (n: number, d = 2) => n.toFixed(d);
const rows: string[] = [];
const pgServer = await startPostgres();
const myServer = await startMysql();

/** Alternating rounds of evy's pool and the driver's own on one server; one table row from the best of each. */
async function compareRow(name: string, evySide: () => Promise<Run>, ownSide: () => Promise<Run>): Promise<void> {
  const evy: Run[] = [], own: Run[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    await best(evySide, evy);
    await best(ownSide, own);
  }
  const e = pick(evy), o = pick(own);
  rows.push(
    `| ${name} | ${f(e.qps, 0)} | ${f(o.qps, 0)} | ${f(e.qps / o.qps)}x | ${f(e.p50)} / ${f(e.p99)} | ${f(o.p50)} / ${
      f(o.p99)
    } |`,
  );
}

if (pgServer !== undefined) {
  await compareRow("postgres", () => evyRun(postgres, pgServer.params), () => pgRun(pgServer.params));
}
if (myServer !== undefined) {
  await compareRow("mysql", () => evyRun(mysql, myServer.params), () => mysqlRun(myServer.params));
}
console.log(`\n${QUERIES} x SELECT 1, ${LOOPS} concurrent loops, pool size ${SIZE}, best of ${ROUNDS} rounds\n`);
console.log("| server | evy q/s | driver pool q/s | ratio | evy p50 / p99 ms | driver p50 / p99 ms |");
console.log("| --- | --- | --- | --- | --- | --- |");
console.log(rows.join("\n"));

const cancelRows: string[] = [];
if (pgServer !== undefined) {
  const ms = await cancelLatency(
    postgres,
    pgServer.params,
    (tag) => `SELECT pg_sleep(30) AS ${tag}`,
    async (look, tag) =>
      (await look.query(
        "SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()",
        [
          `%${tag}%`,
        ],
      )).rowCount > 0,
  );
  cancelRows.push(`| postgres | ${f(ms[Math.floor(ms.length / 2)]!)} | ${f(ms[ms.length - 1]!)} |`);
}
if (myServer !== undefined) {
  const ms = await cancelLatency(
    mysql,
    myServer.params,
    (tag) => `SELECT SLEEP(30) AS ${tag}`,
    async (look, tag) =>
      (await look.query<{ Info: string | null; Command: string }>("SHOW FULL PROCESSLIST")).rows
        .some((r) => r.Command === "Query" && r.Info?.includes(tag) && !r.Info.includes("PROCESSLIST")),
  );
  cancelRows.push(`| mysql | ${f(ms[Math.floor(ms.length / 2)]!)} | ${f(ms[ms.length - 1]!)} |`);
}
console.log(`\nTimeout fired → query gone on the server (${CANCELS} cancels)\n`);
console.log("| server | median ms | max ms |");
console.log("| --- | --- | --- |");
console.log(cancelRows.join("\n"));
