/**
 * One backdoor session over a green socket: the optional secret, the banner,
 * then prompt, read a line, evaluate, print, until the client leaves. Telnet
 * works as a client (its option negotiation is dropped, `\r\n` endings are
 * taken and sent) and so does `nc`.
 *
 * @module
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { format, inspect } from "node:util";
import { getCurrent } from "../core/green_thread.ts";
import { interruptible } from "../core/suspend.ts";
import type { GreenSocket } from "../green/net.ts";
import { compileInput, sessionScope } from "./_repl_eval.ts";

/** The longest line a client may send, in bytes: a longer one ends the session. */
export const MAX_LINE = 1 << 20;

const IAC = 0xff;

/** The line without telnet commands (`IAC ...`) and without its line ending; `cancel` when it held Ctrl-C (`IAC IP`). */
function cleanLine(raw: Uint8Array): { text: string; cancel: boolean } {
  const bytes: number[] = [];
  let cancel = false;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (b !== IAC) {
      bytes.push(b);
      continue;
    }
    const cmd = raw[i + 1];
    if (cmd === IAC) bytes.push(IAC);
    if (cmd === 244) cancel = true; // IP: interrupt process
    if (cmd !== undefined && cmd >= 251 && cmd <= 254) i += 2; // WILL/WONT/DO/DONT <option>
    else if (cmd === 250) { // SB ... IAC SE
      const end = raw.indexOf(240, i + 2);
      i = end < 0 ? raw.length : end;
    } else i += 1;
  }
  const text = new TextDecoder().decode(new Uint8Array(bytes)).replace(/\r?\n$/, "").replace(/\r$/, "");
  return { text, cancel };
}

function sameSecret(given: string, secret: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(secret));
}

function formatError(error: unknown): string {
  if (error instanceof SyntaxError) return `${error.name}: ${error.message}`;
  return `Uncaught ${error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : inspect(error)}`;
}

/** A `console` whose output goes to the session (printed before the input's value), not the process's stdout. */
function sessionConsole(out: string[]): Pick<Console, "log" | "info" | "warn" | "error" | "debug" | "dir"> {
  const line = (...args: unknown[]): void => void out.push(format(...args));
  return { log: line, info: line, warn: line, error: line, debug: line, dir: (v: unknown) => line(inspect(v)) };
}

/** What a session needs from its server. */
export interface SessionOptions {
  readonly secret: string | undefined;
  readonly banner: string;
}

/**
 * Runs one session on `sock` with its own copy of `locals`; resolves when the
 * client leaves (or sends a line over {@linkcode MAX_LINE}). Closes `sock`.
 */
export async function runSession(
  sock: GreenSocket,
  locals: Record<string, unknown>,
  options: SessionOptions,
): Promise<void> {
  const file = sock.makefile();
  const write = async (text: string): Promise<void> => {
    await file.write(text.replace(/\r?\n/g, "\r\n"));
    await file.flush();
  };
  /** The next line, or undefined when the client left (a partial last line is dropped). */
  const readLine = async (): Promise<{ text: string; cancel: boolean } | undefined> => {
    const raw = await file.readline({ maxLength: MAX_LINE });
    if (raw.length === 0 || raw[raw.length - 1] !== 0x0a) {
      if (raw.length >= MAX_LINE) await write(`line longer than ${MAX_LINE} bytes: closing\n`);
      return undefined;
    }
    return cleanLine(raw);
  };
  try {
    if (options.secret !== undefined) {
      await write("secret: ");
      const line = await readLine();
      if (line === undefined) return;
      if (!sameSecret(line.text, options.secret)) {
        await write("wrong secret\n");
        return;
      }
    }
    await write(options.banner);
    const printed: string[] = [];
    const vars: Record<string, unknown> = { console: sessionConsole(printed), ...locals };
    const flushPrinted = (): string => printed.splice(0).map((l) => `${l}\n`).join("");
    const scope = sessionScope(vars);
    const self = getCurrent();
    let pending: string | undefined;
    for (;;) {
      await write(pending === undefined ? "> " : "... ");
      const line = await readLine();
      if (line === undefined) return;
      if (line.cancel) {
        pending = undefined;
        await write("(input cancelled)\n");
        continue;
      }
      if (pending === undefined && (line.text.trim() === ".exit" || line.text === "\x04")) return;
      const input = pending === undefined ? line.text : `${pending}\n${line.text}`;
      if (input.trim() === "") continue;
      const compiled = compileInput(input);
      pending = compiled.kind === "incomplete" ? input : undefined;
      if (compiled.kind === "incomplete") continue;
      if (compiled.kind === "error") {
        await write(`${formatError(compiled.error)}\n`);
        continue;
      }
      try {
        // A green wait, so that ending the session interrupts an input that awaits forever.
        const value = await interruptible(compiled.run(scope), "backdoor input");
        vars._ = value;
        await write(`${flushPrinted()}${inspect(value, { colors: false, depth: 4 })}\n`);
      } catch (error) {
        if (self.signal.aborted) throw error; // the session itself is being ended
        await write(`${flushPrinted()}${formatError(error)}\n`);
      }
    }
  } finally {
    sock.close();
  }
}
