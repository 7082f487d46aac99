/**
 * The one place that picks the spawning backend: Deno's when running on
 * Deno, Node's cluster otherwise. Internal.
 *
 * @module
 */
import { isAvailable as onDeno } from "../hubs/deno.ts";
import type { SpawningBackend } from "./_spawning_backend.ts";
import { denoSpawning } from "./_spawning_deno.ts";
import { nodeSpawning } from "./_spawning_node.ts";

/** The spawning backend of this runtime. */
export function spawningBackend(): SpawningBackend {
  return onDeno() ? denoSpawning : nodeSpawning;
}
