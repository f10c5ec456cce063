// "Is this a device the user has signed in from before?" A device is the pair
// (browser + OS label, country) from the request, hashed with the user id. Deliberately
// coarse: a browser update or a new IP in the same country is the same device (no
// notice fatigue); a different browser, OS or country is new. Cookies would be more
// precise but are cleared often and are absent for API clients. The set lives in the
// user's SessionFence object, so the check and the update are one atomic step.
import { clock } from "../clock";
import type { DeviceInfo, DeviceSighting } from "../model/session";
import { sha256Hex } from "./secrets";
import { sessionObject } from "../objects/names";

export function deviceFingerprint(userId: string, device: DeviceInfo): string {
  return sha256Hex(`${userId}|${device.device}|${device.country ?? "??"}`);
}

/**
 * Records the sign-in device; "new" means the owner should get a notice ("first" does not:
 * it is the sign-up device). startSession notes it already (IssuedTokens.sighting); this
 * is for a session that did not come from it.
 */
export function noteSignInDevice(env: Env, userId: string, device: DeviceInfo): Promise<DeviceSighting> {
  return sessionObject(env, userId).noteDevice(deviceFingerprint(userId, device), clock.now());
}
