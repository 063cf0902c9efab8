/** conditional-include conditions: `<variable> <op> <value>`, value a boolean, number or "string". */

type Value = string | number | boolean;

export interface Condition {
  name: string;
  op: '==' | '!=' | '<' | '<=' | '>' | '>=';
  value: Value;
}

const SHAPE = /^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*(==|!=|<=|>=|<|>)\s*(.+?)\s*$/;

/** The condition, or why it cannot be read. */
export function parseCondition(text: string): Condition | string {
  const m = SHAPE.exec(text);
  if (!m) return 'expected `<variable> <op> <value>`';
  const raw = m[3]!;
  let value: Value;
  if (raw === 'true' || raw === 'false') value = raw === 'true';
  else if (/^-?\d+(\.\d+)?$/.test(raw)) value = Number(raw);
  else if (/^"[^"]*"$/.test(raw) || /^'[^']*'$/.test(raw)) value = raw.slice(1, -1);
  else return `the value ${raw} is not a boolean, a number or a quoted string`;
  return { name: m[1]!, op: m[2] as Condition['op'], value };
}

/** Whether it holds, or why it cannot be evaluated (unknown variable, mismatched types). */
export function evaluate(c: Condition, variables: ReadonlyMap<string, { value: Value }>): boolean | string {
  const v = variables.get(c.name);
  if (!v) return `the variable ${c.name} is not defined`;
  if (typeof v.value !== typeof c.value)
    return `${c.name} is a ${typeof v.value}, compared with a ${typeof c.value}`;
  const a = v.value;
  const b = c.value;
  switch (c.op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}
