#!/usr/bin/env node
/**
 * The `evy` command. `evy serve app.ts` serves the app's default export (a
 * Fetch handler or `{ fetch }`, what `deno serve` takes) from several worker
 * processes sharing one port, each request in a green thread, with graceful
 * reload on SIGHUP and graceful stop on SIGTERM/SIGINT (see
 * {@linkcode Spawning}).
 *
 * On Deno: `deno run -A --unstable-net jsr:@evy/evy/cli serve app.ts` (in
 * this repository `deno task serve app.ts`); from npm: `npx evy serve app.js`.
 *
 * ```
 * evy serve app.ts --port 8080 --processes 4
 * ```
 *
 * @example Print the help
 * ```ts
 * import { main } from "@evy/evy/cli";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * assert.equal(await main(["--help"], (line) => lines.push(line)), 0);
 * assert.match(lines.join("\n"), /evy serve APP/);
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { spawningBackend } from "./_spawning_backends.ts";
import { runWorker } from "./_spawning_worker.ts";
import { Spawning } from "./spawning.ts";

const HELP = `Usage: evy serve APP [options]

Serves APP's default export (a Fetch handler, or an object with a fetch
method, as \`deno serve\` takes) from worker processes that share one port.
Each request runs in its own green thread.

Options:
  --port N          TCP port; 0 picks a free one          (default 8000)
  --host H          interface to bind                     (default 0.0.0.0)
  --processes N     worker processes                      (default: one per CPU core)
  --threads M       servers per process, in Workers sharing the port
                    (Deno only; Node's worker_threads cannot share a port)  (default 1)
  --max-size N      requests each server handles at once  (default 1024)
  --access-log      log every request on stderr
  --drain-ms N      how long stopping workers may finish requests  (default 10000)
  --trust-proxy     take the client address from X-Forwarded-For (behind nginx)
  --websockets      take websocket upgrades (without it they get 501; on Deno
                    a reload may then cut a request that raced it)
  -h, --help        this help

Signals: SIGHUP reloads gracefully (new workers, with the app's code read
again, accept before the old ones drain); SIGTERM and SIGINT stop gracefully.`;

function count(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`evy serve: --${name} must be a whole number, got "${value}"`);
  }
  return n;
}

/**
 * Runs the `evy` command with `args` (without the runtime and script);
 * resolves with the exit code once it is done (for `serve`: once stopped).
 *
 * @param args The command line, e.g. `["serve", "app.ts", "--port", "8080"]`.
 * @param print Where messages go. @default {stderr}
 * @returns The exit code.
 *
 * @example Bad arguments give exit code 2 and say why
 * ```ts
 * import { main } from "@evy/evy/cli";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * assert.equal(await main(["serve", "app.ts", "--processes", "two"], (l) => lines.push(l)), 2);
 * assert.match(lines[0]!, /--processes must be a whole number/);
 * ```
 */
export async function main(args: readonly string[], print?: (line: string) => void): Promise<number> {
  const backend = spawningBackend();
  const say = print ?? ((line: string) => backend.write("stderr", line));
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        processes: { type: "string" },
        threads: { type: "string" },
        "max-size": { type: "string" },
        "access-log": { type: "boolean" },
        "drain-ms": { type: "string" },
        "trust-proxy": { type: "boolean" },
        websockets: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    say(`evy: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    say(HELP);
    return 0;
  }
  const [command, app, ...rest] = positionals;
  if (command !== "serve" || app === undefined || rest.length > 0) {
    say(`evy: expected "serve APP", got "${positionals.join(" ")}"\n\n${HELP}`);
    return 2;
  }
  let controller: Spawning;
  try {
    const port = count("port", values.port);
    const processes = count("processes", values.processes);
    const threads = count("threads", values.threads);
    const maxSize = count("max-size", values["max-size"]);
    const drainMs = count("drain-ms", values["drain-ms"]);
    controller = new Spawning({
      app,
      accessLog: values["access-log"] ?? false,
      trustProxy: values["trust-proxy"] ?? false,
      websockets: values.websockets ?? false,
      ...(port === undefined ? {} : { port }),
      ...(values.host === undefined ? {} : { hostname: values.host }),
      ...(processes === undefined ? {} : { processes }),
      ...(threads === undefined ? {} : { threads }),
      ...(maxSize === undefined ? {} : { maxSize }),
      ...(drainMs === undefined ? {} : { drainMs }),
      log: (message) => say(`evy serve: ${message}`),
    });
  } catch (error) {
    say((error as Error).message);
    return 2;
  }
  const dispose = controller.handleSignals();
  try {
    await controller.ready;
  } catch (error) {
    dispose();
    say((error as Error).message);
    return 1;
  }
  await controller.finished;
  dispose();
  return 0;
}

const backend = spawningBackend();
const config = backend.workerConfig();
if (config !== undefined) {
  runWorker(backend, config, backend.inThread()).catch((error) => {
    backend.write("stderr", `evy serve: worker failed: ${(error as Error)?.stack ?? error}`);
    backend.exit(1);
  });
} else if (backend.isMain(import.meta.url)) {
  main(backend.args()).then((code) => backend.exit(code));
}
