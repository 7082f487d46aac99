// Type-checked by scripts/smoke_npm_pack.ts in the temporary project (imports renamed to "evy"), against
// the installed package's .d.ts files (plain tsc, @types/node, no Deno types),
// to prove the published declarations stand on their own.
import { type GreenThread, sleep, spawn, withTimeout } from "@evy/evy";
import { getHub, type Hub, useHub, VirtualHub } from "@evy/evy/hubs";

export const thread: GreenThread<number> = spawn(async (n: number) => (await sleep(1), n * 2), 21);
export const hub: Hub = getHub();
export async function virtualRound(): Promise<string> {
  using _ = useHub(new VirtualHub());
  return await withTimeout(10, () => sleep(5).then(() => "done"), { timeoutValue: "late" });
}
