/**
 * The db suites on a real MariaDB: a throwaway `mariadb-install-db` server
 * started once for this file (or `EVY_MYSQL_URL`), through `@evy/evy/db/mysql`.
 *
 * @module
 */
import type { Connection } from "@evy/evy/db";
import { mysql, type MysqlClient, type MysqlParams } from "@evy/evy/db/mysql";
import { startMysql } from "./_mysql_server.ts";
import { faultsSuite } from "./_faults_suite.ts";
import { poolSuite } from "./_pool_suite.ts";
import type { DbTarget } from "./_target.ts";

const server = await startMysql();

interface ProcessRow {
  Id: number;
  Command: string;
  Info: string | null;
}

/** `SHOW FULL PROCESSLIST`, without the caller's own session and the server's own threads. */
async function processes(admin: Connection<MysqlClient>): Promise<ProcessRow[]> {
  const self = Number((await admin.query<{ id: number }>("SELECT CONNECTION_ID() AS id")).rows[0]!.id);
  const { rows } = await admin.query<ProcessRow>("SHOW FULL PROCESSLIST");
  return rows.filter((r) => Number(r.Id) !== self && r.Command !== "Daemon" && r.Command !== "Killed");
}

const target: DbTarget<MysqlParams, MysqlClient> = {
  name: "mysql",
  driver: mysql,
  params: server?.params,
  badPassword: (params) => ({ ...params, password: "not-the-password" }),
  atPort: (params, port) => ({ ...params, port }),
  sessionIdSql: "SELECT CONNECTION_ID() AS id",
  slowSql: (tag) => `SELECT SLEEP(30) AS ${tag}`,
  plusOneSql: "SELECT ? + 1 AS n",
  terminateSql: (id) => `KILL ${id}`,
  running: async (admin, tag) =>
    (await processes(admin)).filter((r) => r.Command === "Query" && r.Info?.includes(tag)).map((r) => Number(r.Id)),
  sessions: async (admin) => (await processes(admin)).map((r) => Number(r.Id)),
  restart: () => server!.restart(),
};

poolSuite(target);
faultsSuite(target);
