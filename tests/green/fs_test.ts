import assert from "node:assert/strict";
import { GreenletExit, sleep, spawn, Timeout } from "@evy/evy";
import { getHub } from "@evy/evy/hubs";
import * as fs from "@evy/evy/green/fs";

async function mkfifo(dir: string): Promise<string> {
  const path = `${dir}/fifo`;
  const { code } = await new Deno.Command("mkfifo", { args: [path] }).output();
  assert.equal(code, 0);
  return path;
}

/** Opens the FIFO for writing (which unblocks a reader's open), writes `text`, closes. */
async function feedFifo(path: string, text = ""): Promise<void> {
  const w = await Deno.open(path, { write: true });
  if (text) await w.write(new TextEncoder().encode(text));
  w.close();
}

const hasMkfifo = (() => {
  try {
    return new Deno.Command("mkfifo", { args: ["--version"] }).outputSync().code === 0;
  } catch {
    return false;
  }
})();
if (!hasMkfifo) console.error("fs_test: mkfifo is not available: the FIFO tests are ignored");

Deno.test("green fs: write, read, stat, readDir, rename, copy, truncate, remove", async () => {
  const dir = await fs.makeTempDir({ prefix: "evy-fs-" });
  try {
    await fs.writeTextFile(`${dir}/a.txt`, "hello");
    await fs.writeTextFile(`${dir}/a.txt`, " world", { append: true });
    assert.equal(await fs.readTextFile(`${dir}/a.txt`), "hello world");
    await fs.writeFile(`${dir}/b.bin`, new Uint8Array([1, 2, 3]));
    assert.deepEqual(await fs.readFile(new URL(`file://${dir}/b.bin`)), new Uint8Array([1, 2, 3]));
    const info = await fs.stat(`${dir}/a.txt`);
    assert.equal(info.isFile, true);
    assert.equal(info.size, 11);
    await fs.mkdir(`${dir}/sub/deeper`, { recursive: true });
    assert.equal((await fs.lstat(`${dir}/sub`)).isDirectory, true);
    await fs.rename(`${dir}/b.bin`, `${dir}/sub/b.bin`);
    await fs.copyFile(`${dir}/a.txt`, `${dir}/sub/a.txt`);
    await fs.truncate(`${dir}/sub/a.txt`, 5);
    assert.equal(await fs.readTextFile(`${dir}/sub/a.txt`), "hello");
    await fs.symlink(`${dir}/a.txt`, `${dir}/link`);
    assert.equal(await fs.readLink(`${dir}/link`), `${dir}/a.txt`);
    assert.equal((await fs.lstat(`${dir}/link`)).isSymlink, true);
    const names: string[] = [];
    for await (const e of fs.readDir(dir)) names.push(e.name);
    assert.deepEqual(names.sort(), ["a.txt", "link", "sub"]);
    await assert.rejects(fs.writeTextFile(`${dir}/a.txt`, "x", { createNew: true }), Deno.errors.AlreadyExists);
  } finally {
    await fs.remove(dir, { recursive: true });
  }
  await assert.rejects(fs.stat(dir), Deno.errors.NotFound);
});

Deno.test("green fs: bad arguments are TypeErrors naming them", () => {
  assert.throws(() => fs.readFile(42 as unknown as string), /readFile: path/);
  assert.throws(() => fs.writeTextFile("/tmp/x", 1 as unknown as string), /data/);
  assert.throws(() => fs.rename("/tmp/x", null as unknown as string), /newpath/);
});

Deno.test("green FsFile: read, write, seek, stat, streams", async () => {
  const path = await fs.makeTempFile();
  try {
    {
      await using f = await fs.create(path);
      assert.equal(await f.write(new TextEncoder().encode("0123456789")), 10);
      assert.equal(await f.seek(2, 0), 2);
      const buf = new Uint8Array(3);
      assert.equal(await f.read(buf), 3);
      assert.equal(new TextDecoder().decode(buf), "234");
      assert.equal((await f.stat()).size, 10);
    }
    const f = await fs.open(path);
    assert.equal(await new Response(f.readable).text(), "0123456789");
    const w = await fs.open(path, { write: true, append: true });
    await ReadableStream.from([new TextEncoder().encode("!")]).pipeTo(w.writable);
    assert.equal(await fs.readTextFile(path), "0123456789!");
  } finally {
    await fs.remove(path);
  }
});

