/**
 * The response coding to use from an `Accept-Encoding` header: br if offered, else gzip, else none
 * (identity). A coding listed with `q=0` is refused (RFC 9110 §12.5.3); other weights are not
 * ranked, as every browser lists both with the same weight.
 */
export function acceptedEncoding(header: string | undefined): 'br' | 'gzip' | undefined {
  if (header === undefined) return undefined;
  const offered = new Set<string>();
  for (const part of header.split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (!params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p))) offered.add(coding.trim());
  }
  if (offered.has('br')) return 'br';
  if (offered.has('gzip') || offered.has('x-gzip')) return 'gzip';
  return undefined;
}
