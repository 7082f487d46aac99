/**
 * Import maps: the ES-module analog of Eventlet's `import_patched`.
 * {@linkcode importMap} builds the `imports` block that substitutes evy's
 * drop-ins in `green/node/` for `node:net`, `node:http`, `node:https`, `node:timers`,
 * `node:timers/promises`, `node:fs/promises`, `node:dns/promises` and
 * `node:child_process`, and a
 * `scopes` block that lets evy's own modules keep the real builtins (the
 * drop-ins wrap them). `deno task importmap > import_map.json` prints it.
 *
 * What an import map reaches in Deno (tested in
 * `tests/isolated/import_map_test.ts`): the app's own modules and the local
 * modules they import, and remote (`http:`/`https:`) modules; **not** npm
 * packages (they resolve through Node's resolution, which ignores import
 * maps), and not `require()`. For those, use the preload (`@evy/evy/patch`),
 * whose `module.registerHooks` redirection reaches both.
 *
 * @example
 * ```ts
 * import { importMap } from "@evy/evy/green/import-map";
 * import assert from "node:assert/strict";
 *
 * const map = importMap({ root: "https://example.com/evy/", groups: ["timers"] });
 * assert.equal(map.imports["node:timers/promises"], "https://example.com/evy/green/node/timers_promises.ts");
 * assert.equal(map.imports["node:net"], undefined);
 * assert.equal(map.scopes["https://example.com/evy/green/"]!["node:timers"], "node:timers");
 * ```
 *
 * @module
 */

/** The groups an import map can green (fetch is a global: see `monkeyPatch`). */
export type ImportMapGroup = "net" | "fs" | "timers" | "process";

/** Options for {@linkcode importMap}. */
export interface ImportMapOptions {
  /** Where evy's source lives (a URL or an absolute path). @default this copy of evy */
  root?: string | URL;
  /** Which groups to green. @default ["net", "fs", "timers", "process"] */
  groups?: ImportMapGroup[];
}

/** An import map: `imports` and `scopes`, as Deno's `--import-map` reads them. */
export interface ImportMap {
  /** Specifier → replacement URL. */
  imports: Record<string, string>;
  /** URL prefix → its own specifier map (evy's folders keep the builtins). */
  scopes: Record<string, Record<string, string>>;
}

const TARGETS: [ImportMapGroup, string, string][] = [
  ["net", "node:net", "green/node/net_node.ts"],
  ["net", "node:dns/promises", "green/node/dns_promises_node.ts"],
  ["net", "node:http", "green/node/http_node.ts"],
  ["net", "node:https", "green/node/https_node.ts"],
  ["fs", "node:fs/promises", "green/node/fs_promises_node.ts"],
  ["timers", "node:timers", "green/node/timers.ts"],
  ["timers", "node:timers/promises", "green/node/timers_promises.ts"],
  ["process", "node:child_process", "green/node/child_process_node.ts"],
  ["net", "zeromq", "green/zmq/mod.ts"], // the zeromq npm package (native) → evy's ZMTP in TypeScript
];
/** evy's own folders, which keep the real builtins; a folder joins this list when it lands in the repository. */
const OWN_DIRS = ["core", "green", "hubs", "web", "db", "tools"];

function rootUrl(root: string | URL | undefined): string {
  if (root === undefined) return new URL("../", import.meta.url).href;
  const text = root instanceof URL ? root.href : root;
  const url = /^[a-z][a-z0-9+.-]*:/i.test(text)
    ? new URL(text)
    : new URL(`file://${text.startsWith("/") ? "" : "/"}${text}`);
  return url.href.endsWith("/") ? url.href : `${url.href}/`;
}

/**
 * Builds the import map that substitutes evy's green drop-ins for the
 * `node:` modules of the chosen groups (see the module doc for its reach).
 *
 * @param options `root` and `groups`.
 * @returns The map, ready for `JSON.stringify`.
 * @throws {RangeError} When a group is unknown.
 *
 * @example
 * ```ts
 * import { importMap } from "@evy/evy/green/import-map";
 * import assert from "node:assert/strict";
 *
 * const map = importMap();
 * assert.match(map.imports["node:fs/promises"]!, /green\/node\/fs_promises_node\.ts$/);
 * ```
 */
export function importMap(options: ImportMapOptions = {}): ImportMap {
  const groups = options.groups ?? ["net", "fs", "timers", "process"];
  for (const g of groups) {
    if (!TARGETS.some(([group]) => group === g)) throw new RangeError(`importMap: unknown group "${g}" in groups`);
  }
  const root = rootUrl(options.root);
  const imports: Record<string, string> = {};
  const real: Record<string, string> = {};
  for (const [group, specifier, path] of TARGETS) {
    if (!groups.includes(group)) continue;
    imports[specifier] = new URL(path, root).href;
    if (specifier.startsWith("node:")) real[specifier] = specifier;
  }
  const scopes: Record<string, Record<string, string>> = {};
  for (const dir of OWN_DIRS) scopes[`${root}${dir}/`] = { ...real };
  return { imports, scopes };
}
