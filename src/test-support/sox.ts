// sox, the reference audio tool of the tests (writes WAVs in every encoding, decodes them).
import { execFileSync } from "node:child_process";

export function sox(...args: string[]): void {
  try {
    execFileSync("sox", args, { stdio: "pipe" });
  } catch (error) {
    throw new Error(`sox ${args.join(" ")} failed (${error instanceof Error ? error.message : String(error)}); the tests make and decode audio with it: install it with bash scripts/setup-system.sh`);
  }
}
