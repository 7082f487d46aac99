/**
 * The chat page in a real browser: two headless Chromium pages (Debian's
 * `/usr/bin/chromium`, driven by `playwright-core`) chat through
 * examples/websocket_chat.ts. Skipped, saying why, only where Chromium is not
 * installed.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { startExample } from "./_example_process.ts";

const CHROMIUM = Deno.env.get("EVY_CHROMIUM") ?? "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(
    `SKIPPED websocket_chat_browser_test: no Chromium at ${CHROMIUM} (apt-get install chromium, or set EVY_CHROMIUM)`,
  );
}

Deno.test({
  name: "examples/websocket_chat.ts: two Chromium pages chat through the server",
  ignore: !haveChromium,
  async fn() {
    const { chromium } = await import("playwright-core");
    await using server = await startExample("websocket_chat.ts", ["0"], /Visit http:\/\/localhost:(\d+)\//);
    const userDataDir = await Deno.makeTempDir({ prefix: "evy-chromium-" });
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    try {
      const url = `http://127.0.0.1:${server.port}/`;
      const [alice, bob] = [await context.newPage(), await context.newPage()];
      for (const page of [alice, bob]) {
        await page.goto(url);
        await page.waitForSelector("body[data-connected]", { timeout: 15_000 });
      }
      await alice.fill("#message", "hello from alice");
      await alice.click("#send");
      await bob.fill("#message", "hi alice, bob here");
      await bob.press("#message", "Enter");
      for (const page of [alice, bob]) {
        await page.waitForFunction("document.querySelectorAll('#log li').length >= 2", undefined, { timeout: 15_000 });
        const lines = await page.locator("#log li").allTextContents();
        assert.deepEqual(lines.sort(), ["hello from alice", "hi alice, bob here"]);
      }
    } finally {
      await context.close();
      await Deno.remove(userDataDir, { recursive: true });
    }
  },
});
