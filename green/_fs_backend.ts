/**
 * The contract between `green/fs.ts` and its runtime backends
 * (`_fs_deno.ts` on `Deno.*`, `_fs_node.ts` on `node:fs/promises`): Deno's
 * async fs shapes, which green/fs exposes.
 *
 * @module
 */

/** File metadata, as Deno's `stat` returns it (a structural subset of its `FileInfo`). */
export interface FileInfo {
  /** A regular file. */
  isFile: boolean;
  /** A directory. */
  isDirectory: boolean;
  /** A symbolic link (only from `lstat`). */
  isSymlink: boolean;
  /** Size in bytes. */
  size: number;
  /** Last modification time, when known. */
  mtime: Date | null;
  /** Last access time, when known. */
  atime: Date | null;
  /** Creation time, when known. */
  birthtime: Date | null;
  /** Device id. */
  dev: number;
  /** Inode number (Unix), else null. */
  ino: number | null;
  /** Permission bits and file type (Unix), else null. */
  mode: number | null;
  /** Number of hard links (Unix), else null. */
  nlink: number | null;
  /** Owner user id (Unix), else null. */
  uid: number | null;
  /** Owner group id (Unix), else null. */
  gid: number | null;
}

/** One entry of a directory listing, as Deno's `readDir` yields it. */
export interface DirEntry {
  /** The entry's file name. */
  name: string;
  /** A regular file. */
  isFile: boolean;
  /** A directory. */
  isDirectory: boolean;
  /** A symbolic link. */
  isSymlink: boolean;
}

/** Options of `readFile`/`readTextFile`. */
export interface ReadFileOptions {
  /** Aborts the read (merged with the thread's kill and Timeout signals). */
  signal?: AbortSignal;
}

/** Options of `writeFile`/`writeTextFile`, as Deno's. */
export interface WriteFileOptions {
  /** Append instead of truncating. @default false */
  append?: boolean;
  /** Create the file if missing. @default true */
  create?: boolean;
  /** Fail if the file exists. @default false */
  createNew?: boolean;
  /** Permission bits of a created file. */
  mode?: number;
  /** Aborts the write (merged with the thread's kill and Timeout signals). */
  signal?: AbortSignal;
}

/** Options of `open`, as Deno's. */
export interface OpenOptions {
  /** Open for reading. @default true when nothing else is set */
  read?: boolean;
  /** Open for writing. */
  write?: boolean;
  /** Append on each write. */
  append?: boolean;
  /** Truncate on open. */
  truncate?: boolean;
  /** Create if missing (needs write or append). */
  create?: boolean;
  /** Create, failing if it exists. */
  createNew?: boolean;
  /** Permission bits of a created file. */
  mode?: number;
}

/** Options of `mkdir`. */
export interface MkdirOptions {
  /** Create missing parents; no error if it exists. @default false */
  recursive?: boolean;
  /** Permission bits. */
  mode?: number;
}

/** Options of `remove`. */
export interface RemoveOptions {
  /** Remove a non-empty directory with its contents. @default false */
  recursive?: boolean;
}

/** Options of `makeTempFile`/`makeTempDir`. */
export interface MakeTempOptions {
  /** The directory to create it in. @default the system's temp dir */
  dir?: string;
  /** Name prefix. */
  prefix?: string;
  /** Name suffix. */
  suffix?: string;
}

/** Where `seek` counts from: 0 start, 1 current, 2 end (Deno's `SeekMode`). */
export type SeekWhence = 0 | 1 | 2;

/** An open file, as a backend returns it. */
export interface RawFile {
  read(p: Uint8Array): Promise<number | null>;
  write(p: Uint8Array): Promise<number>;
  seek(offset: number, whence: SeekWhence): Promise<number>;
  stat(): Promise<FileInfo>;
  truncate(len?: number): Promise<void>;
  sync(): Promise<void>;
  close(): void;
}

/** A path as the fs functions take it. */
export type PathLike = string | URL;

/** What a runtime backend provides. */
export interface FsBackend {
  readFile(path: PathLike, signal: AbortSignal | undefined): Promise<Uint8Array>;
  readTextFile(path: PathLike, signal: AbortSignal | undefined): Promise<string>;
  writeFile(path: PathLike, data: Uint8Array, options: WriteFileOptions): Promise<void>;
  writeTextFile(path: PathLike, data: string, options: WriteFileOptions): Promise<void>;
  open(path: PathLike, options: OpenOptions): Promise<RawFile>;
  readDir(path: PathLike): Promise<DirEntry[]>;
  stat(path: PathLike): Promise<FileInfo>;
  lstat(path: PathLike): Promise<FileInfo>;
  mkdir(path: PathLike, options: MkdirOptions): Promise<void>;
  remove(path: PathLike, options: RemoveOptions): Promise<void>;
  rename(from: PathLike, to: PathLike): Promise<void>;
  copyFile(from: PathLike, to: PathLike): Promise<void>;
  truncate(path: PathLike, len: number | undefined): Promise<void>;
  makeTempFile(options: MakeTempOptions): Promise<string>;
  makeTempDir(options: MakeTempOptions): Promise<string>;
  realPath(path: PathLike): Promise<string>;
  readLink(path: PathLike): Promise<string>;
  symlink(target: PathLike, path: PathLike): Promise<void>;
  chmod(path: PathLike, mode: number): Promise<void>;
}
