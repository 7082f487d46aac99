/**
 * Runs the test suite under Node against the built npm package
 * (`deno task test:node`): builds `npm/` with its runtime-neutral tests
 * (scripts/build_npm.ts `--tests`; which tests are Deno-only is decided by the
 * rule in scripts/_node_tests.ts), lists the Deno-only files with the reason,
 * then runs `node --test` on the built `*_test.js` files. Uses of APIs that
 * Node 20 lacks (`Promise.withResolvers`) in the built tests are listed and
 * fail the run even where no test reaches them. The hub there is the
 * Node hub, chosen by `hubs/mod.ts` (no global `Deno` exists in those files).
 *
 * Usage: `deno run -A scripts/test_node.ts [--node <path>] [<substring>...]`;
 * substrings keep only the test files whose path contains one of them.
 * The exit code is node's.
 *
 * @module
 */
import { join } from "node:path";
import process from "node:process";
import { buildNpm } from "./build_npm.ts";

if (import.meta.main) {
  const args = process.argv.slice(2);
  const nodeFlag = args.indexOf("--node");
  const node = nodeFlag === -1 ? "node" : args[nodeFlag + 1]!;
  const filters = args.filter((_a, i) => nodeFlag === -1 || (i !== nodeFlag && i !== nodeFlag + 1));

  const { outDir, tests } = buildNpm({ tests: true });
  for (const { file, reason } of tests!.excluded) {
    console.log(`test_node: Deno-only, not run on Node: ${file} (${reason})`);
  }
  const tooNew = tests!.tooNew ?? [];
  for (const use of tooNew) console.error(`test_node: uses an API newer than Node 20: ${use}`);
  const files = tests!.run.filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
  if (files.length === 0) {
    console.error("test_node: no test files to run");
    process.exit(1);
  }
  const version = new Deno.Command(node, { args: ["--version"] }).outputSync();
  console.log(
    `test_node: ${files.length} files on Node ${new TextDecoder().decode(version.stdout).trim()} from ${outDir}`,
  );
  const run = new Deno.Command(node, {
    args: ["--test", "--test-reporter=spec", "--test-timeout=120000", ...files],
    cwd: outDir,
    env: { NODE_ENV: "test", NODE_OPTIONS: "--enable-source-maps" },
    stdout: "inherit",
    stderr: "inherit",
  }).outputSync();
  console.log(`test_node: node --test exited with ${run.code} (built tests are in ${join(outDir, "tests")})`);
  if (run.code === 0 && tooNew.length > 0) {
    console.error("test_node: failing: test files use APIs that Node 20 lacks (listed above)");
    process.exit(1);
  }
  process.exit(run.code);
}
