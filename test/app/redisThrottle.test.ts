import { describe, expect, test } from "@jest/globals";
import { pino } from "pino";
import { parseServerEnv } from "../../app/env.js";
import { probotOptions } from "../../app/server.js";

const log = pino({ level: "silent" });

// Probot clusters its throttle through Redis when given `redisConfig`, loading `ioredis` with a plain import unless
// it runs under npx (STACK T15): the app passes REDIS_URL on, and ioredis is a real dependency.
describe("REDIS_URL: one installation's write budget shared across replicas", () => {
  test("REDIS_URL reaches Probot as redisConfig; without it each replica throttles alone", () => {
    const shared = parseServerEnv({ REDIS_URL: "redis://redis.gimlet.svc:6379/0" });
    expect(probotOptions(shared, "key", log)).toMatchObject({ redisConfig: "redis://redis.gimlet.svc:6379/0" });
    expect(probotOptions(parseServerEnv({}), "key", log)).not.toHaveProperty("redisConfig");
  });

  test("a REDIS_URL that is not a redis URL is a configuration error naming the variable", () => {
    expect(() => parseServerEnv({ REDIS_URL: "localhost:6379" })).toThrow(/REDIS_URL/);
  });

  test("ioredis is installed, so Probot does not try to fetch it at run time", async () => {
    const { Redis } = await import("ioredis");
    expect(typeof Redis).toBe("function");
  });
});
