/**
 * A multi-user chat server (the seeds' `examples/chat_server.py`): every line
 * a participant sends is broadcast to all the others. Try it with:
 *
 *     deno run -A examples/chat_server.ts [port]    # or PORT=3001
 *     telnet localhost 3001                          # twice
 *
 * A participant who left while a line was being broadcast makes that write
 * fail with a broken pipe or reset: ignored, as in the seed.
 *
 * @module
 */
import { spawnN } from "@evy/evy";
import { type GreenSocket, listen, type SocketFile } from "@evy/evy/green/net";

const participants = new Set<SocketFile>();
const decoder = new TextDecoder();

function isBrokenPipe(error: unknown): boolean {
  const { code, name } = error as { code?: string; name?: string };
  return code === "EPIPE" || code === "ECONNRESET" || name === "BrokenPipe" || name === "ConnectionReset" ||
    name === "SocketClosedError";
}

async function readChatForever(sock: GreenSocket, writer: SocketFile): Promise<void> {
  try {
    for await (const line of sock.makefile()) {
      console.log("Chat:", decoder.decode(line).trim());
      for (const p of participants) {
        if (p === writer) continue; // don't echo
        try {
          await p.write(line);
          await p.flush();
        } catch (error) {
          // ignore broken pipes, they just mean the participant closed its connection already
          if (!isBrokenPipe(error)) throw error;
        }
      }
    }
  } catch (error) {
    if (!isBrokenPipe(error)) console.log("participant error:", (error as Error).message);
  } finally {
    participants.delete(writer);
    sock.close();
  }
  console.log("Participant left chat.");
}

const port = Number(Deno.args[0] ?? Deno.env.get("PORT") ?? 3001);
const server = listen(["0.0.0.0", port]);
console.log(`ChatServer starting up on port ${(server.addr as { port: number }).port}`);
for await (const sock of server) {
  console.log("Participant joined chat.");
  const writer = sock.makefile();
  participants.add(writer);
  spawnN(readChatForever, sock, writer);
}
