/** Which attributes and child elements a KIWI schema allows on each element. */

export interface ElementRule {
  attributes: string[];
  /** attributes the element must carry */
  required?: string[];
  /** enumerated attribute values */
  values?: Record<string, string[]>;
  /** XSD patterns of attribute values (anchored) */
  patterns?: Record<string, string>;
  textValues?: string[];
  textPattern?: string;
  children: string[];
  text?: true;
  /** allows elements of any name (the <extension> element) */
  any?: true;
}

export type SchemaTable = Record<string, ElementRule>;

/** Attributes every element may carry without being declared (namespaces, schema hints). */
export function isNamespaceAttribute(name: string): boolean {
  return name === 'xmlns' || name.startsWith('xmlns:') || name.startsWith('xsi:');
}

const compiled = new Map<string, RegExp | null>();

/** Does `value` satisfy an XSD pattern? Patterns JavaScript cannot compile are taken as satisfied. */
export function matchesXsdPattern(value: string, pattern: string): boolean {
  let re = compiled.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${pattern})$`, 'u');
    } catch {
      re = null;
    }
    compiled.set(pattern, re);
  }
  return re === null || re.test(value);
}

/** Whether an attribute value is allowed by the rule. */
export function attributeValueAllowed(rule: ElementRule, name: string, value: string): boolean {
  return valueAllowed(rule.values?.[name], rule.patterns?.[name], value);
}

export function textAllowed(rule: ElementRule, value: string): boolean {
  return valueAllowed(rule.textValues, rule.textPattern, value);
}

/** An enumeration, a pattern, or both (then either may match); neither means any value. */
function valueAllowed(values: string[] | undefined, pattern: string | undefined, value: string): boolean {
  if (values?.includes(value)) return true;
  if (pattern !== undefined) return matchesXsdPattern(value, pattern);
  return values === undefined;
}
