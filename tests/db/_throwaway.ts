/**
 * What the throwaway database servers share: a temp dir owned by the user the
 * server runs as (database servers refuse to run as root, so as root they run
 * as `nobody`), a free loopback port, commands run as that user, and the
 * clean-up that runs even when a test fails (a sync `exit` hook on both
 * runtimes). Runtime-neutral: `node:` APIs only, so the tests also run under
 * Node. Internal to tests/db.
 *
 * @module
 */
import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";

/** Whether a helper that cannot start its server must fail (CI) rather than skip. */
export const IN_CI: boolean = process.env.CI === "true";

/** The user the servers run as: `nobody` when we are root, else ourselves. */
const RUN_AS: { uid: number; gid: number; name: string } | undefined = process.getuid?.() === 0
  ? {
    uid: Number(execFileSync("id", ["-u", "nobody"], { encoding: "utf8" }).trim()),
    gid: Number(execFileSync("id", ["-g", "nobody"], { encoding: "utf8" }).trim()),
    name: "nobody",
  }
  : undefined;

/** A temp dir the server's user owns, removed at process exit at the latest. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (RUN_AS !== undefined) chownSync(dir, RUN_AS.uid, RUN_AS.gid);
  atExit(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The argv that runs `cmd` as the server's user. */
export function asUser(cmd: string, args: string[]): [string, string[]] {
  return RUN_AS === undefined ? [cmd, args] : ["runuser", ["-u", RUN_AS.name, "--", cmd, ...args]];
}

/** Runs `cmd` as the server's user; rejects with its output on failure. */
export function run(cmd: string, args: string[], cwd: string): Promise<string> {
  const [file, argv] = asUser(cmd, args);
  return new Promise((resolve, reject) => {
    execFile(file, argv, { cwd, encoding: "utf8", timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${cmd} ${args.join(" ")} failed: ${error.message}\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Runs `cmd` as the server's user, synchronously, ignoring failure (for exit hooks). */
export function runSyncQuietly(cmd: string, args: string[], cwd: string): void {
  const [file, argv] = asUser(cmd, args);
  try {
    execFileSync(file, argv, { cwd, stdio: "ignore", timeout: 30_000 });
  } catch {
    // Best effort: the server may already be gone.
  }
}

/** A loopback port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const hooks: (() => void)[] = [];
function runHooks(): void {
  for (const hook of hooks.reverse()) {
    try {
      hook();
    } catch {
      // Keep going: every server must stop and every dir go.
    }
  }
  hooks.length = 0;
}

/**
 * Runs `fn` (synchronously) when the process exits, last registered first:
 * on Node at `process`'s `exit`, on Deno at `unload` (which `deno test`
 * dispatches after the file's tests, failed or not, and `process`'s `exit`
 * it does not).
 */
export function atExit(fn: () => void): void {
  if (hooks.length === 0) {
    process.on("exit", runHooks);
    if ("Deno" in globalThis) globalThis.addEventListener("unload", runHooks);
  }
  hooks.push(fn);
}

/** The first of `paths` that exists, or undefined. */
export function findBinary(...paths: string[]): string | undefined {
  return paths.find((p) => existsSync(p));
}

/**
 * Says why a server could not start: throws in CI (the test file fails
 * loudly), else warns and returns undefined so the file's tests are ignored.
 */
export function unavailable(what: string, reason: unknown): undefined {
  const message = `${what} unavailable: ${reason instanceof Error ? reason.message : String(reason)}`;
  if (IN_CI) throw new Error(`${message} (CI=true: a database test must not be skipped)`);
  console.warn(`${message}; its tests are ignored`);
  return undefined;
}
