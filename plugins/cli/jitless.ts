import { z } from "zod";

/**
 * Imported first by the CLI's and the Action's entry points (never by the app server): zod builds each object
 * parser with `new Function` on its first parse, which pays off over thousands of parses, not in a one-shot process
 * (about 10 ms of a start, bench/action.bench.ts). In the Action zodLite keeps the setting for zod, loaded only to
 * answer an invalid value. It must run before any schema is built, hence a module of its own, imported before the rest.
 */
z.config({ jitless: true });
