/**
 * Green fs: Deno's async file-system functions, same names and signatures,
 * as green waits — listed by the hub (`readFile(/etc/hosts)`) and interrupted
 * by kill and Timeout. The calls that take a signal (`readFile`,
 * `readTextFile`, `writeFile`, `writeTextFile`) get the caller's merged with
 * the thread's kill and Timeout signals, so interrupting them stops the work;
 * the others cannot be stopped by the runtime, so an interrupted call finishes
 * in the background and its result is dropped. `open` returns a green
 * {@linkcode FsFile}. Runs on Deno (`Deno.*`, through the patcher's table of
 * originals) and on Node (`node:fs/promises`, shaped as Deno's API).
 *
 * @example Write and read a file
 * ```ts
 * import { Timeout } from "@evy/evy";
 * import { makeTempDir, readTextFile, remove, writeTextFile } from "@evy/evy/green/fs";
 * import assert from "node:assert/strict";
 *
 * const dir = await makeTempDir();
 * await writeTextFile(`${dir}/a.txt`, "hello");
 * assert.equal(await readTextFile(`${dir}/a.txt`), "hello");
 * await remove(dir, { recursive: true });
 * ```
 *
 * @module
 */
import { fsBackend as denoBackend } from "./_fs_deno.ts";
import { fsBackend as nodeBackend } from "./_fs_node.ts";
import type {
  DirEntry,
  FileInfo,
  FsBackend,
  MakeTempOptions,
  MkdirOptions,
  OpenOptions,
  PathLike,
  ReadFileOptions,
  RemoveOptions,
  WriteFileOptions,
} from "./_fs_types.ts";
import { greenAwait, greenCall } from "./_green_io.ts";
import { FsFile } from "./fs_file.ts";

export type {
  DirEntry,
  FileInfo,
  MakeTempOptions,
  MkdirOptions,
  OpenOptions,
  PathLike,
  ReadFileOptions,
  RemoveOptions,
  SeekWhence,
  WriteFileOptions,
} from "./_fs_types.ts";
export { FsFile } from "./fs_file.ts";

const backend: FsBackend = "Deno" in globalThis ? denoBackend : nodeBackend;

function label(path: PathLike): string {
  return path instanceof URL ? path.href : String(path);
}

function checkPath(path: unknown, fn: string, arg = "path"): void {
  if (typeof path !== "string" && !(path instanceof URL)) {
    throw new TypeError(`${fn}: ${arg} must be a string or URL, got ${typeof path}`);
  }
}

function plain<T>(fn: string, path: PathLike, run: () => Promise<T>): Promise<T> {
  checkPath(path, fn);
  return greenAwait(run(), `${fn}(${label(path)})`);
}

/**
 * Reads a whole file as bytes (a green wait; kill and Timeout abort it).
 *
 * @example
 * ```ts
 * import { makeTempFile, readFile, remove, writeFile } from "@evy/evy/green/fs";
 * import assert from "node:assert/strict";
 *
 * const path = await makeTempFile();
 * await writeFile(path, new Uint8Array([1, 2, 3]));
 * assert.deepEqual(await readFile(path), new Uint8Array([1, 2, 3]));
 * await remove(path);
 * ```
 */
export function readFile(path: PathLike, options?: ReadFileOptions): Promise<Uint8Array> {
  checkPath(path, "readFile");
  return greenCall(`readFile(${label(path)})`, (signal) => backend.readFile(path, signal), options?.signal);
}

/** Reads a whole file as UTF-8 text (a green wait; kill and Timeout abort it). */
export function readTextFile(path: PathLike, options?: ReadFileOptions): Promise<string> {
  checkPath(path, "readTextFile");
  return greenCall(`readTextFile(${label(path)})`, (signal) => backend.readTextFile(path, signal), options?.signal);
}

/** Writes bytes to a file (created, truncated unless `append`), as a green wait. */
export function writeFile(path: PathLike, data: Uint8Array, options: WriteFileOptions = {}): Promise<void> {
  checkPath(path, "writeFile");
  if (!(data instanceof Uint8Array)) throw new TypeError("writeFile: data must be a Uint8Array");
  return greenCall(
    `writeFile(${label(path)})`,
    (signal) => backend.writeFile(path, data, { ...options, signal }),
    options.signal,
  );
}

/** Writes UTF-8 text to a file (created, truncated unless `append`), as a green wait. */
export function writeTextFile(path: PathLike, data: string, options: WriteFileOptions = {}): Promise<void> {
  checkPath(path, "writeTextFile");
  if (typeof data !== "string") throw new TypeError("writeTextFile: data must be a string");
  return greenCall(
    `writeTextFile(${label(path)})`,
    (signal) => backend.writeTextFile(path, data, { ...options, signal }),
    options.signal,
  );
}

