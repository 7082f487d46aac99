/**
 * Runs an example as a subprocess, waits for the line that gives its port,
 * collects its output, and stops it (SIGTERM to that child only).
 */
import { TextLineStream } from "./_text_line_stream.ts";

export interface ExampleProcess extends AsyncDisposable {
  /** The port the example printed. */
  port: number;
  /** Every stdout line so far. */
  lines: string[];
  /** Its stderr so far (the access log): collected, so the test run's output stays clean. */
  readonly stderr: string;
  /** Resolves once a line matching `pattern` was printed. */
  waitFor(pattern: RegExp): Promise<string>;
}

/** Starts `examples/<name>` with `args`; `portLine` must capture the port in group 1. */
export async function startExample(name: string, args: string[], portLine: RegExp): Promise<ExampleProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(`../../examples/${name}`, import.meta.url).pathname, ...args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  const drainErr = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) stderr += chunk;
  })();
  const lines: string[] = [];
  const watchers: { pattern: RegExp; resolve(line: string): void }[] = [];
  const pump = (async () => {
    for await (const line of child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(new TextLineStream())) {
      lines.push(line);
      for (const w of [...watchers]) {
        if (w.pattern.test(line)) {
          watchers.splice(watchers.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  })();
  const waitFor = (pattern: RegExp): Promise<string> => {
    const seen = lines.find((l) => pattern.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      watchers.push({ pattern, resolve });
      pump.then(() =>
        reject(new Error(`${name} exited before printing ${pattern}; output:\n${lines.join("\n")}\n${stderr}`))
      );
    });
  };
  const stop = async (): Promise<void> => {
    try {
      child.kill("SIGTERM");
    } catch {
      // already exited
    }
    await child.status;
    await pump;
    await drainErr;
  };
  try {
    const first = await waitFor(portLine);
    return {
      port: Number(portLine.exec(first)![1]),
      lines,
      get stderr(): string {
        return stderr;
      },
      waitFor,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
