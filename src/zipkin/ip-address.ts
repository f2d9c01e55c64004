/**
 * IP address text as the OpenTelemetry Collector's zipkin translator writes it. The Collector
 * parses `ipv4`/`ipv6` with Go's `net.ParseIP` (either family in either field) and prints the
 * address back with `net.IP.String()`, so `7::0.128.128.127` arrives as `7::80:807f` and
 * `::ffff:10.0.0.1` as `10.0.0.1`. Text that `net.ParseIP` refuses (zones, IPv4 octets with
 * leading zeros, ...) is not an address.
 */

/** The canonical text of `text` as an IPv4 or IPv6 address, or undefined when it is neither. */
export function canonicalIpAddress(text: string): string | undefined {
  if (isIpv4(text)) return text;
  const groups = parseIpv6(text);
  return groups === undefined ? undefined : formatIpv6(groups);
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function isIpv4(text: string): boolean {
  const m = IPV4.exec(text);
  if (m === null) return false;
  for (let i = 1; i <= 4; i++) {
    const octet = m[i];
    // Go 1.17+ rejects leading zeros, which other parsers read as octal.
    if ((octet.length > 1 && octet[0] === '0') || Number(octet) > 255) return false;
  }
  return true;
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** Eight 16-bit groups, or undefined. Accepts one `::` and a trailing dotted IPv4 part. */
function parseIpv6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0], halves.length === 1);
  const tail = halves.length === 2 ? parseGroups(halves[1], true) : [];
  if (head === undefined || tail === undefined) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  // `::` stands for at least one zero group.
  if (head.length + tail.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** Colon-separated groups; the last one may be a dotted IPv4 address when `mayEndInIpv4`. */
function parseGroups(text: string, mayEndInIpv4: boolean): number[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const groups: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (HEX_GROUP.test(part)) {
      groups.push(parseInt(part, 16));
    } else if (mayEndInIpv4 && i === parts.length - 1 && isIpv4(part)) {
      const octets = part.split('.').map(Number);
      groups.push((octets[0] << 8) | octets[1], (octets[2] << 8) | octets[3]);
    } else {
      return undefined;
    }
  }
  return groups;
}

/** Go's `net.IP.String()`: IPv4-mapped addresses as IPv4, else RFC 5952 with the first longest zero run as `::`. */
function formatIpv6(groups: number[]): string {
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `${groups[6] >> 8}.${groups[6] & 0xff}.${groups[7] >> 8}.${groups[7] & 0xff}`;
  }
  let runStart = -1;
  let runLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > runLength) {
      runStart = i;
      runLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  // A single zero group is written out, not compressed (RFC 5952 section 4.2.2).
  if (runLength < 2) return hex.join(':');
  return `${hex.slice(0, runStart).join(':')}::${hex.slice(runStart + runLength).join(':')}`;
}
