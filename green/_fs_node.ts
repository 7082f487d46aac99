/**
 * The Node fs backend: `node:fs/promises`, shaped as Deno's fs API (FileInfo,
 * DirEntry, temp files). The built-ins are loaded on first use, through
 * `nodeBuiltin` (so importing green fs costs no Node module, and the preload's
 * `node:fs/promises` redirection never reaches them: they are the real ones).
 *
 * @module
 */
import type { Stats } from "node:fs";
import { nodeBuiltin } from "../hubs/runtime.ts";
import type { FileInfo, FsBackend, MakeTempOptions, OpenOptions, RawFile, WriteFileOptions } from "./_fs_backend.ts";

type Fsp = typeof import("node:fs/promises");
let fspModule: Fsp | undefined;
const fsp = (): Fsp => fspModule ??= nodeBuiltin<Fsp>("node:fs/promises");
const fsConstants = (): typeof import("node:fs").constants =>
  nodeBuiltin<typeof import("node:fs")>("node:fs").constants;

function info(s: Stats): FileInfo {
  return {
    isFile: s.isFile(),
    isDirectory: s.isDirectory(),
    isSymlink: s.isSymbolicLink(),
    size: s.size,
    mtime: s.mtime,
    atime: s.atime,
    birthtime: s.birthtime,
    dev: s.dev,
    ino: s.ino,
    mode: s.mode,
    nlink: s.nlink,
    uid: s.uid,
    gid: s.gid,
  };
}

function flags(o: OpenOptions): number {
  const { read = false, write = false, append = false, truncate = false, create = false, createNew = false } = o;
  const noneSet = !read && !write && !append;
  let f = (write || append)
    ? (read || noneSet ? fsConstants().O_RDWR : fsConstants().O_WRONLY)
    : fsConstants().O_RDONLY;
  if (append) f |= fsConstants().O_APPEND;
  if (truncate) f |= fsConstants().O_TRUNC;
  if (createNew) f |= fsConstants().O_CREAT | fsConstants().O_EXCL;
  else if (create) f |= fsConstants().O_CREAT;
  return f;
}

async function writeAny(path: string | URL, data: Uint8Array | string, o: WriteFileOptions): Promise<void> {
  const append = o.append ?? false;
  const how = { write: true, append, truncate: !append, create: o.create ?? true, createNew: o.createNew ?? false };
  const fh = await fsp().open(path, flags(how), o.mode ?? 0o666);
  try {
    await fh.writeFile(data, { signal: o.signal });
  } finally {
    await fh.close();
  }
}

function tempName(o: MakeTempOptions): string {
  return nodeBuiltin<typeof import("node:path")>("node:path").join(
    o.dir ?? nodeBuiltin<typeof import("node:os")>("node:os").tmpdir(),
    `${o.prefix ?? ""}${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}${o.suffix ?? ""}`,
  );
}

const WHENCE = ["start", "current", "end"] as const;

/** The Node implementation of {@linkcode FsBackend}. */
export const fsBackend: FsBackend = {
  readFile: async (path, signal) => new Uint8Array(await fsp().readFile(path, { signal })),
  readTextFile: (path, signal) => fsp().readFile(path, { encoding: "utf8", signal }),
  writeFile: (path, data, options) => writeAny(path, data, options),
  writeTextFile: (path, data, options) => writeAny(path, data, options),
  async open(path, options): Promise<RawFile> {
    const fh = await fsp().open(path, flags(options), options.mode);
    let position = 0;
    return {
      async read(p) {
        const { bytesRead } = await fh.read(p, 0, p.length, position);
        position += bytesRead;
        return bytesRead === 0 && p.length > 0 ? null : bytesRead;
      },
      async write(p) {
        const { bytesWritten } = await fh.write(p, 0, p.length, options.append ? null : position);
        position = options.append ? (await fh.stat()).size : position + bytesWritten;
        return bytesWritten;
      },
      async seek(offset, whence) {
        const base = WHENCE[whence] === "start" ? 0 : WHENCE[whence] === "current" ? position : (await fh.stat()).size;
        position = base + offset;
        return position;
      },
      stat: async () => info(await fh.stat()),
      truncate: (len) => fh.truncate(len ?? 0),
      sync: () => fh.sync(),
      close: () => void fh.close().catch(() => {}),
    };
  },
  async readDir(path) {
    const entries = await fsp().readdir(path, { withFileTypes: true });
    return entries.map((e) => ({
      name: e.name,
      isFile: e.isFile(),
      isDirectory: e.isDirectory(),
      isSymlink: e.isSymbolicLink(),
    }));
  },
  stat: async (path) => info(await fsp().stat(path)),
  lstat: async (path) => info(await fsp().lstat(path)),
  mkdir: async (path, o) => void await fsp().mkdir(path, { recursive: o.recursive ?? false, mode: o.mode ?? 0o777 }),
  remove: (path, o) => fsp().rm(path, { recursive: o.recursive ?? false }),
  rename: (from, to) => fsp().rename(from, to),
  copyFile: (from, to) => fsp().copyFile(from, to),
  truncate: (path, len) => fsp().truncate(path, len ?? 0),
  async makeTempFile(o) {
    const path = tempName(o);
    await fsp().writeFile(path, "", { flag: "wx", mode: 0o600 });
    return path;
  },
  async makeTempDir(o) {
    const path = tempName(o);
    await fsp().mkdir(path, { mode: 0o700 });
    return path;
  },
  realPath: (path) => fsp().realpath(path),
  readLink: (path) => fsp().readlink(path),
  symlink: (target, path) => fsp().symlink(target, path),
  chmod: (path, mode) => fsp().chmod(path, mode),
};
