/**
 * The process-isolation backend of the thread pool (`isolation: "process"`):
 * each worker is a child process of the same runtime (`deno run -A` or
 * `node`) running `_tpool_child_node.ts`, spoken to in `node:v8` frames over
 * its stdin and stdout. A child can always be stopped (SIGKILL), even when it
 * spins in JavaScript, and a crash, `process.exit()` or a heap limit ends only
 * that child. Arguments are serialized in the caller (so a value that cannot
 * be cloned fails there); buffers in a `transfer` list are copied, then
 * detached in the caller as a transfer would leave them.
 *
 * Works on both runtimes through `node:child_process`.
 *
 * @module
 */
import type { ChildProcess } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import type { ChannelEvents, StartOptions, TpoolBackend, WorkerChannel } from "./_tpool_backend.ts";
import type { FromWorker, ToWorker } from "./_tpool_protocol.ts";
import { encodeFrame, frameReader } from "./_tpool_frames.ts";

const ENTRY = new URL("./_tpool_child_node.ts", import.meta.url);

interface Unrefable {
  ref?(): void;
  unref?(): void;
}

function command(options: StartOptions): string[] {
  const entry = fileURLToPath(ENTRY);
  const limit = options.memoryLimitMb === undefined ? [] : [`--max-old-space-size=${options.memoryLimitMb}`];
  if ("Deno" in globalThis) {
    return ["run", "-A", "--quiet", ...(limit.length === 0 ? [] : [`--v8-flags=${limit[0]}`]), entry];
  }
  return [...limit, entry];
}

function start(events: ChannelEvents, options: StartOptions): WorkerChannel {
  const cp = process.getBuiltinModule("node:child_process") as typeof import("node:child_process");
  const child: ChildProcess = cp.spawn(process.execPath, command(options), { stdio: ["pipe", "pipe", "inherit"] });
  let ended: Promise<void> | undefined;
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exited = true;
      resolve();
      events.exit(signal !== null ? `killed by ${signal}` : `exited with code ${code}`);
    });
    child.once("error", (error) => {
      if (exited) return;
      exited = true;
      resolve();
      events.exit(`could not start: ${error.message}`);
    });
  });
  child.stdout!.on("data", frameReader((msg) => events.message(msg as FromWorker)));
  child.stdin!.on("error", () => {}); // a dead child's pipe: its exit is reported above
  const handles = [child, child.stdin, child.stdout] as unknown as Unrefable[];
  const ref = (on: boolean): void => {
    for (const h of handles) on ? h.ref?.() : h.unref?.();
  };
  ref(false);
  return {
    post: (msg: ToWorker, transfer) => {
      const frame = encodeFrame(msg);
      // Copied, but detached here as a transfer would leave them, so both isolations behave alike.
      if (transfer.length > 0) structuredClone(transfer, { transfer: [...transfer] });
      child.stdin!.write(frame);
    },
    terminate: () => {
      if (ended !== undefined) return ended;
      if (exited) return ended = Promise.resolve();
      ref(true); // until the exit is seen, so that awaiting terminate() keeps the process alive
      child.kill("SIGKILL");
      return ended = exit;
    },
    ref,
  };
}

/** Workers as child processes. */
export const processTpool: TpoolBackend = {
  name: "process",
  stopsSpinning: true,
  canUnref: true,
  start,
};
