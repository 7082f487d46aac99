/**
 * Drop-in for `node:fs/promises`: every call is a green wait (listed by the
 * hub as `fs.readFile(/path)`, interrupted by kill and Timeout).
 * `readFile`, `writeFile` and `appendFile` also get the thread's kill and
 * Timeout signals merged into `options.signal`, so interrupting them stops
 * the work; the other calls cannot be stopped by the runtime and are
 * abandoned (their result dropped). `open` resolves to the runtime's
 * `FileHandle`, whose own methods are not green. The import-map generator
 * and the preload's module hooks substitute this module for `node:fs/promises`.
 *
 * @example
 * ```ts
 * import { mkdtemp, readFile, rm, writeFile } from "@evy/evy/green/node/fs-promises";
 * import { tmpdir } from "node:os";
 * import assert from "node:assert/strict";
 *
 * const dir = await mkdtemp(`${tmpdir()}/evy-`);
 * await writeFile(`${dir}/a.txt`, "hi");
 * assert.equal(await readFile(`${dir}/a.txt`, "utf8"), "hi");
 * await rm(dir, { recursive: true });
 * ```
 *
 * @module
 */
import * as real from "node:fs/promises";
import { greenAwait, greenCall } from "../_green_io.ts";

// deno-lint-ignore no-explicit-any
type AsyncFn = (...args: any[]) => Promise<any>;

function label(name: string, args: unknown[]): string {
  const first = args[0];
  const what = typeof first === "string" || first instanceof URL ? String(first) : typeof first;
  return `fs.${name}(${what})`;
}

function green<F extends AsyncFn>(name: string, fn: F): F {
  return ((...args: unknown[]) => greenAwait(fn(...args), label(name, args))) as F;
}

/** A call whose options (at `index`) may carry a `signal`: the thread's signals are merged in. */
function withSignal<F extends AsyncFn>(name: string, fn: F, index: number): F {
  return ((...args: unknown[]) => {
    const given = args[index];
    const options = typeof given === "string" ? { encoding: given } : { ...(given as object | undefined) };
    const user = (options as { signal?: AbortSignal }).signal;
    return greenCall(label(name, args), (signal) => {
      const copy = args.slice();
      copy[index] = { ...options, signal };
      return fn(...copy);
    }, user);
  }) as F;
}

/** Green `fs.readFile`. */
export const readFile: typeof real.readFile = withSignal("readFile", real.readFile, 1);
/** Green `fs.writeFile`. */
export const writeFile: typeof real.writeFile = withSignal("writeFile", real.writeFile, 2);
/** Green `fs.appendFile`. */
export const appendFile: typeof real.appendFile = green("appendFile", real.appendFile);
/** Green `fs.access`. */
export const access: typeof real.access = green("access", real.access);
/** Green `fs.chmod`. */
export const chmod: typeof real.chmod = green("chmod", real.chmod);
/** Green `fs.chown`. */
export const chown: typeof real.chown = green("chown", real.chown);
/** Green `fs.copyFile`. */
export const copyFile: typeof real.copyFile = green("copyFile", real.copyFile);
/** Green `fs.cp`. */
export const cp: typeof real.cp = green("cp", real.cp);
/** Green `fs.lchown`. */
export const lchown: typeof real.lchown = green("lchown", real.lchown);
/** Green `fs.link`. */
export const link: typeof real.link = green("link", real.link);
/** Green `fs.lstat`. */
export const lstat: typeof real.lstat = green("lstat", real.lstat);
/** Green `fs.lutimes`. */
export const lutimes: typeof real.lutimes = green("lutimes", real.lutimes);
/** Green `fs.mkdir`. */
export const mkdir: typeof real.mkdir = green("mkdir", real.mkdir);
/** Green `fs.mkdtemp`. */
export const mkdtemp: typeof real.mkdtemp = green("mkdtemp", real.mkdtemp);
/** Green `fs.open`. */
export const open: typeof real.open = green("open", real.open);
/** Green `fs.opendir`. */
export const opendir: typeof real.opendir = green("opendir", real.opendir);
/** Green `fs.readdir`. */
export const readdir: typeof real.readdir = green("readdir", real.readdir);
/** Green `fs.readlink`. */
export const readlink: typeof real.readlink = green("readlink", real.readlink);
/** Green `fs.realpath`. */
export const realpath: typeof real.realpath = green("realpath", real.realpath);
/** Green `fs.rename`. */
export const rename: typeof real.rename = green("rename", real.rename);
/** Green `fs.rm`. */
export const rm: typeof real.rm = green("rm", real.rm);
/** Green `fs.rmdir`. */
export const rmdir: typeof real.rmdir = green("rmdir", real.rmdir);
/** Green `fs.stat`. */
export const stat: typeof real.stat = green("stat", real.stat);
/** Green `fs.symlink`. */
export const symlink: typeof real.symlink = green("symlink", real.symlink);
/** Green `fs.truncate`. */
export const truncate: typeof real.truncate = green("truncate", real.truncate);
/** Green `fs.unlink`. */
export const unlink: typeof real.unlink = green("unlink", real.unlink);
/** Green `fs.utimes`. */
export const utimes: typeof real.utimes = green("utimes", real.utimes);
/** `fs.watch` (an async iterator: the runtime's). */
export const watch: typeof real.watch = real.watch;
/** `fs.constants`. */
export const constants: typeof real.constants = real.constants;

/** The module as a default export, as `import fs from "node:fs/promises"` expects. */
const fsPromises: typeof real = {
  ...real,
  readFile,
  writeFile,
  appendFile,
  access,
  chmod,
  chown,
  copyFile,
  cp,
  lchown,
  link,
  lstat,
  lutimes,
  mkdir,
  mkdtemp,
  open,
  opendir,
  readdir,
  readlink,
  realpath,
  rename,
  rm,
  rmdir,
  stat,
  symlink,
  truncate,
  unlink,
  utimes,
};
export default fsPromises;
