/** The clock the core reads; tests pass a fixed one. */
export interface Clock {
  now(): Date;
}

/** Structured logger (pino-compatible subset). */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Random bytes for ids; tests pass a deterministic source. */
export type RandomBytes = (length: number) => Uint8Array;

export const systemClock: Clock = { now: () => new Date() };

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
