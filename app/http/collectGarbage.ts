import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | undefined | null = null;

/**
 * Collect garbage now. A large request body arrives as hundreds of 64 KiB socket buffers; once it is refused they are
 * garbage, but with little JavaScript allocation going on V8 may leave them for a long time (200 MB of them for 8
 * forged 25 MiB webhooks, measured). Called after a large body only, so the cost (a few ms) is rare.
 */
export function collectGarbage(): void {
  if (gc === null) {
    try {
      setFlagsFromString("--expose-gc");
      gc = runInNewContext("gc") as () => void;
    } catch {
      gc = undefined;
    }
  }
  gc?.();
}
