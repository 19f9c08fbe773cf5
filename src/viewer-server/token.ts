/**
 * The viewer server's secret: 32 random bytes in every URL it hands out. Whoever has the URL
 * may watch the scene and send the program events; nobody else gets a byte (not even the page).
 */
import { randomBytes, timingSafeEqual } from "node:crypto";

export function makeToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Whether `given` is the token, compared in constant time (its length is no secret: always 43). */
export function tokenMatches(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given, "utf8");
  const b = Buffer.from(token, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
