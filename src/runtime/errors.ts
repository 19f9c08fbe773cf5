/**
 * Errors with asyncio's meanings. CancelledError is what a cancelled task sees
 * at its suspension point; it is not a failure (a task that ends with it is
 * "cancelled", not "failed").
 */
export class CancelledError extends Error {
  constructor(message = "task was cancelled") {
    // Cancelling 100,000 tasks makes hundreds of thousands of these, and the stack of a
    // cancellation says nothing the task tree does not: skip capturing it. With no frames
    // the stack reads "CancelledError: <message>" (formatted only if read; assigning it
    // here cost a setter call per error, ~15 % of the constructor).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}
CancelledError.prototype.name = "CancelledError";

export class TimeoutError extends Error {
  override name = "TimeoutError";
}

export class InvalidStateError extends Error {
  override name = "InvalidStateError";
}

/** Never throws, whatever was thrown (a revoked Proxy makes even instanceof throw). */
export function isCancelledError(e: unknown): e is CancelledError {
  if (typeof e !== "object" || e === null) return false;
  try {
    return e instanceof CancelledError || (e instanceof Error && e.name === "CancelledError");
  } catch {
    return false;
  }
}
