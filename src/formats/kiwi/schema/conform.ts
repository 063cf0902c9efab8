/**
 * Makes an element tree conform to a schema table: attributes and elements the schema does
 * not define, values it does not allow, and elements missing a required attribute or child
 * are removed, each reported through `onDrop`. The reader keeps what it removes as
 * extension data; the writer reports it as a loss.
 */
import { lookupTable } from '../../../lib/lookup-table.js';
import { childElements, textOf, type XElement } from '../ast.js';
import { attributeValueAllowed, isNamespaceAttribute, type SchemaTable, textAllowed } from './table.js';

export type DropReason =
  | 'unknown-attribute'
  | 'bad-value'
  | 'unknown-element'
  | 'missing-required'
  | 'bad-text';

export interface Drop {
  reason: DropReason;
  /** the element the attribute belonged to, or the element removed */
  element: XElement;
  /** the element's parent (absent for the root) */
  parent?: XElement;
  attribute?: string;
  detail: string;
}

/** Elements the schema requires to hold at least one child of that name. */
const REQUIRED_CHILD: Record<string, string> = lookupTable({
  users: 'user',
  profiles: 'profile',
  drivers: 'file',
  strip: 'file',
  repository: 'source',
  partitions: 'partition',
});

export function conformTo(
  root: XElement,
  table: SchemaTable,
  version: string,
  onDrop: (d: Drop) => void,
): void {
  const keep = (el: XElement, parent?: XElement): boolean => {
    const rule = table[el.name];
    if (!rule || rule.any) return true;
    for (const [a, v] of Object.entries(el.attrs)) {
      if (isNamespaceAttribute(a)) continue;
      if (!rule.attributes.includes(a)) {
        onDrop({
          reason: 'unknown-attribute',
          element: el,
          parent,
          attribute: a,
          detail: `schema ${version} defines no ${a}= on <${el.name}>`,
        });
        delete el.attrs[a];
      } else if (!attributeValueAllowed(rule, a, v)) {
        if (rule.required?.includes(a)) {
          onDrop({
            reason: 'bad-value',
            element: el,
            parent,
            detail: `schema ${version} does not allow <${el.name} ${a}="${v}">`,
          });
          return false;
        }
        onDrop({
          reason: 'bad-value',
          element: el,
          parent,
          attribute: a,
          detail: `schema ${version} does not allow ${a}="${v}" on <${el.name}>`,
        });
        delete el.attrs[a];
      }
    }
    const missing = (rule.required ?? []).filter((a) => el.attrs[a] === undefined);
    if (missing.length && parent) {
      onDrop({
        reason: 'missing-required',
        element: el,
        parent,
        detail: `<${el.name}> lacks ${missing.join(', ')}, which schema ${version} requires`,
      });
      return false;
    }
    if (childElements(el).length === 0 && (rule.textValues || rule.textPattern)) {
      const text = textOf(el) ?? '';
      if (!textAllowed(rule, text)) {
        onDrop({
          reason: 'bad-text',
          element: el,
          parent,
          detail: `schema ${version} does not allow <${el.name}>${text}</${el.name}>`,
        });
        return false;
      }
    }
    el.children = el.children.filter((c) => {
      if (c.kind !== 'element') return true;
      if (!rule.children.includes(c.name)) {
        onDrop({
          reason: 'unknown-element',
          element: c,
          parent: el,
          detail: `schema ${version} defines no <${c.name}> inside <${el.name}>`,
        });
        return false;
      }
      return keep(c, el);
    });
    const needed = REQUIRED_CHILD[el.name];
    if (needed && childElements(el, needed).length === 0) {
      onDrop({
        reason: 'missing-required',
        element: el,
        parent,
        detail: `<${el.name}> holds no <${needed}>`,
      });
      return false;
    }
    return true;
  };
  keep(root);
}

/** Required attributes the root element lacks (the root itself is never removed). */
export function missingRootAttributes(root: XElement, table: SchemaTable): string[] {
  return (table[root.name]?.required ?? []).filter((a) => root.attrs[a] === undefined);
}
