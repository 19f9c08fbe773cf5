// scheduler.cancel: 100,000 tasks sleeping for an hour, all cancelled, all settled,
// on our TS runtime (bench/programs/cancel.ts) against CPython asyncio (bench/programs/cancel.py).
import { tsVsAsyncio } from "./lib/ts-vs-asyncio.mjs";

export const name = "scheduler.cancel";
export const run = (ctx) => tsVsAsyncio(ctx, { name, program: "cancel", settledKey: "cancelled" });