Deno.test({
  name: "green readFile of a FIFO with no writer is interrupted by a Timeout, and listed meanwhile",
  ignore: !hasMkfifo,
  async fn() {
    const dir = await fs.makeTempDir();
    const fifo = await mkfifo(dir);
    try {
      let listed = false;
      const gt = spawn(async () => {
        using t = new Timeout(50);
        return await fs.readFile(fifo).catch((e) => e === t);
      });
      while (!gt.dead && !listed) {
        listed = getHub().listWaits().some((w) => w.description === `readFile(${fifo})`);
        await sleep(1);
      }
      assert.equal(listed, true);
      assert.equal(await gt.wait(), true);
    } finally {
      await feedFifo(fifo); // unblocks the runtime's abandoned open()
      await fs.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "green FsFile.read of a FIFO is killed, and the next read gets the bytes (none lost)",
  ignore: !hasMkfifo,
  async fn() {
    const dir = await fs.makeTempDir();
    const fifo = await mkfifo(dir);
    try {
      const opening = fs.open(fifo);
      const writer = await Deno.open(fifo, { write: true });
      using file = await opening;
      const gt = spawn(() => file.read(new Uint8Array(64)));
      await sleep(10);
      assert.ok(getHub().listWaits().some((w) => w.description === `read(${fifo})`));
      await gt.kill();
      await assert.rejects(gt.wait(), GreenletExit);
      await writer.write(new TextEncoder().encode("abcdef"));
      writer.close();
      const buf = new Uint8Array(4);
      assert.equal(await file.read(buf), 4);
      assert.equal(new TextDecoder().decode(buf), "abcd");
      assert.equal(await file.read(buf), 2);
      assert.equal(new TextDecoder().decode(buf.subarray(0, 2)), "ef");
      assert.equal(await file.read(buf), null);
    } finally {
      await fs.remove(dir, { recursive: true });
    }
  },
});

Deno.test("the node:fs backend gives the same Deno-shaped results as the Deno backend", async () => {
  const { fsBackend: node } = await import("../../green/_fs_node.ts");
  const { fsBackend: deno } = await import("../../green/_fs_deno.ts");
  const dir = await node.makeTempDir({ prefix: "evy-node-" });
  try {
    for (const [name, b] of [["node", node], ["deno", deno]] as const) {
      const path = `${dir}/${name}.txt`;
      await b.writeTextFile(path, "abc", {});
      await b.writeTextFile(path, "def", { append: true });
      assert.equal(await b.readTextFile(path, undefined), "abcdef", name);
      assert.deepEqual(await b.readFile(path, undefined), new TextEncoder().encode("abcdef"), name);
      const info = await b.stat(path);
      assert.deepEqual([info.isFile, info.isDirectory, info.size], [true, false, 6], name);
      const f = await b.open(path, { read: true, write: true });
      assert.equal(await f.seek(2, 0), 2);
      const buf = new Uint8Array(10);
      assert.equal(await f.read(buf), 4);
      assert.equal(await f.read(buf), null);
      await f.write(new TextEncoder().encode("!"));
      f.close();
      assert.equal(await b.readTextFile(path, undefined), "abcdef!", name);
    }
    const names = (await node.readDir(dir)).map((e) => e.name).sort();
    assert.deepEqual(names, (await deno.readDir(dir)).map((e) => e.name).sort());
    await assert.rejects(node.writeTextFile(`${dir}/node.txt`, "x", { createNew: true }));
  } finally {
    await node.remove(dir, { recursive: true });
  }
});
