/**
 * The seeds' Spawning: one controller, many worker processes serving one app
 * on one port, restarted when they die and replaced gracefully on reload.
 *
 * - **Port sharing**: on Deno each worker is a `deno run` child whose
 *   `Deno.serve` binds the port with `reusePort` (the kernel spreads
 *   connections); on Node the workers are `node:cluster` workers and the
 *   primary shares its listener with them.
 * - **Restarts with back-off**: a worker that dies unasked is started again at
 *   once the first time, then after 100 ms, 200 ms, … up to 10 s while it keeps
 *   dying within 2 s of its start, so a crash loop does not spin the CPU.
 * - **Graceful reload** ({@linkcode Spawning.reload}, SIGHUP for `evy serve`):
 *   a new generation of workers (which import the app's code afresh) starts,
 *   and only once every one of them accepts do the old ones stop accepting and
 *   drain their in-flight requests (`drainMs`), so no request fails. On Linux
 *   a closing `reusePort` listener resets the connections still queued on it
 *   unless `net.ipv4.tcp_migrate_req` is 1: the Deno controller turns it on
 *   where it may (root) and says so in its log where it may not. On Deno
 *   this holds with `websockets: false` (the default), where the workers run
 *   their own accept loop; with `websockets: true` they listen with
 *   `Deno.serve`, whose shutdown closes connections that have not yet sent
 *   their request (see serve's `websockets`).
 * - **Graceful stop** ({@linkcode Spawning.stop}, SIGTERM/SIGINT): every
 *   worker drains, then `finished` resolves; a worker still running
 *   `drainMs` + 5 s after it was asked to stop is killed.
 *
 * Unlike Eventlet's Spawning (which forks after binding), evy's workers bind
 * the port themselves: JavaScript runtimes cannot fork.
 *
 * @example Two processes, one port, a reload
 * ```ts ignore
 * import { Spawning } from "@evy/evy/tools/spawning";
 *
 * const controller = new Spawning({ app: new URL("./app.ts", import.meta.url), port: 8080, processes: 2 });
 * await controller.ready;
 * await controller.reload(); // new workers accept before the old ones drain
 * await controller.stop();
 * ```
 *
 * @module
 */
import process from "node:process";
import { spawn } from "../core/green_thread.ts";
import { sleep } from "../core/sleep.ts";
import { getHub } from "../hubs/mod.ts";
import type { SpawningBackend, WorkerConfig, WorkerExit, WorkerProcess } from "./_spawning_backend.ts";
import { spawningBackend } from "./_spawning_backends.ts";

/** Options for {@linkcode Spawning}. */
export interface SpawningOptions {
  /** The app module (path or URL): its default export is a Fetch handler or `{ fetch }`. */
  app: string | URL;
  /** TCP port; 0 picks a free one (all workers share it). @default {8000} */
  port?: number;
  /** Interface to bind. @default {"0.0.0.0"} */
  hostname?: string;
  /** Worker processes. @default {one per CPU core} */
  processes?: number;
  /** Servers per process, in Workers sharing the port (Deno only). @default {1} */
  threads?: number;
  /** Requests each server handles at once (serve's `maxSize`). @default {1024} */
  maxSize?: number;
  /** Access-log every request on the workers' stderr. @default {false} */
  accessLog?: boolean;
  /** How long a stopping worker lets in-flight requests finish. @default {10000} */
  drainMs?: number;
  /** Take the client address from `X-Forwarded-For` (behind nginx). @default {false} */
  trustProxy?: boolean;
  /**
   * Take websocket upgrades (serve's `websockets`). Off, an upgrade gets 501
   * and a reload on Deno loses no request; on, Deno's `Deno.serve` listens
   * and a reload may cut a connection that had not yet sent its request.
   * @default {false}
   */
  websockets?: boolean;
  /** Where the workers' output lines go, prefixed with their id. @default {this process's stdout/stderr} */
  output?: (stream: "stdout" | "stderr", line: string) => void;
  /** Where the controller's own messages go. @default {stderr} */
  log?: (message: string) => void;
}

interface Member {
  id: number;
  proc: WorkerProcess;
  ready: Promise<void>;
  startedAt: number;
  stopping: boolean;
}

const MAX_BACKOFF_MS = 10_000;
const CRASH_WINDOW_MS = 2_000;
const READY_TIMEOUT_MS = 60_000;

