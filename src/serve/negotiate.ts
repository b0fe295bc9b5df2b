/**
 * Accept-Encoding, as far as serve cares: does the client take gzip? `gzip;q=0` refuses it, `*`
 * without a gzip entry accepts it (RFC 9110 12.5.3).
 */
export function negotiate(header: string | undefined): { gzip: boolean } {
  if (!header) return { gzip: false };
  let gzip: number | undefined;
  let star: number | undefined;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    const weight = Number.isFinite(q) ? q : 0;
    if (name.trim() === 'gzip' || name.trim() === 'x-gzip') gzip = weight;
    else if (name.trim() === '*') star = weight;
  }
  const w = gzip ?? star ?? 0;
  return { gzip: w > 0 };
}
