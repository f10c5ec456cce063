// Which network a client IP belongs to, for per-IP rate limits. An IPv4 address is one
// client. An IPv6 client usually holds a whole /64 (SLAAC, privacy addresses; ISPs hand
// out /64 to /56 per customer), so keying on the full address would give every one of
// its 2^64 addresses a fresh budget: per-IP rules key IPv6 on the /64, and the "ip48"
// rules on the /48 (a site) catch one client walking its many /64s.

export type ClientNetwork = {
  /** IPv4: the address. IPv6: its /64 ("2001:db8:1:2::/64"). Unparseable: the input as is. */
  ip: string;
  /** IPv6 only: its /48 ("2001:db8:1::/48"). Absent for IPv4, where the address is the client. */
  ip48?: string;
};

export function clientNetwork(address: string): ClientNetwork {
  const hextets = parseIpv6(address);
  if (!hextets) return { ip: address };
  // IPv4-mapped (::ffff:a.b.c.d): an IPv4 client reaching us over IPv6.
  if (hextets.slice(0, 5).every((h) => h === 0) && hextets[5] === 0xffff) {
    return { ip: [hextets[6]! >> 8, hextets[6]! & 255, hextets[7]! >> 8, hextets[7]! & 255].join(".") };
  }
  const hex = (parts: number[]) => parts.map((h) => h.toString(16)).join(":");
  return { ip: `${hex(hextets.slice(0, 4))}::/64`, ip48: `${hex(hextets.slice(0, 3))}::/48` };
}

const HEXTET = /^[0-9a-f]{1,4}$/i;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The 8 hextets of an IPv6 address (with "::" and a trailing dotted IPv4 allowed), or null. */
export function parseIpv6(address: string): number[] | null {
  const text = address.split("%")[0]!; // a zone id ("fe80::1%eth0") names an interface, not a network
  if (!text.includes(":") || text.length > 45) return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (half: string): number[] | null => {
    if (half === "") return [];
    const out: number[] = [];
    const parts = half.split(":");
    for (const [i, part] of parts.entries()) {
      const v4 = i === parts.length - 1 ? IPV4.exec(part) : null;
      if (v4) {
        const bytes = v4.slice(1).map(Number);
        if (bytes.some((b) => b > 255)) return null;
        out.push((bytes[0]! << 8) | bytes[1]!, (bytes[2]! << 8) | bytes[3]!);
      } else if (HEXTET.test(part)) out.push(Number.parseInt(part, 16));
      else return null;
    }
    return out;
  };
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !tail) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...Array<number>(missing).fill(0), ...tail] : null;
}
