/**
 * Drop-in for `node:child_process`, as far as its callback API allows. The
 * import-map generator and the preload's module hooks substitute it for
 * `node:child_process`. What it adds to the runtime's module:
 *
 * - `spawn`, `execFile` and `exec` tie the child to the calling green thread:
 *   when the thread is killed or one of its active Timeouts fires, the child
 *   gets `SIGTERM`, then `SIGKILL` after 2,000 ms if it still runs (as green
 *   `Command`'s children do); the callback of `exec`/`execFile` then reports
 *   the child's end as Node does (`error.signal`);
 * - the promisified forms (`util.promisify(exec)`, `util.promisify(execFile)`)
 *   are green waits: a kill or Timeout rejects them at once (with the kill's
 *   error or the Timeout) and ends the child; their promise keeps `.child`;
 * - each child is listed by the hub while it runs (`child_process.spawn(cmd)`),
 *   so `tools/debug` shows it.
 *
 * Not covered: the `*Sync` functions (they block the whole process, every
 * green thread with it: they are the runtime's, unchanged), `fork` (an IPC
 * child, not tied to a thread), and a `new ChildProcess()` made directly. A
 * callback API never suspends its caller, so outside the promisified forms
 * there is no wait to release: the thread's own next green wait takes the kill.
 * The signals reach the child only: `exec("cmd")` runs a shell, whose
 * `cmd` outlives it (and holds its pipes open, so Node reports the end only
 * when `cmd` exits) unless the command is `exec cmd`.
 * For green pipes with `readline` & co., use `@evy/evy/green/process`.
 *
 * @example A Timeout ends an `exec`'d child
 * ```ts
 * import { exec } from "@evy/evy/green/node/child-process";
 * import { spawn, Timeout } from "@evy/evy";
 * import { promisify } from "node:util";
 * import assert from "node:assert/strict";
 *
 * const cut = spawn(async () => {
 *   using _t = new Timeout(50);
 *   return await promisify(exec)("sleep 30");
 * });
 * await assert.rejects(cut.wait(), Timeout);
 * const { stdout } = await promisify(exec)("echo done");
 * assert.equal(stdout, "done\n");
 * ```
 *
 * @module
 */
import * as real from "node:child_process";
import process from "node:process";
import { promisify } from "node:util";
import { threadSignal } from "../../core/internal.ts";
import { listed } from "./_hub_listing.ts";
import { getHub } from "../../hubs/mod.ts";
import { greenAwait } from "../_green_io.ts";

export * from "node:child_process";

const GRACE_MS = 2000;

function signalChild(child: real.ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(child.pid, signal); // by pid: Deno's node:child_process sends only a child's first kill()
  } catch {
    // exited meanwhile
  }
}

/** Ties `child` to the calling thread (see the module doc); returns the function that ends it. */
function tie(child: real.ChildProcess, what: string): () => void {
  const unlist = listed(`child_process.${what}`);
  const signal = threadSignal();
  let grace: { cancel(): void } | undefined;
  const end = (): void => {
    if (grace !== undefined) return;
    signalChild(child, "SIGTERM");
    grace = getHub().scheduleCallGlobal(GRACE_MS, () => signalChild(child, "SIGKILL"), `killGrace(${what})`);
  };
  const onAbort = (): void => queueMicrotask(end);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  const done = (): void => {
    unlist();
    grace?.cancel();
    signal?.removeEventListener("abort", onAbort);
  };
  if (child.pid === undefined) queueMicrotask(done); // failed to spawn: its "error" event reports it
  else child.once("exit", done);
  return end;
}

function describe(file: unknown, args: unknown): string {
  const rest = Array.isArray(args) ? args.map(String).join(" ") : "";
  return `${String(file)}${rest === "" ? "" : ` ${rest}`}`;
}

/** `child_process.spawn`, tied to the calling green thread (see the module doc). */
export const spawn: typeof real.spawn = ((...args: Parameters<typeof real.spawn>) => {
  const child = real.spawn(...args);
  tie(child, `spawn(${describe(args[0], args[1])})`);
  return child;
}) as typeof real.spawn;

interface Promised {
  (...args: unknown[]): Promise<{ stdout: unknown; stderr: unknown }> & { child: real.ChildProcess };
}

/** A promisified form that is a green wait, ending the child when interrupted. */
function greenPromised(fn: (...args: never[]) => real.ChildProcess, what: (args: unknown[]) => string): Promised {
  const native = (fn as unknown as Record<symbol, Promised>)[promisify.custom]!;
  return (...args: unknown[]) => {
    const promise = native(...args);
    const description = what(args);
    const end = tie(promise.child, description);
    return Object.assign(greenAwait(promise, description, end), { child: promise.child });
  };
}

/** `child_process.execFile`, tied to the calling green thread (see the module doc). */
export const execFile: typeof real.execFile = ((...args: unknown[]) => {
  const child = (real.execFile as (...a: unknown[]) => real.ChildProcess)(...args);
  tie(child, `execFile(${describe(args[0], args[1])})`);
  return child;
}) as typeof real.execFile;
Object.defineProperty(execFile, promisify.custom, {
  value: greenPromised(real.execFile, (args) => `execFile(${describe(args[0], args[1])})`),
});

/** `child_process.exec`, tied to the calling green thread (see the module doc). */
export const exec: typeof real.exec = ((...args: unknown[]) => {
  const child = (real.exec as (...a: unknown[]) => real.ChildProcess)(...args);
  tie(child, `exec(${String(args[0])})`);
  return child;
}) as typeof real.exec;
Object.defineProperty(exec, promisify.custom, {
  value: greenPromised(real.exec, (args) => `exec(${String(args[0])})`),
});

/** The module as a default export, as `import cp from "node:child_process"` expects. */
const childProcess: typeof real = { ...real, spawn, execFile, exec };
export default childProcess;
