/**
 * The entry module of a pool child process (`isolation: "process"`, started
 * by `_tpool_process_node.ts`): frames in on stdin, frames out on stdout. The
 * child's `console` output goes to stderr so that stdout carries only frames.
 * The child ends when its stdin closes (the pool went away).
 *
 * @module
 */
// evy:side-effects
import process from "node:process";
import type { FromWorker, ToWorker } from "./_tpool_protocol.ts";
import { createRunner } from "./_tpool_runner.ts";
import { encodeFrame, frameReader } from "./_tpool_frames.ts";

for (const name of ["log", "info", "debug"] as const) console[name] = console.error;
const handle = createRunner((msg: FromWorker) => void process.stdout.write(encodeFrame(msg)));
process.stdin.on("data", frameReader((msg) => handle(msg as ToWorker)));
process.stdin.on("end", () => process.exit(0));
