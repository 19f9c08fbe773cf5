// scheduler.spawn: 100,000 tasks each awaiting one zero sleep, all awaited,
// on our TS runtime (bench/programs/spawn.ts) against CPython asyncio (bench/programs/spawn.py).
import { tsVsAsyncio } from "./lib/ts-vs-asyncio.mjs";

export const name = "scheduler.spawn";
export const run = (ctx) => tsVsAsyncio(ctx, { name, program: "spawn", settledKey: "finished" });
