/**
 * The db suites on a real PostgreSQL: a throwaway `initdb` server started
 * once for this file (or `EVY_PG_URL`), through `@evy/evy/db/postgres`.
 *
 * @module
 */
import type { Connection } from "@evy/evy/db";
import { postgres, type PostgresParams } from "@evy/evy/db/postgres";
import type pg from "pg";
import { startPostgres } from "./_pg_server.ts";
import { faultsSuite } from "./_faults_suite.ts";
import { poolSuite } from "./_pool_suite.ts";
import type { DbTarget } from "./_target.ts";

const server = await startPostgres();

async function ids(admin: Connection<pg.Client>, where: string, values: unknown[] = []): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() ${where}`,
    values,
  );
  return rows.map((r) => Number(r.pid));
}

const target: DbTarget<PostgresParams, pg.Client> = {
  name: "postgres",
  driver: postgres,
  params: server?.params,
  badPassword: (params) => ({ ...params, password: "not-the-password" }),
  atPort: (params, port) => ({ ...params, port }),
  sessionIdSql: "SELECT pg_backend_pid() AS id",
  slowSql: (tag) => `SELECT pg_sleep(30) AS ${tag}`,
  plusOneSql: "SELECT $1::int + 1 AS n",
  terminateSql: (id) => `SELECT pg_terminate_backend(${id})`,
  running: (admin, tag) => ids(admin, "AND state = 'active' AND query LIKE $1", [`%${tag}%`]),
  sessions: (admin) => ids(admin, ""),
  restart: () => server!.restart(),
};

poolSuite(target);
faultsSuite(target);
