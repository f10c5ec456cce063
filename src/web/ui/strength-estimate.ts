// A rough, dependency-free strength estimate for the live meter (no DOM: unit-tested
// under Node). Length to the policy minimum first, then variety; repeats and runs are weak.
export function estimateStrength(password: string, min: number): { score: 0 | 1 | 2 | 3 | 4; key: "tooShort" | "weak" | "fair" | "good" | "strong" } {
  const chars = [...password];
  if (chars.length < min) return { score: 0, key: "tooShort" };
  const lower = password.toLowerCase();
  const distinct = new Set(chars).size;
  const repeated = /^(.{1,3})\1+$/.test(lower);
  const sequence = chars.every((c, i) => i === 0 || Math.abs(c.codePointAt(0)! - chars[i - 1]!.codePointAt(0)!) === 1);
  if (repeated || sequence || distinct < 5) return { score: 1, key: "weak" };
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  const points = chars.length / min + distinct / chars.length + classes * 0.25 + (/\s/.test(password) ? 0.5 : 0);
  if (points >= 3) return { score: 4, key: "strong" };
  if (points >= 2.4) return { score: 3, key: "good" };
  return { score: 2, key: "fair" };
}
