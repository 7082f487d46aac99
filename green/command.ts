/**
 * {@linkcode Command}: `Deno.Command`'s signature and semantics, with green
 * waits — the drop-in that `monkeyPatch({ process: true })` installs as
 * `Deno.Command`. Runs on `Deno.Command` on Deno and on
 * `node:child_process` on Node.
 *
 * @module
 */
import { backendOption, type ProcessBackend, type SpawnSpec, type StdioMode } from "./_process_backend.ts";
import { denoProcess } from "./_process_deno.ts";
import { nodeProcess } from "./_process_node.ts";
import { closePipes, ownOutput, wrapChild } from "./_pipe_internal.ts";
import { ChildProcess, type CommandOutput } from "./child_process.ts";

/** Options of {@linkcode Command}: `Deno.CommandOptions`, plus `killGraceMs`. */
export interface CommandOptions {
  /** Arguments to pass to the process. @default [] */
  args?: string[];
  /** The working directory of the process. @default the parent's */
  cwd?: string | URL;
  /** Start from an empty environment instead of the parent's. @default false */
  clearEnv?: boolean;
  /** Environment variables to set, on top of the parent's (unless `clearEnv`). */
  env?: Record<string, string>;
  /** The child's user ID (a setuid in the child). */
  uid?: number;
  /** The child's group ID. */
  gid?: number;
  /** Ends the child (as kill and Timeout do: SIGTERM, then SIGKILL after `killGraceMs`) when it aborts. */
  signal?: AbortSignal;
  /** How stdin is connected. @default "inherit" */
  stdin?: StdioMode;
  /** How stdout is connected. @default "inherit" for `spawn()`, "piped" for `output()` */
  stdout?: StdioMode;
  /** How stderr is connected. @default "inherit" for `spawn()`, "piped" for `output()` */
  stderr?: StdioMode;
  /** Detach the child from this process (its own process group). @default false */
  detached?: boolean;
  /** After SIGTERM, how long a child has to exit before SIGKILL (ms). @default 2000 */
  killGraceMs?: number;
}

// The one place that picks the runtime's backend.
const runtimeBackend: ProcessBackend = "Deno" in globalThis ? denoProcess : nodeProcess;
const MODES: readonly string[] = ["piped", "inherit", "null"];

function mode(value: unknown, name: string, fallback: StdioMode): StdioMode {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !MODES.includes(value)) {
    throw new TypeError(`Command: options.${name} must be "piped", "inherit" or "null", got ${String(value)}`);
  }
  return value as StdioMode;
}

function optionalInt(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new RangeError(`Command: options.${name} must be an integer >= 0, got ${String(value)}`);
  }
  return value;
}

function path(value: string | URL, name: string): string {
  if (value instanceof URL) {
    if (value.protocol !== "file:") throw new TypeError(`Command: ${name} must be a path or a file: URL, got ${value}`);
    return decodeURIComponent(value.pathname);
  }
  if (typeof value !== "string" || value === "") {
    throw new TypeError(`Command: ${name} must be a non-empty string or a file: URL, got ${String(value)}`);
  }
  return value;
}

/**
 * A command to run, as `Deno.Command`: `spawn()` starts it and gives a
 * {@linkcode ChildProcess}; `output()` runs it to the end and collects its
 * output. Every wait on the child is green, and a kill or Timeout of the
 * waiting thread ends the child. `outputSync()` is not offered: a blocking
 * wait would stop every green thread.
 *
 * @example Collect a command's output
 * ```ts
 * import { Command } from "@evy/evy/green/process";
 * import assert from "node:assert/strict";
 *
 * const { code, stdout } = await new Command("echo", { args: ["hello"] }).output();
 * assert.equal(code, 0);
 * assert.equal(new TextDecoder().decode(stdout), "hello\n");
 * ```
 */