function checkCount(name: string, value: unknown, min: number): void {
  if (value !== undefined && !(Number.isInteger(value) && (value as number) >= min)) {
    throw new RangeError(`Spawning: ${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
}

function appUrl(app: string | URL): string {
  if (app instanceof URL) return app.href;
  if (typeof app !== "string" || app === "") throw new TypeError("Spawning: app must be a module path or URL");
  if (/^[a-z][a-z0-9+.-]*:/i.test(app) && !/^[a-z]:[\\/]/i.test(app)) return app;
  return new URL(app, `file://${process.cwd()}/`).href;
}

/**
 * A controller of worker processes serving one app on one port (see the
 * module doc). Starts on construction; `ready` resolves once every worker
 * accepts.
 *
 * @example Serve an app from two processes and stop them
 * ```ts ignore
 * import { Spawning } from "@evy/evy/tools/spawning";
 * import assert from "node:assert/strict";
 *
 * const controller = new Spawning({ app: "./app.ts", port: 0, processes: 2 });
 * await controller.ready;
 * const res = await fetch(`http://127.0.0.1:${controller.port}/`);
 * assert.equal(res.status, 200);
 * await res.body?.cancel();
 * await controller.stop();
 * ```
 */
export class Spawning implements AsyncDisposable {
  readonly #backend: SpawningBackend;
  readonly #config: Omit<WorkerConfig, "id" | "port">;
  readonly #processes: number;
  readonly #output: (stream: "stdout" | "stderr", line: string) => void;
  readonly #log: (message: string) => void;
  #port = 0;
  #nextId = 1;
  #members: Member[] = [];
  #failures = 0;
  #stopping: Promise<void> | undefined;
  #reloading: Promise<void> | undefined;
  readonly #ready: Promise<void>;
  readonly #retired = new Set<Promise<WorkerExit>>();
  readonly #finished = deferred();

  /** Starts the workers (see {@linkcode SpawningOptions}). */
  constructor(options: SpawningOptions) {
    if (options === null || typeof options !== "object") throw new TypeError("Spawning: options must be an object");
    checkCount("port", options.port, 0);
    if (options.port !== undefined && options.port > 65535) throw new RangeError("Spawning: port must be <= 65535");
    checkCount("processes", options.processes, 1);
    checkCount("threads", options.threads, 1);
    checkCount("maxSize", options.maxSize, 1);
    checkCount("drainMs", options.drainMs, 0);
    if (options.hostname !== undefined && typeof options.hostname !== "string") {
      throw new TypeError("Spawning: hostname must be a string");
    }
    for (const name of ["accessLog", "trustProxy", "websockets"] as const) {
      if (options[name] !== undefined && typeof options[name] !== "boolean") {
        throw new TypeError(`Spawning: ${name} must be a boolean`);
      }
    }
    this.#backend = spawningBackend();
    if ((options.threads ?? 1) > 1 && !this.#backend.threadsShareAPort) {
      throw new RangeError("Spawning: threads > 1 needs Deno: Node's worker_threads cannot share a listening port");
    }
    this.#processes = options.processes ?? this.#backend.cores();
    this.#config = {
      app: appUrl(options.app),
      hostname: options.hostname ?? "0.0.0.0",
      accessLog: options.accessLog ?? false,
      drainMs: options.drainMs ?? 10_000,
      threads: options.threads ?? 1,
      trustProxy: options.trustProxy ?? false,
      websockets: options.websockets ?? false,
      ...(options.maxSize === undefined ? {} : { maxSize: options.maxSize }),
    };
    this.#output = options.output ?? ((stream, line) => this.#backend.write(stream, line));
    this.#log = options.log ?? ((message) => this.#backend.write("stderr", `evy serve: ${message}`));
    this.#ready = this.#start(options.port ?? 8000);
    this.#ready.catch(() => {}); // observed through `ready`; a failed start also stops what did start
  }

  /** Resolves once every worker of the first generation accepts; rejects if they cannot start. */
  get ready(): Promise<void> {
    return this.#ready;
  }

  /** The port the workers share (known once `ready` resolved). */
  get port(): number {
    return this.#port;
  }

  /** Process ids of the current workers. */
  pids(): number[] {
    return this.#members.map((m) => m.proc.pid);
  }

  async #start(port: number): Promise<void> {
    this.#port = port === 0 ? await this.#backend.freePort(this.#config.hostname) : port;
    const migrate = this.#backend.migrateRequests();
    if (migrate !== undefined) this.#log(migrate);
    this.#members = Array.from({ length: this.#processes }, () => this.#startMember());
    try {
      await this.#allReady(this.#members);
    } catch (error) {
      await this.stop();
      throw error;
    }
    this.#log(
      `${this.#processes} process(es) serving ${this.#config.app} on http://${this.#config.hostname}:${this.#port}/`,
    );
  }

  #startMember(): Member {
    const id = this.#nextId++;
    let resolveReady!: () => void;
    let rejectReady!: (e: Error) => void;
    const ready = new Promise<void>((res, rej) => {
      resolveReady = res;
      rejectReady = rej;
    });
    ready.catch(() => {});
    const proc = this.#backend.startWorker({ ...this.#config, id, port: this.#port }, {
      line: (stream, text) => this.#output(stream, `[w${id}] ${text}`),
      ready: () => resolveReady(),
    });
    const member: Member = { id, proc, ready, startedAt: Date.now(), stopping: false };
    proc.exited.then((exit) => {
      rejectReady(new Error(`evy serve: worker w${id} exited before accepting (${describeExit(exit)})`));
      this.#onExit(member, exit);
    });
    return member;
  }

  async #allReady(members: Member[]): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("evy serve: workers did not accept within 60 s")), READY_TIMEOUT_MS);
    });
    try {
      await Promise.race([Promise.all(members.map((m) => m.ready)), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  #onExit(member: Member, exit: WorkerExit): void {
    const index = this.#members.indexOf(member);
    if (member.stopping || this.#stopping !== undefined || index < 0) return;
    const lived = Date.now() - member.startedAt;
    this.#failures = lived < CRASH_WINDOW_MS ? this.#failures + 1 : 0;
    const delay = this.#failures <= 1 ? 0 : Math.min(MAX_BACKOFF_MS, 100 * 2 ** (this.#failures - 2));
    this.#log(`worker w${member.id} (pid ${member.proc.pid}) ${describeExit(exit)}; restarting in ${delay} ms`);
    const restart = spawn(async () => {
      if (delay > 0) await sleep(delay);
      if (this.#stopping !== undefined || this.#members[index] !== member) return;
      this.#members[index] = this.#startMember();
    });
    restart.link(() => {}); // a restart's failure is reported by the hub; nobody waits for it
  }

  /**
   * Replaces every worker gracefully: a new generation starts (reading the
   * app's code again), and once all of it accepts, the old workers stop
   * accepting and drain. If the new generation cannot start, it is stopped and
   * the old one keeps serving; the returned promise rejects.
   */
  reload(): Promise<void> {
    if (this.#stopping !== undefined) return Promise.reject(new Error("evy serve: cannot reload while stopping"));
    return this.#reloading ??= this.#reload().finally(() => (this.#reloading = undefined));
  }

  async #reload(): Promise<void> {
    await this.#ready;
    this.#log("reloading");
    const next = Array.from({ length: this.#processes }, () => this.#startMember());
    try {
      await this.#allReady(next);
    } catch (error) {
      await Promise.all(next.map((m) => this.#retire(m)));
      this.#log(`reload failed, the old workers keep serving: ${(error as Error).message}`);
      throw error;
    }
    const old = this.#members;
    this.#members = next;
    await Promise.all(old.map((m) => this.#retire(m)));
    this.#log(`reloaded: ${this.pids().join(", ")}`);
  }

  async #retire(member: Member): Promise<void> {
    member.stopping = true;
    member.proc.stop();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        member.proc.kill();
        resolve();
      }, this.#config.drainMs + 5_000);
    });
    const exited = member.proc.exited;
    this.#retired.add(exited);
    await Promise.race([exited, deadline]);
    clearTimeout(timer);
    await exited;
    this.#retired.delete(exited);
  }

  /** Stops every worker gracefully (they drain within `drainMs`); resolves when all have exited. */
  stop(): Promise<void> {
    return this.#stopping ??= (async () => {
      await this.#reloading?.catch(() => {});
      await Promise.all(this.#members.map((m) => this.#retire(m)));
      await Promise.all([...this.#retired]);
      this.#finished.resolve();
    })();
  }

  /** Resolves once {@linkcode Spawning.stop} has finished. */
  get finished(): Promise<void> {
    return this.#finished.promise;
  }

  /**
   * Installs `evy serve`'s signal handling: SIGHUP reloads, SIGTERM and SIGINT
   * stop. Returns the disposer.
   */
  handleSignals(): () => void {
    const host = getHub().host; // the hub's signal primitive (Deno.addSignalListener / process.on)
    const offs = [
      host.onSignal("SIGHUP", () => void this.reload().catch(() => {})),
      host.onSignal("SIGTERM", () => void this.stop().catch(() => {})),
      host.onSignal("SIGINT", () => void this.stop().catch(() => {})),
    ];
    return () => {
      for (const off of offs) off();
    };
  }

  /** Stops the workers. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function describeExit(exit: WorkerExit): string {
  return exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}
