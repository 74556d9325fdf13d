// IPv4 / IPv6 addresses and CIDR blocks, for the IpAddress and NotIpAddress condition operators.

/** A CIDR block: the address's first `bits` bits. */
export interface IpRange {
  readonly v6: boolean;
  readonly prefix: bigint;
  readonly bits: number;
}

/** Parses `203.0.113.0/24`, `2001:db8::/32` or a single address (a /32 or /128 block). */
export function parseCidr(text: string): IpRange | undefined {
  const slash = text.indexOf('/');
  const address = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!address) return undefined;
  const width = address.v6 ? 128 : 32;
  const suffix = slash < 0 ? String(width) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(suffix) || Number(suffix) > width) return undefined;
  const bits = Number(suffix);
  return { v6: address.v6, prefix: address.value >> BigInt(width - bits), bits };
}

/** Whether an address lies in the block (an IPv4 address is never in an IPv6 block, nor the reverse). */
export function ipInRange(range: IpRange, text: string): boolean {
  const address = parseIp(text);
  if (!address || address.v6 !== range.v6) return false;
  const width = address.v6 ? 128 : 32;
  return address.value >> BigInt(width - range.bits) === range.prefix;
}

function parseIp(text: string): { v6: boolean; value: bigint } | undefined {
  if (text.includes(':')) {
    const v6 = parseIpv6(text);
    return v6 === undefined ? undefined : { v6: true, value: v6 };
  }
  const v4 = parseIpv4(text);
  return v4 === undefined ? undefined : { v6: false, value: v4 };
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  const gap = text.indexOf('::');
  if (gap >= 0 && text.indexOf('::', gap + 1) >= 0) return undefined;
  const head = groups(gap >= 0 ? text.slice(0, gap) : text);
  const tail = groups(gap >= 0 ? text.slice(gap + 2) : '');
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (gap >= 0 ? missing < 1 : missing !== 0) return undefined;
  let value = 0n;
  for (const g of [...head, ...new Array<number>(missing).fill(0), ...tail]) value = (value << 16n) | BigInt(g);
  return value;
}

/** The 16-bit groups of one side of an IPv6 address (a trailing dotted IPv4 part counts as two). */
function groups(text: string): number[] | undefined {
  if (text === '') return [];
  const out: number[] = [];
  const parts = text.split(':');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (v4 === undefined) return undefined;
      out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
      out.push(parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return out;
}
