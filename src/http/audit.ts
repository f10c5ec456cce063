// The ONE way routes write the audit trail: adds the request's facts (IP from
// CF-Connecting-IP, user agent, country/city from request.cf) to an event and writes it
// after the response (waitUntil). Never awaited, and it never throws: a D1 write adds no
// latency to sign-in, and a failed write never changes the answer (a session that was
// started, or an identity that was already unlinked, is reported as such).
import type { Context } from "hono";
import { deviceInfo } from "../auth/device";
import type { AppEnv } from "../env";
import { recordAuditEvent, type AuditInput } from "../storage/audit";

export function audit(c: Context<AppEnv>, event: Omit<AuditInput, "device">): void {
  const failed = (e: unknown) => console.error("[audit] write failed", event.type, e);
  try {
    c.executionCtx.waitUntil(recordAuditEvent(c.env, { ...event, device: deviceInfo(c.req.raw) }).catch(failed));
  } catch (e) {
    failed(e);
  }
}
