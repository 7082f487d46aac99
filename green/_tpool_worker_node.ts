/**
 * The entry module of a `node:worker_threads` pool worker (`_tpool_node.ts`
 * starts it, on Node and on Deno).
 *
 * @module
 */
// evy:side-effects
import { parentPort } from "node:worker_threads";
import type { FromWorker, ToWorker } from "./_tpool_protocol.ts";
import { createRunner } from "./_tpool_runner.ts";

const port = parentPort!;
const handle = createRunner((msg: FromWorker) => port.postMessage(msg));
port.on("message", (msg: ToWorker) => handle(msg));
