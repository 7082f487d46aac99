/**
 * Prints the import map that greens `node:net`, `node:timers`,
 * `node:timers/promises`, `node:fs/promises` and `node:dns/promises`:
 *
 * ```sh
 * deno task importmap > import_map.json
 * deno task importmap --groups=timers,fs --root=/path/to/evy > import_map.json
 * deno run --import-map=import_map.json app.ts
 * ```
 *
 * @module
 */
import { importMap, type ImportMapGroup, type ImportMapOptions } from "../green/import_map.ts";

const options: ImportMapOptions = {};
for (const arg of Deno.args) {
  const [key, value = ""] = arg.replace(/^--/, "").split("=", 2);
  if (key === "root") options.root = value;
  else if (key === "groups") options.groups = value.split(",").filter(Boolean) as ImportMapGroup[];
  else {
    console.error(`importmap: unknown argument ${arg} (expected --root=PATH_OR_URL, --groups=net,fs,timers)`);
    Deno.exit(2);
  }
}
console.log(JSON.stringify(importMap(options), null, 2));
