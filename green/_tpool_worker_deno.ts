/**
 * The entry module of a Deno Web `Worker` pool worker (`_tpool_deno.ts`).
 * A Web Worker has no exit event, so `Deno.exit()` and `process.exit()` are
 * wrapped to tell the pool first.
 *
 * @module
 */
// evy:side-effects
import process from "node:process";
import type { FromWorker, ToWorker } from "./_tpool_protocol.ts";
import { createRunner } from "./_tpool_runner.ts";

interface WorkerScope {
  postMessage(msg: unknown): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}
const scope = globalThis as unknown as WorkerScope;
const post = (msg: FromWorker): void => scope.postMessage(msg);

const denoExit = Deno.exit;
Deno.exit = (code?: number): never => {
  post({ t: "exit", code: code ?? 0 });
  return denoExit(code);
};
const processExit = process.exit.bind(process);
process.exit = ((code?: number | string | null): never => {
  post({ t: "exit", code: Number(code ?? 0) });
  return processExit(code as number);
}) as typeof process.exit;

const handle = createRunner(post);
scope.onmessage = (event) => handle(event.data);
