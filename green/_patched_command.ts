/**
 * What `monkeyPatch({ process: true })` installs as `Deno.Command`: green
 * {@linkcode Command}, plus `outputSync()` handed to the runtime's own, so an
 * app or library that calls it keeps working under the patch (blocking, as
 * it would unpatched). Green `Command` itself offers no `outputSync()`.
 *
 * @module
 */
import { Command, type CommandOptions } from "./command.ts";
import { denoOutputSync } from "./_process_deno.ts";

/** What the runtime's `outputSync()` returns (Deno's `CommandOutput`, spelled out so Node's types need no `Deno`). */
export interface SyncOutput {
  code: number;
  signal: string | null;
  success: boolean;
  stdout: Uint8Array;
  stderr: Uint8Array;
}

/** Green `Command` with the runtime's blocking `outputSync()`. */
export class PatchedCommand extends Command {
  #command: string | URL;
  #options: CommandOptions | undefined;

  constructor(command: string | URL, options?: CommandOptions) {
    super(command, options);
    this.#command = command;
    this.#options = options;
  }

  /** The runtime's `outputSync()`: blocks every green thread until the child exits. */
  outputSync(): SyncOutput {
    return denoOutputSync(this.#command, this.#options);
  }
}
