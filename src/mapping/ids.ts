/**
 * Characters an id must not carry: they are invisible or reorder text when a shop shows the id
 * (U+202E turns "ORD-1‮gpj.exe" around), so one id can pass for another. C0 and C1 controls and
 * DEL; bidi marks, embeddings, overrides and isolates; zero-width and other invisible formatting
 * characters (soft hyphen, word joiner, BOM as ZWNBSP, the Mongolian vowel separator).
 */
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/u;

/** The first forbidden character of an id, as `U+202E (right-to-left override)`, or undefined when it is clean. */
export function forbiddenIdChar(id: string): string | undefined {
  const m = FORBIDDEN.exec(id);
  if (!m) return undefined;
  const cp = m[0].codePointAt(0)!;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} (${describe(cp)}) at position ${m.index + 1}`;
}

function describe(cp: number): string {
  if (cp <= 0x1f || cp === 0x7f) return 'a control character';
  if (cp <= 0x9f) return 'a C1 control character';
  if (cp === 0xad) return 'soft hyphen, invisible';
  if (cp === 0x200b) return 'zero-width space';
  if (cp === 0x200c || cp === 0x200d) return 'zero-width joiner, invisible';
  if (cp === 0x202e) return 'right-to-left override';
  if (cp === 0x202d) return 'left-to-right override';
  if (cp === 0xfeff) return 'zero-width no-break space (BOM)';
  if ((cp >= 0x202a && cp <= 0x202c) || (cp >= 0x2066 && cp <= 0x2069) || cp === 0x200e || cp === 0x200f || cp === 0x061c) return 'a bidirectional control';
  return 'an invisible formatting character';
}

/** The id with every forbidden character written as `\u202e`, so an error message shows what is there instead of obeying it. */
export function visibleId(id: string): string {
  return id.replace(new RegExp(FORBIDDEN.source, 'gu'), (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}
