/** Runs `examples/<name>` to completion as a subprocess and returns its exit code and output lines. */
export async function runExample(name: string): Promise<{ code: number; lines: string[]; stderr: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(`../../examples/${name}`, import.meta.url).pathname],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { code, lines: text.decode(stdout).trimEnd().split("\n"), stderr: text.decode(stderr) };
}
