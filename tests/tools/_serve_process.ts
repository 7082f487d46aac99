/**
 * Runs `evy serve` as a real process for the spawning tests, on Deno
 * (`deno run tools/cli.ts`) or on Node (the built package's `tools/cli.js`),
 * and talks to it over loopback.
 */
import { type ChildProcess, spawn as spawnChild } from "node:child_process";
import { request } from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const onDeno = "Deno" in globalThis;
const cli = fileURLToPath(new URL(onDeno ? "../../tools/cli.ts" : "../../tools/cli.js", import.meta.url));

/** A plain-JS app module: answers with its pid; `/slow` takes `ms` (query) first. */
export const APP = `export default {
  async fetch(req) {
    const url = new URL(req.url);
    const ms = Number(url.searchParams.get("ms") ?? 0);
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
    return new Response(String(globalThis.process?.pid ?? Deno.pid));
  },
};
`;

/** evy's `web` entry point, for app modules written to a temp dir (no import map there). */
const WEB = new URL(onDeno ? "../../web/mod.ts" : "../../web/mod.js", import.meta.url).href;

/** An app module: a websocket echo at `/echo` (evy's `websocket()`), its pid elsewhere. */
export const WS_APP = `import { websocket } from ${JSON.stringify(WEB)};
const echo = websocket(async (ws) => {
  for await (const message of ws) ws.send(message);
});
export default (req, info) =>
  new URL(req.url).pathname === "/echo" ? echo(req, info) : new Response(String(globalThis.process?.pid ?? Deno.pid));
`;

/** A running `evy serve` controller process. */
export interface ServeProcess {
  child: ChildProcess;
  port: number;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves once a line matching `re` has been printed. */
  waitFor(re: RegExp): Promise<string>;
  exited: Promise<{ code: number | null; signal: string | null }>;
  /** Sends `sig` to the controller (by pid: Deno's node:child_process `kill()` does not reach its signal listeners). */
  signal(sig: "SIGTERM" | "SIGHUP" | "SIGINT" | "SIGKILL"): void;
  /** Kills what is left and removes the temp dir. */
  cleanup(): Promise<void>;
}

/** Starts `evy serve APP --port 0 ...args` and waits for it to listen. */
export async function startServe(args: string[], app = APP): Promise<ServeProcess> {
  const dir = mkdtempSync(join(tmpdir(), "evy-serve-"));
  const appPath = join(dir, "app.mjs");
  writeFileSync(appPath, app);
  const argv = onDeno ? ["run", "-A", "--unstable-net", cli] : [cli];
  const child = spawnChild(
    process.execPath,
    [...argv, "serve", appPath, "--port", "0", "--host", "127.0.0.1", ...args],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let text = "";
  const watchers: { re: RegExp; resolve: (line: string) => void }[] = [];
  const onData = (chunk: Buffer): void => {
    text += chunk.toString();
    for (const w of [...watchers]) {
      const m = text.match(w.re);
      if (m) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve(m[0]);
      }
    }
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal })); // after its output ended
  });
  const waitFor = (re: RegExp): Promise<string> => {
    const m = text.match(re);
    if (m) return Promise.resolve(m[0]);
    return new Promise((resolve, reject) => {
      watchers.push({ re, resolve });
      exited.then(() => reject(new Error(`evy serve exited before printing ${re}:\n${text}`)));
    });
  };
  const cleanup = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid!, "SIGKILL");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const line = await waitFor(/serving \S+ on http:\/\/127\.0\.0\.1:(\d+)\//);
    const port = Number(line.match(/:(\d+)\/$/)![1]);
    const signal = (sig: "SIGTERM" | "SIGHUP" | "SIGINT" | "SIGKILL"): void => void process.kill(child.pid!, sig);
    return { child, port, output: () => text, waitFor, exited, signal, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** GET `path` on `port` over a new connection; resolves with the body (the answering pid) or rejects. */
export function get(port: number, path = "/"): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("error", reject);
      res.on(
        "end",
        () => res.statusCode === 200 ? resolve(body) : reject(new Error(`status ${res.statusCode}: ${body}`)),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

/** Whether a process with `pid` still exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (polling) until `check()` holds; rejects after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
