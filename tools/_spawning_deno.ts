/**
 * The spawning backend on Deno: each worker is a `deno run` child of the
 * controller running `tools/cli.ts` in worker mode; their `Deno.serve`
 * listeners share the port with `reusePort` (which needs `--unstable-net` on
 * Deno 2.9.6, so the children get it). `--threads` servers are Web Workers of
 * the worker process, sharing the port the same way. Internal.
 *
 * @module
 */
import { READY_MARKER, type SpawningBackend, WORKER_ARG, type WorkerConfig } from "./_spawning_backend.ts";

const CLI = new URL("./cli.ts", import.meta.url).href;
const encoder = new TextEncoder();

async function pumpLines(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  let rest = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    const parts = (rest + chunk).split("\n");
    rest = parts.pop()!;
    for (const part of parts) onLine(part);
  }
  if (rest !== "") onLine(rest);
}

function isWorkerScope(): boolean {
  const name = (globalThis as { name?: unknown }).name;
  return typeof name === "string" && name.startsWith(WORKER_ARG);
}

/** The spawning backend on `Deno.Command`, `Deno.serve({ reusePort })` and Web Workers. */
export const denoSpawning: SpawningBackend = {
  threadsShareAPort: true,
  reusePort: true,

  startWorker(config, events) {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--unstable-net", CLI, WORKER_ARG, JSON.stringify(config)],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const out = pumpLines(child.stdout, (line) => {
      if (line === READY_MARKER) events.ready();
      else events.line("stdout", line);
    }).catch(() => {});
    const err = pumpLines(child.stderr, (line) => events.line("stderr", line)).catch(() => {});
    const send = (signal: Deno.Signal): void => {
      try {
        child.kill(signal);
      } catch { /* already gone */ }
    };
    return {
      pid: child.pid,
      exited: Promise.all([child.status, out, err]).then(([s]) => ({
        code: s.signal ? null : s.code,
        signal: s.signal,
      })),
      stop: () => send("SIGTERM"),
      kill: () => send("SIGKILL"),
    };
  },

  cores: () => navigator.hardwareConcurrency || 1,

  freePort(hostname) {
    const listener = Deno.listen({ hostname, port: 0 });
    const port = listener.addr.port;
    listener.close();
    return Promise.resolve(port);
  },

  migrateRequests() {
    const path = "/proc/sys/net/ipv4/tcp_migrate_req";
    try {
      if (Deno.readTextFileSync(path).trim() === "1") return "tcp_migrate_req is on: reloads drop no queued connection";
      Deno.writeTextFileSync(path, "1");
      return "turned tcp_migrate_req on: reloads drop no queued connection";
    } catch {
      return `could not turn ${path} on (needs root on Linux): a reload may reset connections still queued on the old workers' listeners`;
    }
  },

  write(stream, text) {
    const bytes = encoder.encode(text + "\n");
    const file = stream === "stdout" ? Deno.stdout : Deno.stderr;
    for (let off = 0; off < bytes.length;) off += file.writeSync(bytes.subarray(off));
  },

  workerConfig() {
    if (isWorkerScope()) return JSON.parse((globalThis as unknown as { name: string }).name.slice(WORKER_ARG.length));
    return Deno.args[0] === WORKER_ARG && Deno.args[1] !== undefined ? JSON.parse(Deno.args[1]) : undefined;
  },

  announceReady() {
    if (isWorkerScope()) (globalThis as unknown as { postMessage(m: unknown): void }).postMessage("ready");
    else this.write("stdout", READY_MARKER);
  },

  startThreads(config: WorkerConfig, count: number) {
    const workers = Array.from({ length: count }, () => {
      const worker = new Worker(CLI, { type: "module", name: WORKER_ARG + JSON.stringify(config) });
      const ready = new Promise<void>((resolve, reject) => {
        worker.onmessage = (e) => e.data === "ready" ? resolve() : e.data === "stopped" && worker.terminate();
        worker.onerror = (e) => reject(new Error(`evy serve: a server thread failed: ${e.message}`));
      });
      return { worker, ready };
    });
    const allReady = Promise.all(workers.map((w) => w.ready));
    return {
      ready: allReady,
      stop: async () => {
        await Promise.all(workers.map(({ worker }) =>
          new Promise<void>((resolve) => {
            worker.onmessage = (e) => {
              if (e.data === "stopped") {
                worker.terminate();
                resolve();
              }
            };
            worker.postMessage("stop");
          })
        ));
      },
    };
  },

  onStopRequest(handler) {
    if (!isWorkerScope()) {
      const fn = (): void => handler("SIGTERM");
      Deno.addSignalListener("SIGTERM", fn);
      Deno.addSignalListener("SIGINT", fn);
      return () => {
        Deno.removeSignalListener("SIGTERM", fn);
        Deno.removeSignalListener("SIGINT", fn);
      };
    }
    const scope = globalThis as unknown as { onmessage: ((e: MessageEvent) => void) | null };
    scope.onmessage = (e) => e.data === "stop" && handler("stop");
    return () => void (scope.onmessage = null);
  },

  stopped() {
    if (isWorkerScope()) (globalThis as unknown as { postMessage(m: unknown): void }).postMessage("stopped");
  },

  args: () => [...Deno.args],
  isMain: (url) => !isWorkerScope() && url === Deno.mainModule,
  inThread: isWorkerScope,

  exit(code) {
    if (isWorkerScope()) {
      (globalThis as unknown as { close(): void }).close();
      return undefined as never;
    }
    Deno.exit(code);
  },
};
