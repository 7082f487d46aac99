import assert from "node:assert/strict";
import { startExample } from "./_example_process.ts";

function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  return new Promise((resolve, reject) => {
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error(`cannot connect to ${url}`));
  });
}

function messages(ws: WebSocket, n: number): Promise<string[]> {
  const got: string[] = [];
  return new Promise((resolve) => {
    ws.onmessage = (event) => {
      got.push(event.data);
      if (got.length === n) resolve(got);
    };
  });
}

async function close(ws: WebSocket): Promise<void> {
  const done = new Promise((resolve) => ws.onclose = resolve);
  ws.close();
  await done;
}

Deno.test("examples/websocket.ts echoes on /echo, streams on /data and serves its page", async () => {
  await using server = await startExample("websocket.ts", ["0"], /Visit http:\/\/localhost:(\d+)\//);
  const page = await fetch(`http://127.0.0.1:${server.port}/`);
  assert.match(await page.text(), /new WebSocket\(wsUrl\("\/data"\)\)/);

  const echo = await open(`ws://127.0.0.1:${server.port}/echo`);
  const echoed = messages(echo, 2);
  echo.send("one");
  echo.send("two");
  assert.deepEqual(await echoed, ["one", "two"]);
  await close(echo);

  const data = await open(`ws://127.0.0.1:${server.port}/data`);
  const lines = await messages(data, 3);
  lines.forEach((line, i) => assert.match(line, new RegExp(`^0 ${i} 0\\.\\d+\\n$|^0 ${i} 0\\n$`)));
  await close(data);
});
