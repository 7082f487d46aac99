/**
 * A throwaway MariaDB for the db tests: `mariadb-install-db` + `mariadbd` in a
 * temp dir, on a free loopback port, with a password user `evy` (created by an
 * init file) so that wrong credentials are really refused; or the server named
 * by `EVY_MYSQL_URL`. Start it once per test file (module level); it stops and
 * its dir goes when the process exits, whatever the tests did. Internal to
 * tests/db.
 *
 * @module
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import process from "node:process";
import { asUser, atExit, findBinary, freePort, run, tempDir, unavailable } from "./_throwaway.ts";
import { execFileSync } from "node:child_process";

/** Connection parameters for `mysql` (mysql2's `ConnectionOptions` shape). */
export interface MysqlParams {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** A running MariaDB. */
export interface MysqlServer {
  /** Parameters of a user with every privilege on it. */
  readonly params: MysqlParams;
  /** Restarts the server (its sessions are cut), same port. Throws for an `EVY_MYSQL_URL` server. */
  restart(): Promise<void>;
}

function fromUrl(url: string): MysqlParams {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.slice(1) || "mysql",
  };
}

function pidOf(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once something accepts TCP connections on the port. */
async function untilListening(port: number, deadline: number, log: string): Promise<void> {
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    await pause(100);
  }
  throw new Error(`mariadbd did not listen on ${port}:\n${existsSync(log) ? readFileSync(log, "utf8") : ""}`);
}

/** Starts a throwaway MariaDB (or uses `EVY_MYSQL_URL`); undefined when that is impossible outside CI. */
export async function startMysql(): Promise<MysqlServer | undefined> {
  const url = process.env.EVY_MYSQL_URL;
  if (url) {
    return {
      params: fromUrl(url),
      restart: () => Promise.reject(new Error("cannot restart the EVY_MYSQL_URL server")),
    };
  }
  const mariadbd = findBinary("/usr/sbin/mariadbd", "/usr/bin/mariadbd");
  const installDb = findBinary("/usr/bin/mariadb-install-db", "/usr/bin/mysql_install_db");
  if (mariadbd === undefined || installDb === undefined) {
    return unavailable("MariaDB", "no mariadbd or mariadb-install-db");
  }
  try {
    const dir = tempDir("evy-mysql-");
    const data = join(dir, "data");
    const pidFile = join(dir, "mariadbd.pid");
    const log = join(dir, "log");
    const params: MysqlParams = {
      host: "127.0.0.1",
      port: await freePort(),
      user: "evy",
      password: "evy-secret",
      database: "evy",
    };
    await run(installDb, [
      "--no-defaults",
      `--datadir=${data}`,
      "--skip-test-db",
      "--auth-root-authentication-method=socket",
    ], dir);
    writeFileSync(
      join(dir, "init.sql"),
      `CREATE USER IF NOT EXISTS 'evy'@'%' IDENTIFIED BY '${params.password}';\n` +
        "GRANT ALL PRIVILEGES ON *.* TO 'evy'@'%';\nCREATE DATABASE IF NOT EXISTS evy;\n",
      { mode: 0o644 },
    );
    const args = [
      "--no-defaults",
      `--datadir=${data}`,
      `--port=${params.port}`,
      "--bind-address=127.0.0.1",
      "--skip-name-resolve",
      `--socket=${join(dir, "sock")}`,
      `--pid-file=${pidFile}`,
      `--init-file=${join(dir, "init.sql")}`,
      "--innodb-buffer-pool-size=16M",
      "--skip-log-bin",
      "--max-connections=200",
    ];
    const start = async () => {
      // Through a shell so that mariadbd is left running in the background with no pipe to us.
      const [file, argv] = asUser(mariadbd, args);
      const quoted = [file, ...argv].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
      execFileSync("sh", ["-c", `${quoted} >>'${log}' 2>&1 &`], { cwd: dir, stdio: "ignore" });
      await untilListening(params.port, Date.now() + 60_000, log);
    };
    const stop = async (sync: boolean) => {
      const pid = pidOf(pidFile);
      if (pid === undefined) return;
      try {
        process.kill(pid, sync ? "SIGKILL" : "SIGTERM");
      } catch {
        return;
      }
      if (sync) return;
      for (let i = 0; i < 600 && alive(pid); i++) await pause(100);
    };
    await start();
    atExit(() => void stop(true));
    return {
      params,
      async restart() {
        await stop(false);
        await start();
      },
    };
  } catch (error) {
    return unavailable("MariaDB", error);
  }
}
