/**
 * A `--preload` that turns the blocking detector on with its defaults, so a
 * benchmark runs unchanged with it (see `bench_blocking_detector.ts`).
 *
 * @module
 */
import { hubBlockingDetection } from "../tools/debug.ts";

await hubBlockingDetection(true);
