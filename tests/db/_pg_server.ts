/**
 * A throwaway PostgreSQL for the db tests: `initdb` + `pg_ctl` in a temp dir,
 * on a free loopback port, with password (scram) authentication so that wrong
 * credentials are really refused; or the server named by `EVY_PG_URL`. Start
 * it once per test file (module level); it stops and its dir goes when the
 * process exits, whatever the tests did. Internal to tests/db.
 *
 * @module
 */
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { atExit, findBinary, freePort, run, runSyncQuietly, tempDir, unavailable } from "./_throwaway.ts";

/** Connection parameters for `postgres` (pg's `ClientConfig` shape). */
export interface PgParams {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** A running PostgreSQL. */
export interface PgServer {
  /** Parameters of a superuser on it. */
  readonly params: PgParams;
  /** Restarts the server (fast shutdown: sessions are cut), same port. Throws for an `EVY_PG_URL` server. */
  restart(): Promise<void>;
}

/** The newest installed PostgreSQL's bin dir (Debian: /usr/lib/postgresql/<major>/bin). */
function pgBin(): string {
  const root = "/usr/lib/postgresql";
  const majors = existsSync(root)
    ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))
    : [];
  return `${root}/${majors[0] ?? "15"}/bin`;
}
const BIN = pgBin();

function fromUrl(url: string): PgParams {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.slice(1) || "postgres",
  };
}

/** Starts a throwaway PostgreSQL (or uses `EVY_PG_URL`); undefined when that is impossible outside CI. */
export async function startPostgres(): Promise<PgServer | undefined> {
  const url = process.env.EVY_PG_URL;
  if (url) {
    return {
      params: fromUrl(url),
      restart: () => Promise.reject(new Error("cannot restart the EVY_PG_URL server")),
    };
  }
  const pgCtl = findBinary(`${BIN}/pg_ctl`);
  const initdb = findBinary(`${BIN}/initdb`);
  if (pgCtl === undefined || initdb === undefined) return unavailable("PostgreSQL", `no ${BIN}/initdb or pg_ctl`);
  try {
    const dir = tempDir("evy-pg-");
    const data = join(dir, "data");
    const params: PgParams = {
      host: "127.0.0.1",
      port: await freePort(),
      user: "evy",
      password: "evy-secret",
      database: "postgres",
    };
    writeFileSync(join(dir, "pwfile"), params.password, { mode: 0o644 });
    await run(initdb, [
      "-D",
      data,
      "-U",
      params.user,
      `--pwfile=${join(dir, "pwfile")}`,
      "--auth-host=scram-sha-256",
      "--auth-local=trust",
      "-E",
      "UTF8",
      "--no-sync",
    ], dir);
    const options = `-p ${params.port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
    const start = () => run(pgCtl, ["start", "-w", "-D", data, "-l", join(dir, "log"), "-o", options], dir);
    await start();
    atExit(() => runSyncQuietly(pgCtl, ["stop", "-D", data, "-m", "immediate"], dir));
    return {
      params,
      async restart() {
        await run(pgCtl, ["stop", "-w", "-D", data, "-m", "fast"], dir);
        await start();
      },
    };
  } catch (error) {
    return unavailable("PostgreSQL", error);
  }
}
