/**
 * The preload entry: importing this module calls {@linkcode monkeyPatch}()
 * with every group, so that
 *
 * ```sh
 * deno run -A --preload jsr:@evy/evy/patch app.ts
 * ```
 *
 * runs an unmodified `app.ts` with green `fetch`, `Deno.connect` & co., Deno's
 * async fs functions and the timer globals — kill and Timeout interrupt them
 * and the hub lists them — and, through `module.registerHooks`, gives every
 * module resolved afterwards (npm packages and `require()` included) the green
 * drop-ins for `node:net`, `node:http`, `node:https`, `node:timers`,
 * `node:timers/promises`, `node:fs/promises` and `node:dns/promises` — so
 * axios, got, node-fetch and every other client on `node:http` are cut short
 * by a Timeout or kill. `import "@evy/evy/patch"` as an
 * app's first import does the same for the modules imported after it.
 *
 * On Node ≥ 22.15: `node --import evy/patch app.js`. On Node 20, which lacks
 * `module.registerHooks`, only the globals (`fetch`, the timers) are greened
 * (and `isMonkeyPatched()` says so); import `evy/green/...` for the rest.
 * Measured on Node 20.20: an `--import` loader whose `module.register` resolve
 * hook maps `node:http` to `evy/green/node/http` reaches ES-module importers
 * (got, node-fetch, the app's own `import`s) but not `require()` — so not
 * axios, whose requests go through follow-redirects' `require("http")`, nor
 * any CommonJS package. evy does not ship that loader: on Node 20, hand such
 * clients `{ signal: currentSignal() }`.
 *
 * @example
 * ```ts
 * import { isMonkeyPatched, unpatch } from "@evy/evy/green/patcher";
 * import assert from "node:assert/strict";
 *
 * await import("@evy/evy/patch"); // usually: --preload, or a static first import
 * assert.equal(isMonkeyPatched("timers"), true);
 * unpatch(); // only for this example
 * ```
 *
 * @module
 */
import { monkeyPatch } from "./green/patcher.ts";

export { isMonkeyPatched, monkeyPatch, original, unpatch } from "./green/patcher.ts";

monkeyPatch();
