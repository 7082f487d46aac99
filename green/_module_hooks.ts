/**
 * The preload's module redirection: a `module.registerHooks` resolve hook
 * that substitutes evy's drop-ins in `green/node/` for `node:net`,
 * `node:http`, `node:https`, `node:timers`, `node:timers/promises`,
 * `node:fs/promises`, `node:dns/promises` and `node:child_process` (with or without the `node:` prefix, for `import` and
 * `require()` alike) while their patch group is on. Modules inside evy's own
 * source folders keep the real builtins, so the drop-ins can wrap them.
 *
 * @module
 */
import { nodeBuiltin } from "../hubs/runtime.ts"; // node:module on first use: importing it costs ~10 ms of CPU
// A drop-in reached through a synchronous `require()` (a CommonJS package requiring "net") is loaded by Deno
// synchronously, and then only modules already loaded can satisfy its imports ("Cannot resolve module" otherwise):
// so the helpers the drop-ins share are loaded with the hooks. None of them loads a runtime I/O module.
import "./node/_hub_listing.ts";
import "./node/_green_request_node.ts";
import "./_green_io.ts";
import "./_green_timer.ts";
import "./timers_promises.ts";

type Group = "net" | "fs" | "timers" | "fetch" | "process";

const TARGETS: Record<string, [Group, string]> = {
  "net": ["net", "./node/net_node.ts"],
  "dns/promises": ["net", "./node/dns_promises_node.ts"],
  "http": ["net", "./node/http_node.ts"],
  "https": ["net", "./node/https_node.ts"],
  "fs/promises": ["fs", "./node/fs_promises_node.ts"],
  "timers": ["timers", "./node/timers.ts"],
  "timers/promises": ["timers", "./node/timers_promises.ts"],
  "child_process": ["process", "./node/child_process_node.ts"],
  "zeromq": ["net", "./zmq/mod.ts"], // the zeromq npm package (a native addon that crashes Deno)
};
const ROOT = new URL("../", import.meta.url).href;
const OWN_DIRS = new Set(["core", "green", "hubs", "web", "db", "tools"]);

interface Hooks {
  deregister?: () => void;
}
type RegisterHooks = (hooks: {
  resolve: (
    specifier: string,
    context: { parentURL?: string | undefined },
    next: (specifier: string, context: unknown) => unknown,
  ) => unknown;
}) => Hooks;

let handle: Hooks | undefined;
let active: ReadonlySet<Group> = new Set();

function registerHooks(): RegisterHooks | undefined {
  const fn = nodeBuiltin<{ registerHooks?: RegisterHooks }>("node:module").registerHooks;
  return typeof fn === "function" ? fn : undefined;
}

/** Whether this runtime can redirect `node:` modules (`module.registerHooks`: Deno 2, Node ≥ 22.15). */
export function moduleHooksAvailable(): boolean {
  return registerHooks() !== undefined;
}

/** Whether `parentURL` is one of evy's own library modules (which keep the real builtins). */
export function isEvyModule(parentURL: string | undefined): boolean {
  if (parentURL === undefined || !parentURL.startsWith(ROOT)) return false;
  const rest = parentURL.slice(ROOT.length);
  const slash = rest.indexOf("/");
  return slash < 0 || OWN_DIRS.has(rest.slice(0, slash));
}

/** The drop-in URL for `specifier`, if its group is on and the importer is not evy. */
export function redirect(specifier: string, parentURL: string | undefined): string | undefined {
  const bare = specifier.startsWith("node:") ? specifier.slice(5) : specifier;
  const target = TARGETS[bare];
  if (target === undefined || !active.has(target[0]) || isEvyModule(parentURL)) return undefined;
  return new URL(target[1], import.meta.url).href;
}

/** Turns the redirection on for `groups` (registering the hook once). */
export function installModuleHooks(groups: ReadonlySet<Group>): void {
  active = new Set(groups);
  if (handle !== undefined) return;
  const register = registerHooks();
  if (register === undefined) return;
  handle = register({
    resolve(specifier, context, next) {
      const url = redirect(specifier, context.parentURL);
      return url === undefined ? next(specifier, context) : { url, shortCircuit: true, format: "module" };
    },
  });
}

/** Turns the redirection off (deregistering the hook where the runtime allows). */
export function uninstallModuleHooks(): void {
  active = new Set();
  handle?.deregister?.();
  handle = undefined;
}
