/**
 * The Deno fs backend: `Deno.*` async fs functions, reached through the
 * patcher's table of originals so that after `monkeyPatch()` (which makes
 * `Deno.readFile` green) this backend never calls itself.
 *
 * @module
 */
import type { FsBackend, RawFile } from "./_fs_backend.ts";
import { real } from "./_originals.ts";

// deno-lint-ignore no-explicit-any
type AnyFn = (...args: any[]) => any;

/** The runtime's `Deno[name]`, unpatched. */
function deno<K extends keyof typeof Deno>(name: K): (typeof Deno)[K] {
  return real(`Deno.${name}`, () => Deno[name]);
}

function call<K extends keyof typeof Deno>(name: K, ...args: unknown[]): ReturnType<(typeof Deno)[K] & AnyFn> {
  return (deno(name) as AnyFn)(...args);
}

/** The Deno implementation of {@linkcode FsBackend}. */
export const fsBackend: FsBackend = {
  readFile: (path, signal) => call("readFile", path, { signal }),
  readTextFile: (path, signal) => call("readTextFile", path, { signal }),
  writeFile: (path, data, options) => call("writeFile", path, data, options),
  writeTextFile: (path, data, options) => call("writeTextFile", path, data, options),
  async open(path, options): Promise<RawFile> {
    const file: Deno.FsFile = await call("open", path, options);
    return {
      read: (p) => file.read(p),
      write: (p) => file.write(p),
      seek: (offset, whence) => file.seek(offset, whence),
      stat: () => file.stat(),
      truncate: (len) => file.truncate(len),
      sync: () => file.sync(),
      close: () => file.close(),
    };
  },
  async readDir(path) {
    const out = [];
    for await (const e of call("readDir", path) as AsyncIterable<Deno.DirEntry>) {
      out.push({ name: e.name, isFile: e.isFile, isDirectory: e.isDirectory, isSymlink: e.isSymlink });
    }
    return out;
  },
  stat: (path) => call("stat", path),
  lstat: (path) => call("lstat", path),
  mkdir: (path, options) => call("mkdir", path, options),
  remove: (path, options) => call("remove", path, options),
  rename: (from, to) => call("rename", from, to),
  copyFile: (from, to) => call("copyFile", from, to),
  truncate: (path, len) => call("truncate", path, len),
  makeTempFile: (options) => call("makeTempFile", options),
  makeTempDir: (options) => call("makeTempDir", options),
  realPath: (path) => call("realPath", path),
  readLink: (path) => call("readLink", path),
  symlink: (target, path) => call("symlink", target, path),
  chmod: (path, mode) => call("chmod", path, mode),
};
