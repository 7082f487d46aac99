/**
 * The entry module of a pool child process (`isolation: "process"`, started
 * by `_tpool_process_node.ts`): frames in on stdin, frames out on stdout. The
 * child's `console` output goes to stderr so that stdout carries only frames.
 * The child ends when its stdin closes (the pool went away).
 *
 * @module
 */
// evy:side-effects
import { AsyncLocalStorage } from "node:async_hooks";
import process from "node:process";
import type { ToWorker } from "./_tpool_protocol.ts";
import { workerMain } from "./_tpool_runner.ts";
import { encodeFrame, frameReader } from "./_tpool_frames.ts";

for (const name of ["log", "info", "debug"] as const) console[name] = console.error;
workerMain({
  post: (msg) => void process.stdout.write(encodeFrame(msg)),
  listen: (handler) => void process.stdin.on("data", frameReader((msg) => handler(msg as ToWorker))),
  AsyncLocalStorage,
  importModule: (url) => import(url),
});
process.stdin.on("end", () => process.exit(0));