/**
 * Opens a file as a green {@linkcode FsFile} (read-only unless options say
 * otherwise, as `Deno.open`).
 *
 * @example
 * ```ts
 * import { makeTempFile, open, remove } from "@evy/evy/green/fs";
 * import assert from "node:assert/strict";
 *
 * const path = await makeTempFile();
 * {
 *   using f = await open(path, { write: true });
 *   await f.write(new TextEncoder().encode("abc"));
 * }
 * using f = await open(path);
 * const buf = new Uint8Array(8);
 * assert.equal(await f.read(buf), 3);
 * assert.equal(await f.read(buf), null);
 * await remove(path);
 * ```
 */
export async function open(path: PathLike, options: OpenOptions = { read: true }): Promise<FsFile> {
  const raw = await plain("open", path, () => backend.open(path, options));
  return new FsFile(raw, label(path));
}

/** Creates (or truncates) a file and opens it for reading and writing, as `Deno.create`. */
export function create(path: PathLike): Promise<FsFile> {
  return open(path, { read: true, write: true, create: true, truncate: true });
}

/**
 * Lists a directory: an async iterable of entries, as `Deno.readDir`; the
 * listing is one green wait.
 *
 * @example
 * ```ts
 * import { makeTempDir, readDir, remove, writeTextFile } from "@evy/evy/green/fs";
 * import assert from "node:assert/strict";
 *
 * const dir = await makeTempDir();
 * await writeTextFile(`${dir}/x`, "");
 * const names = [];
 * for await (const e of readDir(dir)) names.push(e.name);
 * assert.deepEqual(names, ["x"]);
 * await remove(dir, { recursive: true });
 * ```
 */
export async function* readDir(path: PathLike): AsyncIterable<DirEntry> {
  yield* await plain("readDir", path, () => backend.readDir(path));
}

/** File metadata, following symlinks. */
export function stat(path: PathLike): Promise<FileInfo> {
  return plain("stat", path, () => backend.stat(path));
}

/** File metadata, not following symlinks. */
export function lstat(path: PathLike): Promise<FileInfo> {
  return plain("lstat", path, () => backend.lstat(path));
}

/** Creates a directory (`recursive`: with its parents, no error if present). */
export function mkdir(path: PathLike, options: MkdirOptions = {}): Promise<void> {
  return plain("mkdir", path, () => backend.mkdir(path, options));
}

/** Removes a file or directory (`recursive`: with its contents). */
export function remove(path: PathLike, options: RemoveOptions = {}): Promise<void> {
  return plain("remove", path, () => backend.remove(path, options));
}

/** Renames (moves) `oldpath` to `newpath`. */
export function rename(oldpath: PathLike, newpath: PathLike): Promise<void> {
  checkPath(newpath, "rename", "newpath");
  return plain("rename", oldpath, () => backend.rename(oldpath, newpath));
}

/** Copies `fromPath` to `toPath`. */
export function copyFile(fromPath: PathLike, toPath: PathLike): Promise<void> {
  checkPath(toPath, "copyFile", "toPath");
  return plain("copyFile", fromPath, () => backend.copyFile(fromPath, toPath));
}

/** Truncates (or extends) a file to `len` bytes (0 by default). */
export function truncate(path: PathLike, len?: number): Promise<void> {
  return plain("truncate", path, () => backend.truncate(path, len));
}

/** Creates a new empty temporary file; resolves with its path. */
export function makeTempFile(options: MakeTempOptions = {}): Promise<string> {
  return greenAwait(backend.makeTempFile(options), "makeTempFile()");
}

/** Creates a new temporary directory; resolves with its path. */
export function makeTempDir(options: MakeTempOptions = {}): Promise<string> {
  return greenAwait(backend.makeTempDir(options), "makeTempDir()");
}

/** The canonical absolute path (symlinks resolved). */
export function realPath(path: PathLike): Promise<string> {
  return plain("realPath", path, () => backend.realPath(path));
}

/** The target of a symbolic link. */
export function readLink(path: PathLike): Promise<string> {
  return plain("readLink", path, () => backend.readLink(path));
}

/** Creates a symbolic link at `newpath` pointing to `oldpath`. */
export function symlink(oldpath: PathLike, newpath: PathLike): Promise<void> {
  checkPath(oldpath, "symlink", "oldpath");
  return plain("symlink", newpath, () => backend.symlink(oldpath, newpath));
}

/** Changes a file's permission bits. */
export function chmod(path: PathLike, mode: number): Promise<void> {
  if (typeof mode !== "number") throw new TypeError("chmod: mode must be a number");
  return plain("chmod", path, () => backend.chmod(path, mode));
}
