// Who is asking: client IP, location and a readable device label.
// The IP comes from CF-Connecting-IP only: Cloudflare sets it and clients cannot.
// X-Forwarded-For is client-controlled and deliberately ignored (docs/architecture.md §5).
import type { DeviceInfo } from "../model/session";

export function clientIp(request: Request): string {
  return request.headers.get("cf-connecting-ip")?.trim() || "unknown";
}

export function deviceInfo(request: Request): DeviceInfo {
  const cf = (request as { cf?: IncomingRequestCfProperties }).cf;
  const userAgent = (request.headers.get("user-agent") ?? "").slice(0, 512);
  return {
    userAgent,
    device: deviceLabel(userAgent),
    ip: clientIp(request),
    ...(typeof cf?.country === "string" ? { country: cf.country } : {}),
    ...(typeof cf?.city === "string" ? { city: cf.city } : {}),
  };
}

// Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
const BROWSERS: [RegExp, string][] = [
  [/Edg(?:e|A|iOS)?\//, "Edge"],
  [/OPR\/|Opera/, "Opera"],
  [/SamsungBrowser\//, "Samsung Internet"],
  [/Firefox\/|FxiOS\//, "Firefox"],
  [/Chrome\/|CriOS\//, "Chrome"],
  [/Safari\//, "Safari"],
  [/curl\//, "curl"],
];

const SYSTEMS: [RegExp, string][] = [
  [/iPhone|iPad|iPod/, "iOS"],
  [/Android/, "Android"],
  [/Windows/, "Windows"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/CrOS/, "ChromeOS"],
  [/Linux/, "Linux"],
];

/** "Firefox on Windows", "Safari on iOS", or "Unknown device". */
export function deviceLabel(userAgent: string): string {
  const browser = BROWSERS.find(([re]) => re.test(userAgent))?.[1];
  const system = SYSTEMS.find(([re]) => re.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? "Unknown device";
}
