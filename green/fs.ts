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
} from "./_fs_backend.ts";
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
} from "./_fs_backend.ts";
import { isDeno } from "../hubs/runtime.ts";
export { FsFile } from "./fs_file.ts";

const backend: FsBackend = isDeno() ? denoBackend : nodeBackend;

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

/**
 * Reads a whole file as UTF-8 text (a green wait; kill and Timeout abort it).
 *
 * @example
 * ```ts
 * import { makeTempFile, readTextFile, remove, writeTextFile } from "@evy/evy/green/fs";
 * import assert from "node:assert/strict";
 *
 * const path = await makeTempFile();
 * await writeTextFile(path, "héllo");
 * assert.equal(await readTextFile(path), "héllo");
 * await remove(path);
 * ```
 */
export function readTextFile(path: PathLike, options?: ReadFileOptions): Promise<string> {
  checkPath(path, "readTextFile");
  return greenCall(`readTextFile(${label(path)})`, (signal) => backend.readTextFile(path, signal), options?.signal);
}

/**
 * Writes bytes to a file (created, truncated unless `append`), as a green wait.
 *
 * @example
 * ```ts
 * import { makeTempFile, readFile, remove, writeFile } from "@evy/evy/green/fs";
 * import assert from "node:assert/strict";
 *
 * const path = await makeTempFile();
 * await writeFile(path, new Uint8Array([1, 2]));
 * await writeFile(path, new Uint8Array([3]), { append: true });
 * assert.deepEqual(await readFile(path), new Uint8Array([1, 2, 3]));
 * await remove(path);
 * ```
 */
export function writeFile(path: PathLike, data: Uint8Array, options: WriteFileOptions = {}): Promise<void> {
  checkPath(path, "writeFile");
  if (!(data instanceof Uint8Array)) throw new TypeError("writeFile: data must be a Uint8Array");
  return greenCall(
    `writeFile(${label(path)})`,
    (signal) => backend.writeFile(path, data, { ...options, signal }),
    options.signal,
  );
}

/**
 * Writes UTF-8 text to a file (created, truncated unless `append`), as a green wait.
 *
 * @example
 * ```ts
 * import { makeTempFile, readTextFile, remove, writeTextFile } from "@evy/evy/green/fs";
 * import assert from "node:assert/strict";
 *
 * const path = await makeTempFile();
 * await writeTextFile(path, "a\n");
 * await writeTextFile(path, "b\n", { append: true });
 * assert.equal(await readTextFile(path), "a\nb\n");
 * await remove(path);
 * ```
 */
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

/**
 * Creates (or truncates) a file and opens it for reading and writing, as `Deno.create`.
 *
 * @example
 * ```ts
 * import { create, makeTempDir, remove } from "@evy/evy/green/fs";
 * import assert from "node:assert/strict";
 *
 * const dir = await makeTempDir();
 * const file = await create(`${dir}/new.txt`);
 * assert.equal(await file.write(new TextEncoder().encode("hi")), 2);
 * file.close();
 * await remove(dir, { recursive: true });
 * ```
 */
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

/**
 * File metadata, following symlinks.
 *
 * @example
 * ```ts
 * import { makeTempFile, remove, stat, writeTextFile } from "@evy/evy/green/fs";
 * import assert from "node:assert/strict";
 *
 * const path = await makeTempFile();
 * await writeTextFile(path, "12345");
 * const info = await stat(path);
 * assert.equal(info.isFile, true);
 * assert.equal(info.size, 5);
 * await remove(path);
 * ```
 */
export function stat(path: PathLike): Promise<FileInfo> {
  return plain("stat", path, () => backend.stat(path));
}

