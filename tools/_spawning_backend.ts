/**
 * The contract `tools/spawning.ts` needs from a runtime to run worker
 * processes that share one port: Deno starts `deno run` children whose
 * `Deno.serve` listeners share the port with `reusePort`; Node forks
 * `node:cluster` workers, whose listeners the primary shares. Internal.
 *
 * @module
 */

/** How a worker process ended. */
export interface WorkerExit {
  /** Exit code, `null` when a signal ended it. */
  code: number | null;
  /** The signal that ended it (`"SIGKILL"`), or `null`. */
  signal: string | null;
}

/** What the controller passes to each worker (serialized on its command line). */
export interface WorkerConfig {
  /** Worker id, shown as the `[w3]` prefix of its output. */
  id: number;
  /** The app module's absolute URL. */
  app: string;
  port: number;
  hostname: string;
  /** Green threads per process (serve's `maxSize`). */
  maxSize?: number;
  /** Whether each request is access-logged on stderr. */
  accessLog: boolean;
  /** How long a stopping worker lets in-flight requests finish. */
  drainMs: number;
  /** Servers per process (Workers sharing the port, where the runtime lets them). */
  threads: number;
  /** Whether to trust `X-Forwarded-For` (behind nginx). */
  trustProxy: boolean;
  /** Whether the workers take websocket upgrades (serve's `websockets`). */
  websockets: boolean;
}

/** A running worker process. */
export interface WorkerProcess {
  readonly pid: number;
  /** Resolves once the process has exited. */
  readonly exited: Promise<WorkerExit>;
  /** Asks it to stop gracefully (SIGTERM: stop accepting, drain, exit). */
  stop(): void;
  /** Ends it at once (SIGKILL). */
  kill(): void;
}

/** Callbacks of one worker. */
export interface WorkerEvents {
  /** A line the worker wrote (without its newline). */
  line(stream: "stdout" | "stderr", text: string): void;
  /** The worker is listening and accepting. */
  ready(): void;
}

/** What a runtime gives the controller and its workers. */
export interface SpawningBackend {
  /** Starts a worker process running `config`. */
  startWorker(config: WorkerConfig, events: WorkerEvents): WorkerProcess;
  /** The number of CPU cores. */
  cores(): number;
  /** Finds a free TCP port on `hostname` (the workers bind it together afterwards). */
  freePort(hostname: string): Promise<number>;
  /**
   * Lets the kernel hand connections queued on a closing `reusePort` listener
   * to the others (Linux `net.ipv4.tcp_migrate_req`), where it may; returns
   * what it did, for the controller's log, or undefined when not relevant.
   */
  migrateRequests(): string | undefined;
  /** Writes one line to stdout or stderr of this process. */
  write(stream: "stdout" | "stderr", text: string): void;
  /** Whether several servers of one process may share a port (Workers + `reusePort`). */
  readonly threadsShareAPort: boolean;
  /** Whether workers bind with `reusePort` (Deno) rather than through a primary (Node's cluster). */
  readonly reusePort: boolean;
  /** In a worker: its config, or undefined when this process is not a worker. */
  workerConfig(): WorkerConfig | undefined;
  /** In a worker: tells the controller (or the parent thread) it is accepting. */
  announceReady(): void;
  /** In a worker: calls `handler` when asked to stop (SIGTERM/SIGINT, or the parent thread's message). */
  onStopRequest(handler: (why: string) => void): () => void;
  /** In a worker thread: tells the parent it has stopped. */
  stopped(): void;
  /** In a worker: runs `count` more servers of `config` in Workers of this process. */
  startThreads(config: WorkerConfig, count: number): { ready: Promise<unknown>; stop(): Promise<void> };
  /** The command-line arguments after the script. */
  args(): string[];
  /** Whether the module at `url` is this process's main module. */
  isMain(url: string): boolean;
  /** Whether this code runs in a server thread (a Worker) of a worker process. */
  inThread(): boolean;
  /** Ends this process (or worker thread) with `code`. */
  exit(code: number): never;
}

/** The marker line a worker prints on stdout once it is accepting. */
export const READY_MARKER = "\u0000evy:ready";
/** The command-line word that makes `tools/cli.ts` run as a worker. */
export const WORKER_ARG = "__evy_worker";
