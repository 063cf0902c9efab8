/**
 * fast-xml-parser builds objects keyed by element and attribute names. It refuses the names
 * __proto__, constructor and prototype outright, and renames toString, valueOf and their kin
 * (to __toString) unless told to keep them. The readers keep every other name as written and
 * report a refused one where it stands.
 */

export const KEEP_DANGEROUS_NAMES = { onDangerousProperty: (name: string) => name } as const;

const REFUSED =
  /<\/?(__proto__|constructor|prototype)(?=[\s/>])|<[^<>]*?\s(__proto__|constructor|prototype)\s*=/;

/** The first element or attribute name the parser refuses, with its offset in the text. */
export function refusedXmlName(text: string): { name: string; offset: number } | undefined {
  const m = REFUSED.exec(text);
  if (!m) return undefined;
  const name = (m[1] ?? m[2])!;
  return { name, offset: m.index + m[0].lastIndexOf(name) };
}