/**
 * File metadata, not following symlinks.
 *
 * @example
 * ```ts
 * import { lstat, makeTempDir, remove, symlink, writeTextFile } from "@evy/evy/green/fs";
 * import assert from "node:assert/strict";
 *
 * const dir = await makeTempDir();
 * await writeTextFile(`${dir}/target`, "x");
 * await symlink(`${dir}/target`, `${dir}/link`);
 * assert.equal((await lstat(`${dir}/link`)).isSymlink, true);
 * await remove(dir, { recursive: true });
 * ```
 */
export function lstat(path: PathLike): Promise<FileInfo> {
  return plain("lstat", path, () => backend.lstat(path));
}

/**
 * Creates a directory (`recursive`: with its parents, no error if present).
 *
 * @example
 * ```ts
 * import { makeTempDir, mkdir, remove, stat } from "@evy/evy/green/fs";
 * import assert from "node:assert/strict";
 *
 * const dir = await makeTempDir();
 * await mkdir(`${dir}/a/b/c`, { recursive: true });
 * assert.equal((await stat(`${dir}/a/b/c`)).isDirectory, true);
 * await remove(dir, { recursive: true });
 * ```
 */
export function mkdir(path: PathLike, options: MkdirOptions = {}): Promise<void> {
  return plain("mkdir", path, () => backend.mkdir(path, options));
}

/**
 * Removes a file or directory (`recursive`: with its contents).
 *
 * @example
 * ```ts
 * import { makeTempDir, remove, stat, writeTextFile } from "@evy/evy/green/fs";
 * import assert from "node:assert/strict";
 *
 * const dir = await makeTempDir();
 * await writeTextFile(`${dir}/f`, "x");
 * await remove(dir, { recursive: true });
 * await assert.rejects(stat(dir));
 * ```
 */
export function remove(path: PathLike, options: RemoveOptions = {}): Promise<void> {
  return plain("remove", path, () => backend.remove(path, options));
}

/**
 * Renames (moves) `oldpath` to `newpath`.
 *
 * @example
 * ```ts
 * import { makeTempDir, readTextFile, remove, rename, writeTextFile } from "@evy/evy/green/fs";
 * import assert from "node:assert/strict";
 *
 * const dir = await makeTempDir();
 * await writeTextFile(`${dir}/old`, "moved");
 * await rename(`${dir}/old`, `${dir}/new`);
 * assert.equal(await readTextFile(`${dir}/new`), "moved");
 * await remove(dir, { recursive: true });
 * ```
 */
export function rename(oldpath: PathLike, newpath: PathLike): Promise<void> {
  checkPath(newpath, "rename", "newpath");
  return plain("rename", oldpath, () => backend.rename(oldpath, newpath));
}

/**
 * Copies `fromPath` to `toPath`.
 *
 * @example
 * ```ts
 * import { copyFile, makeTempDir, readTextFile, remove, writeTextFile } from "@evy/evy/green/fs";
 * import assert from "node:assert/strict";
 *
 * const dir = await makeTempDir();
 * await writeTextFile(`${dir}/a`, "copy me");
 * await copyFile(`${dir}/a`, `${dir}/b`);
 * assert.equal(await readTextFile(`${dir}/b`), "copy me");
 * await remove(dir, { recursive: true });
 * ```
 */
export function copyFile(fromPath: PathLike, toPath: PathLike): Promise<void> {
  checkPath(toPath, "copyFile", "toPath");
  return plain("copyFile", fromPath, () => backend.copyFile(fromPath, toPath));
}

/**
 * Truncates (or extends) a file to `len` bytes (0 by default).
 *
 * @example
 * ```ts
 * import { makeTempFile, readTextFile, remove, truncate, writeTextFile } from "@evy/evy/green/fs";
 * import assert from "node:assert/strict";
 *
 * const path = await makeTempFile();
 * await writeTextFile(path, "hello world");
 * await truncate(path, 5);
 * assert.equal(await readTextFile(path), "hello");
 * await remove(path);
 * ```
 */
export function truncate(path: PathLike, len?: number): Promise<void> {
  return plain("truncate", path, () => backend.truncate(path, len));
}

