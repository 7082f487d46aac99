/**
 * Line and length reads over any chunk source with put-back (`recv(n)` and
 * `[unread](bytes)`), the algorithm under a pipe reader's `readline`, `read`
 * and `readExactly`: bytes read past a line end go back to the source, and so
 * do the bytes of a read interrupted half-way (kill, Timeout), so the next
 * read sees them and nothing is lost. Internal.
 *
 * @module
 */
import { unread } from "./_net_internal.ts";

/** What the reads need of a source: chunks (empty at end of stream) and put-back. */
export interface ChunkSource {
  recv(maxBytes: number): Promise<Uint8Array>;
  [unread](bytes: Uint8Array): void;
}

const NL = 10;
const CHUNK = 65536;

/** Joins `parts` (their lengths sum to `total`). */
export function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** One line with its `\n` (at most `max` bytes); at end of stream what is left, empty when nothing is. */
export async function readLine(src: ChunkSource, max: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < max) {
      const chunk = await src.recv(Math.min(max - total, CHUNK));
      if (chunk.length === 0) break;
      const nl = chunk.indexOf(NL);
      if (nl >= 0) {
        src[unread](chunk.subarray(nl + 1));
        parts.push(chunk.subarray(0, nl + 1));
        total += nl + 1;
        break;
      }
      parts.push(chunk);
      total += chunk.length;
    }
  } catch (error) {
    if (total > 0) src[unread](concat(parts, total)); // interrupted mid-line: the partial line stays readable
    throw error;
  }
  return concat(parts, total);
}

/** Up to `want` bytes (`Infinity`: to the end of the stream), fewer only at end of stream. */
export async function readBytes(src: ChunkSource, want: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < want) {
      const chunk = await src.recv(Math.min(want - total, CHUNK));
      if (chunk.length === 0) break;
      parts.push(chunk);
      total += chunk.length;
    }
  } catch (error) {
    if (total > 0) src[unread](concat(parts, total)); // interrupted: what came stays readable
    throw error;
  }
  return concat(parts, total);
}

/** `line` decoded, without its line ending (`\n` or `\r\n`). */
export function stripLine(line: Uint8Array, decoder: TextDecoder): string {
  let end = line.length - (line[line.length - 1] === NL ? 1 : 0);
  if (end > 0 && line[end - 1] === 13) end--;
  return decoder.decode(line.subarray(0, end));
}
