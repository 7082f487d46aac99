/**
 * `FsFile`: the green file `open()` from `@evy/evy/green/fs` returns, with
 * `Deno.FsFile`'s async shape (`read`, `write`, `seek`, `stat`, `truncate`,
 * `sync`, `close`, `readable`, `writable`, `using`).
 *
 * Every call is a green wait that kill and Timeout interrupt and the hub lists
 * (`read(/tmp/fifo)`). Runtime file reads take no signal, so an interrupted
 * read is abandoned, not stopped: at most one read op is outstanding per
 * file, and the next `read` joins it, so no bytes are lost (what is more than
 * the next buffer holds is kept for the read after). A cancelled write may
 * still complete; later writes queue behind it so the order holds.
 *
 * @module
 */
import type { FileInfo, RawFile, SeekWhence } from "./_fs_backend.ts";
import { greenAwait } from "./_green_io.ts";

type ReadResult = { chunk: Uint8Array | null } | { error: unknown };

/** A green open file; made by `open()`/`create()` of `@evy/evy/green/fs`. */
export class FsFile implements Disposable, AsyncDisposable {
  #raw: RawFile;
  #label: string;
  #pendingRead: Promise<ReadResult> | undefined;
  #stash: Uint8Array | undefined;
  #writes: Promise<unknown> = Promise.resolve();
  #closed = false;
  #readable: ReadableStream<Uint8Array> | undefined;
  #writable: WritableStream<Uint8Array> | undefined;

  /** @internal Made by `open()`; wraps a backend's file. */
  constructor(raw: RawFile, label: string) {
    this.#raw = raw;
    this.#label = label;
  }

  #check(op: string): void {
    if (this.#closed) throw new Error(`Cannot ${op} ${this.#label}: the file is closed`);
  }

  /**
   * Reads into `p`; resolves with the number of bytes read, or `null` at end
   * of file. A green wait (see the module doc for interrupted reads).
   */
  async read(p: Uint8Array): Promise<number | null> {
    this.#check("read");
    if (p.length === 0) return 0;
    let chunk = this.#stash;
    this.#stash = undefined;
    if (chunk === undefined) {
      const buf = new Uint8Array(p.length);
      const pending = this.#pendingRead ??= this.#raw.read(buf).then(
        (n): ReadResult => n === null ? { chunk: null } : { chunk: buf.subarray(0, n) },
        (error): ReadResult => ({ error }),
      );
      // Rejects only when interrupted: the op stays pending for the next read to join.
      const result = await greenAwait(pending, `read(${this.#label})`);
      if (this.#pendingRead === pending) this.#pendingRead = undefined;
      if ("error" in result) throw result.error;
      if (result.chunk === null) return null;
      chunk = result.chunk;
    }
    const n = Math.min(p.length, chunk.length);
    p.set(chunk.subarray(0, n));
    if (n < chunk.length) this.#stash = chunk.subarray(n);
    return n;
  }

  /** Writes `p` (or part of it); resolves with the number of bytes written. A green wait. */
  write(p: Uint8Array): Promise<number> {
    this.#check("write");
    const op = this.#writes.then(() => this.#raw.write(p));
    this.#writes = op.catch(() => {});
    return greenAwait(op, `write(${this.#label})`);
  }

  /** Moves the file position; resolves with the new one. `whence` 0 start, 1 current, 2 end. */
  seek(offset: number, whence: SeekWhence): Promise<number> {
    this.#check("seek");
    this.#stash = undefined;
    return greenAwait(this.#raw.seek(offset, whence), `seek(${this.#label})`);
  }

  /** The file's metadata. */
  stat(): Promise<FileInfo> {
    this.#check("stat");
    return greenAwait(this.#raw.stat(), `stat(${this.#label})`);
  }

  /** Truncates (or extends) the file to `len` bytes (0 by default). */
  truncate(len?: number): Promise<void> {
    this.#check("truncate");
    return greenAwait(this.#raw.truncate(len), `truncate(${this.#label})`);
  }

  /** Flushes data and metadata to disk. */
  sync(): Promise<void> {
    this.#check("sync");
    return greenAwait(this.#raw.sync(), `sync(${this.#label})`);
  }

  /** Closes the file; a pending read is ended by the runtime. Closing twice is a no-op. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#raw.close();
  }

  /** A stream of the file's bytes from the current position; closes the file at the end. */
  get readable(): ReadableStream<Uint8Array> {
    return this.#readable ??= new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        const buf = new Uint8Array(16 * 1024);
        const n = await this.read(buf);
        if (n === null) {
          this.close();
          controller.close();
        } else controller.enqueue(buf.subarray(0, n));
      },
      cancel: () => this.close(),
    }, { highWaterMark: 0 });
  }

  /** A stream that writes its chunks to the file; closes the file when the stream closes. */
  get writable(): WritableStream<Uint8Array> {
    return this.#writable ??= new WritableStream<Uint8Array>({
      write: async (chunk) => {
        for (let off = 0; off < chunk.length;) off += await this.write(chunk.subarray(off));
      },
      close: () => this.close(),
      abort: () => this.close(),
    });
  }

  /** Closes the file at the end of a `using` scope. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** Closes the file at the end of an `await using` scope. */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }
}
