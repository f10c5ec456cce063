// Recovery codes: ten per set, each 80 random bits written as 16 base32 letters and digits
// in groups of four ("k3vq-7xha-2pmd-wq5e"). Stored as SHA-256 of user id + code: 80 bits
// of entropy need no slow hash. Typing is forgiving (case, spaces, dashes).
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { sha256Hex } from "./secrets";

export const RECOVERY_CODE_COUNT = 10;
const CODE = /^[a-z2-7]{16}$/;

function newCode(): string {
  const plain = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(10)));
  return plain.match(/.{4}/g)!.join("-");
}

/** A fresh set: what the user is shown once, and what is stored. */
export function newRecoveryCodes(userId: string): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
  return { codes, hashes: codes.map((code) => recoveryCodeHash(userId, code)!) };
}

/** The stored hash of what the user typed, or null when it cannot be a recovery code. */
export function recoveryCodeHash(userId: string, typed: string): string | null {
  const plain = typed.toLowerCase().replace(/[\s-]/g, "");
  return CODE.test(plain) ? sha256Hex(`${userId}:${plain}`) : null;
}