/**
 * Creates a new empty temporary file; resolves with its path.
 *
 * @example
 * ```ts
 * import { makeTempFile, remove, stat } from "@evy/evy/green/fs";
 * import assert from "node:assert/strict";
 *
 * const path = await makeTempFile({ prefix: "evy-", suffix: ".txt" });
 * assert.match(path, /evy-.*\.txt$/);
 * assert.equal((await stat(path)).size, 0);
 * await remove(path);
 * ```
 */
export function makeTempFile(options: MakeTempOptions = {}): Promise<string> {
  return greenAwait(backend.makeTempFile(options), "makeTempFile()");
}

/**
 * Creates a new temporary directory; resolves with its path.
 *
 * @example
 * ```ts
 * import { makeTempDir, remove, stat } from "@evy/evy/green/fs";
 * import assert from "node:assert/strict";
 *
 * const dir = await makeTempDir({ prefix: "evy-" });
 * assert.equal((await stat(dir)).isDirectory, true);
 * await remove(dir);
 * ```
 */
export function makeTempDir(options: MakeTempOptions = {}): Promise<string> {
  return greenAwait(backend.makeTempDir(options), "makeTempDir()");
}

/**
 * The canonical absolute path (symlinks resolved).
 *
 * @example
 * ```ts
 * import { makeTempDir, realPath, remove, symlink, writeTextFile } from "@evy/evy/green/fs";
 * import assert from "node:assert/strict";
 *
 * const dir = await realPath(await makeTempDir());
 * await writeTextFile(`${dir}/target`, "x");
 * await symlink(`${dir}/target`, `${dir}/link`);
 * assert.equal(await realPath(`${dir}/link`), `${dir}/target`);
 * await remove(dir, { recursive: true });
 * ```
 */
export function realPath(path: PathLike): Promise<string> {
  return plain("realPath", path, () => backend.realPath(path));
}

/**
 * The target of a symbolic link.
 *
 * @example
 * ```ts
 * import { makeTempDir, readLink, remove, symlink } from "@evy/evy/green/fs";
 * import assert from "node:assert/strict";
 *
 * const dir = await makeTempDir();
 * await symlink("somewhere", `${dir}/link`);
 * assert.equal(await readLink(`${dir}/link`), "somewhere");
 * await remove(dir, { recursive: true });
 * ```
 */
export function readLink(path: PathLike): Promise<string> {
  return plain("readLink", path, () => backend.readLink(path));
}

/**
 * Creates a symbolic link at `newpath` pointing to `oldpath`.
 *
 * @example
 * ```ts
 * import { makeTempDir, readTextFile, remove, symlink, writeTextFile } from "@evy/evy/green/fs";
 * import assert from "node:assert/strict";
 *
 * const dir = await makeTempDir();
 * await writeTextFile(`${dir}/target`, "through the link");
 * await symlink(`${dir}/target`, `${dir}/link`);
 * assert.equal(await readTextFile(`${dir}/link`), "through the link");
 * await remove(dir, { recursive: true });
 * ```
 */
export function symlink(oldpath: PathLike, newpath: PathLike): Promise<void> {
  checkPath(oldpath, "symlink", "oldpath");
  return plain("symlink", newpath, () => backend.symlink(oldpath, newpath));
}

/**
 * Changes a file's permission bits.
 *
 * @example
 * ```ts
 * import { chmod, makeTempFile, remove, stat } from "@evy/evy/green/fs";
 * import assert from "node:assert/strict";
 *
 * const path = await makeTempFile();
 * await chmod(path, 0o600);
 * assert.equal((await stat(path)).mode! & 0o777, 0o600);
 * await remove(path);
 * ```
 */
export function chmod(path: PathLike, mode: number): Promise<void> {
  if (typeof mode !== "number") throw new TypeError("chmod: mode must be a number");
  return plain("chmod", path, () => backend.chmod(path, mode));
}
