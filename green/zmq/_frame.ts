/**
 * ZMTP 3.x framing (RFC 23): a flags byte (bit 0 MORE, bit 1 LONG, bit 2
 * COMMAND, the others zero), then the body size in 1 byte or, with LONG, 8
 * bytes big-endian, then the body. Internal.
 *
 * The encoder packs many messages into few buffers (one write for a batch of
 * small messages, large bodies passed through uncopied); the decoder takes the
 * stream in whatever chunks the socket gives and hands out bodies as views of
 * those chunks when they fit in one.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { ZmqError } from "./zmq_error.ts";

/** Flag: more frames of this message follow. */
export const MORE = 1;
/** Flag: the size is 8 bytes. */
export const LONG = 2;
/** Flag: a command frame. */
export const COMMAND = 4;

/** Bodies at least this big are written as their own chunk instead of copied into the batch. */
const PASS_THROUGH = 32768;

/** The size of `frames` on the wire. */
export function wireSize(frames: readonly Uint8Array[]): number {
  let n = 0;
  for (const f of frames) n += f.length + (f.length > 255 ? 9 : 2);
  return n;
}

function writeHeader(out: Uint8Array, at: number, flags: number, size: number): number {
  if (size > 255) {
    out[at] = flags | LONG;
    const view = new DataView(out.buffer, out.byteOffset + at + 1, 8);
    view.setUint32(0, Math.floor(size / 0x100000000));
    view.setUint32(4, size >>> 0);
    return at + 9;
  }
  out[at] = flags;
  out[at + 1] = size;
  return at + 2;
}

/**
 * Encodes messages (each a list of frames; a bare `Uint8Array` is bytes
 * already encoded, written as they are) as a few chunks to write in order.
 * `command` marks every frame a command frame.
 */
export function encodeMessages(
  messages: readonly (readonly Uint8Array[] | Uint8Array)[],
  command = false,
): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (const m of messages) {
    if (!Array.isArray(m)) continue;
    for (const f of m as readonly Uint8Array[]) {
      size += (f.length > 255 ? 9 : 2) + (f.length >= PASS_THROUGH ? 0 : f.length);
    }
  }
  let out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const m of messages) {
    if (!Array.isArray(m)) {
      if (at > 0) chunks.push(out.subarray(0, at));
      out = out.subarray(at);
      at = 0;
      chunks.push(m as Uint8Array);
      continue;
    }
    const frames = m as readonly Uint8Array[];
    const last = frames.length - 1;
    for (let i = 0; i <= last; i++) {
      const body = frames[i]!;
      const flags = (i < last ? MORE : 0) | (command ? COMMAND : 0);
      at = writeHeader(out, at, flags, body.length);
      if (body.length >= PASS_THROUGH) {
        chunks.push(out.subarray(0, at), body);
        out = out.subarray(at);
        at = 0;
      } else {
        out.set(body, at);
        at += body.length;
      }
    }
  }
  if (at > 0) chunks.push(out.subarray(0, at));
  return chunks;
}

/** Receives decoded frames. */
export type FrameSink = (flags: number, body: Uint8Array) => void;

/**
 * A streaming frame decoder. `feed` each chunk read; frames go to the sink in
 * order. Throws a {@linkcode ZmqError} (`EPROTO`, `EMSGSIZE`) on a malformed
 * or oversized frame: the connection is then beyond repair.
 */
export class FrameDecoder {
  #sink: FrameSink;
  #maxFrame: number;
  #head = new Uint8Array(9);
  #headLen = 0;
  #flags = 0;
  #parts: Uint8Array[] | undefined; // a body that spans chunks
  #have = 0;
  #size = 0;

  /** `maxFrame`: the largest body accepted. */
  constructor(maxFrame: number, sink: FrameSink) {
    this.#maxFrame = maxFrame;
    this.#sink = sink;
  }

  /** Decodes `chunk`. */
  feed(chunk: Uint8Array): void {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.#parts !== undefined) {
        const take = Math.min(this.#size - this.#have, n - i);
        this.#parts.push(chunk.subarray(i, i + take));
        this.#have += take;
        i += take;
        if (this.#have === this.#size) this.#emitParts();
        continue;
      }
      let size: number;
      if (this.#headLen === 0 && n - i >= 2 && (chunk[i]! & LONG) === 0) {
        this.#flags = this.#checkFlags(chunk[i]!);
        size = chunk[i + 1]!;
        i += 2;
      } else if (this.#headLen === 0 && n - i >= 9) {
        this.#flags = this.#checkFlags(chunk[i]!);
        size = this.#longSize(chunk, i + 1);
        i += 9;
      } else {
        // A header split across chunks: gather it byte by byte.
        const head = this.#head;
        head[this.#headLen++] = chunk[i++]!;
        if (this.#headLen === 1) this.#checkFlags(head[0]!);
        const want = (head[0]! & LONG) !== 0 ? 9 : 2;
        if (this.#headLen < want) continue;
        this.#flags = head[0]!;
        size = want === 2 ? head[1]! : this.#longSize(head, 1);
        this.#headLen = 0;
      }
      if (size > this.#maxFrame) {
        throw new ZmqError("EMSGSIZE", `ZMTP: the peer sent a ${size}-byte frame (limit ${this.#maxFrame})`);
      }
      if (n - i >= size) {
        this.#sink(this.#flags, chunk.subarray(i, i + size));
        i += size;
      } else {
        this.#size = size;
        this.#have = n - i;
        this.#parts = [chunk.subarray(i)];
        i = n;
      }
    }
  }

  #checkFlags(flags: number): number {
    if ((flags & 0xf8) !== 0) {
      throw new ZmqError("EPROTO", `ZMTP: malformed frame (flags byte 0x${flags.toString(16)})`);
    }
    if ((flags & (COMMAND | MORE)) === (COMMAND | MORE)) {
      throw new ZmqError("EPROTO", "ZMTP: malformed frame (a command with the MORE flag)");
    }
    return flags;
  }

  #longSize(bytes: Uint8Array, at: number): number {
    const view = new DataView(bytes.buffer, bytes.byteOffset + at, 8);
    const hi = view.getUint32(0);
    if (hi >= 0x200000) throw new ZmqError("EMSGSIZE", "ZMTP: the peer sent a frame size beyond 2^53");
    return hi * 0x100000000 + view.getUint32(4);
  }

  #emitParts(): void {
    const parts = this.#parts!;
    this.#parts = undefined;
    const body = Buffer.allocUnsafe(this.#size);
    let at = 0;
    for (const p of parts) {
      body.set(p, at);
      at += p.length;
    }
    this.#sink(this.#flags, body);
  }
}
