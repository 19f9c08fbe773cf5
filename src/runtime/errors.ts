/**
 * Errors with asyncio's meanings. CancelledError is what a cancelled task sees
 * at its suspension point; it is not a failure (a task that ends with it is
 * "cancelled", not "failed").
 */
export class CancelledError extends Error {
  override name = "CancelledError";
  constructor(message = "task was cancelled") {
    super(message);
  }
}

export class TimeoutError extends Error {
  override name = "TimeoutError";
}

export class InvalidStateError extends Error {
  override name = "InvalidStateError";
}

export function isCancelledError(e: unknown): e is CancelledError {
  return e instanceof CancelledError || (e instanceof Error && e.name === "CancelledError");
}
