/**
 * Stack frames as the tools show them: the caller's own code, without evy's
 * frames (its core, hubs, green, web, db and tools files) or the runtime's.
 *
 * @module
 */

const ROOT = new URL("../", import.meta.url).href;
const OWN = ["core/", "hubs/", "green/", "web/", "db/", "tools/"].map((dir) => ROOT + dir);

/** The frame (`fn (file:line:col)`, without `at `) of one stack line, or undefined when it is evy's or the runtime's. */
function ownFrame(line: string): string | undefined {
  const frame = line.trim().replace(/^at (async )?/, "");
  // (A doc example's virtual file, `tools/debug.ts#12-20.ts`, is the caller's code, not evy's.)
  const evy = OWN.some((dir) => frame.includes(dir)) && !/\.[jt]s#/.test(frame);
  if (evy || /\b(node|ext):/.test(frame) || !frame.includes(":")) return undefined;
  return frame;
}

/** The first frame of `stack` outside evy and the runtime. */
export function userFrame(stack: string | undefined): string | undefined {
  if (stack === undefined) return undefined;
  for (const line of stack.split("\n").slice(1)) {
    const frame = ownFrame(line);
    if (frame !== undefined) return frame;
  }
  return undefined;
}

/** The frames of `stack` outside evy and the runtime, each as `at ...` (its `Error:` header dropped). */
export function userFrames(stack: string | undefined): string[] {
  if (stack === undefined) return [];
  return stack.split("\n").slice(1).filter((line) => ownFrame(line) !== undefined).map((line) => line.trim());
}