export class Command {
  #command: string;
  #spec: SpawnSpec;
  #stdoutSet: boolean;
  #stderrSet: boolean;
  #graceMs: number;
  #signal: AbortSignal | undefined;
  #backend: ProcessBackend;

  /**
   * Describes the command; nothing runs until `spawn()` or `output()`.
   *
   * @param command The executable: a name looked up on `PATH`, a path, or a `file:` URL.
   * @param options See {@linkcode CommandOptions}.
   * @throws {TypeError} When `command` or an option has the wrong type.
   * @throws {RangeError} When `killGraceMs`, `uid` or `gid` is out of range.
   */
  constructor(command: string | URL, options: CommandOptions = {}) {
    if (options === null || typeof options !== "object") throw new TypeError("Command: options must be an object");
    this.#command = path(command, "command");
    const args = options.args ?? [];
    if (!Array.isArray(args) || args.some((a) => typeof a !== "string")) {
      throw new TypeError("Command: options.args must be an array of strings");
    }
    const env = options.env;
    if (
      env !== undefined &&
      (env === null || typeof env !== "object" || Object.values(env).some((v) => typeof v !== "string"))
    ) {
      throw new TypeError("Command: options.env must be an object of strings");
    }
    const grace = options.killGraceMs ?? 2000;
    if (typeof grace !== "number" || !(grace >= 0) || !Number.isFinite(grace)) {
      throw new RangeError(`Command: options.killGraceMs must be a finite number >= 0, got ${String(grace)}`);
    }
    if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
      throw new TypeError("Command: options.signal must be an AbortSignal");
    }
    this.#graceMs = grace;
    this.#signal = options.signal;
    this.#stdoutSet = options.stdout !== undefined;
    this.#stderrSet = options.stderr !== undefined;
    this.#spec = {
      args: [...args],
      cwd: options.cwd === undefined ? undefined : path(options.cwd, "options.cwd"),
      env: env === undefined ? undefined : { ...env },
      clearEnv: options.clearEnv === true,
      uid: optionalInt(options.uid, "uid"),
      gid: optionalInt(options.gid, "gid"),
      detached: options.detached === true,
      stdin: mode(options.stdin, "stdin", "inherit"),
      stdout: mode(options.stdout, "stdout", "inherit"),
      stderr: mode(options.stderr, "stderr", "inherit"),
    };
    this.#backend = (options as { [backendOption]?: ProcessBackend })[backendOption] ?? runtimeBackend;
  }

  /**
   * Starts the child.
   *
   * @returns The running child.
   * @throws {Error} Named `"NotFound"` (Deno's `Deno.errors.NotFound` on Deno) when the executable does not exist.
   */
  spawn(): ChildProcess {
    return this.#start(this.#spec);
  }

  #start(spec: SpawnSpec): ChildProcess {
    const signal = this.#signal;
    if (signal?.aborted) throw signal.reason;
    const child = ChildProcess[wrapChild](this.#backend.spawn(this.#command, spec), this.#command, this.#graceMs);
    if (signal !== undefined) {
      const end = child.terminate;
      signal.addEventListener("abort", end, { once: true });
      void child.status.then(() => signal.removeEventListener("abort", end));
    }
    return child;
  }

  /**
   * Runs the child to the end and collects its output (stdout and stderr
   * piped unless set otherwise, stdin inherited unless set). A kill or Timeout
   * of the calling thread ends the child and rejects.
   *
   * @throws {TypeError} When stdin is `"piped"` (nothing could feed it).
   */
  async output(): Promise<CommandOutput> {
    if (this.#spec.stdin === "piped") {
      throw new TypeError('Command.output: stdin must not be "piped"; use run()\'s input');
    }
    const child = this.#start({
      ...this.#spec,
      stdout: this.#stdoutSet ? this.#spec.stdout : "piped",
      stderr: this.#stderrSet ? this.#spec.stderr : "piped",
    });
    try {
      return await child[ownOutput]();
    } finally {
      child[closePipes]();
    }
  }
}
