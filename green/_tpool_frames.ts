/**
 * Length-prefixed `node:v8` frames, the wire format of process isolation:
 * each message is a 4-byte big-endian length, then `v8.serialize(msg)` (the
 * structured-clone format, so a child process gets what a worker would).
 *
 * @module
 */
import { deserialize, serialize } from "node:v8";

/** One message as a frame. Throws when `msg` cannot be serialized. */
export function encodeFrame(msg: unknown): Uint8Array {
  const body = serialize(msg);
  const frame = new Uint8Array(4 + body.length);
  new DataView(frame.buffer).setUint32(0, body.length);
  frame.set(body, 4);
  return frame;
}

/** Collects chunks and calls `onMessage` for each complete frame, in order. */
export function frameReader(onMessage: (msg: unknown) => void): (chunk: Uint8Array) => void {
  let pending = new Uint8Array(0);
  return (chunk) => {
    let buf = pending.length === 0 ? chunk : concat(pending, chunk);
    while (buf.length >= 4) {
      const size = new DataView(buf.buffer, buf.byteOffset, 4).getUint32(0);
      if (buf.length < 4 + size) break;
      const body = buf.subarray(4, 4 + size);
      buf = buf.subarray(4 + size);
      onMessage(deserialize(body));
    }
    pending = buf.length === 0 ? new Uint8Array(0) : buf.slice();
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
