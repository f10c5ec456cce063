// Route-side helper for the audit trail: adds the request's facts (IP from
// CF-Connecting-IP, user agent, country/city from request.cf) to an event and writes it
// after the response (waitUntil), so a D1 write never adds latency to sign-in.
import type { Context } from "hono";
import { deviceInfo } from "../auth/device";
import type { AppEnv } from "../env";
import { recordAuditEvent, type AuditInput } from "../storage/audit";

export function audit(c: Context<AppEnv>, event: Omit<AuditInput, "device">): void {
  const write = recordAuditEvent(c.env, { ...event, device: deviceInfo(c.req.raw) }).catch((e) => console.error("[audit] write failed", event.type, e));
  c.executionCtx.waitUntil(write);
}
