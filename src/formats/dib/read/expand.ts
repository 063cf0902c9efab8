/**
 * The element search path and dependency expansion, as diskimage-builder documents them: every
 * sub-folder of a search-path folder is an element, a folder earlier on the path hides a
 * same-named one later; an element pulls in its `element-deps` (transitively), and its
 * `element-provides` stand for elements of that name, which are then not pulled in. Only the
 * two list files are read; nothing of an element runs.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SourcePosition } from '../../../ir/positions.js';

export interface ElementRef {
  name: string;
  dir: string;
  depends: NamedLine[];
  provides: NamedLine[];
}

export interface NamedLine {
  name: string;
  at: SourcePosition;
}

/** The list file's names, each with its line; absent file = no names. */
function namesIn(file: string): NamedLine[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: NamedLine[] = [];
  text.split('\n').forEach((line, i) => {
    const name = line.trim();
    if (name) out.push({ name, at: { file, line: i + 1, column: line.indexOf(name) + 1 } });
  });
  return out;
}

export function elementAt(name: string, dir: string): ElementRef {
  return {
    name,
    dir,
    depends: namesIn(join(dir, 'element-deps')),
    provides: namesIn(join(dir, 'element-provides')),
  };
}

/** Every element on the search path; the first folder that has a name wins. */
export function findElements(searchPath: readonly string[]): {
  found: Map<string, ElementRef>;
  unreadable: string[];
} {
  const found = new Map<string, ElementRef>();
  const unreadable: string[] = [];
  for (const folder of searchPath) {
    let entries: string[];
    try {
      entries = readdirSync(folder).sort();
    } catch {
      unreadable.push(folder);
      continue;
    }
    for (const name of entries) {
      if (found.has(name)) continue;
      const dir = join(folder, name);
      try {
        if (statSync(dir).isDirectory()) found.set(name, elementAt(name, dir));
      } catch {
        // a dangling link is no element, as for dib
      }
    }
  }
  return { found, unreadable };
}

export interface Expansion {
  /** the elements that are built, in the order they were reached */
  elements: ElementRef[];
  /** names not on the search path, with the line that asked for them (none for an asked-for element) */
  missing: { name: string; at?: SourcePosition }[];
  /** a thing two elements provide, or an asked-for element some other element provides */
  conflicts: { what: string; by: string[]; at?: SourcePosition }[];
  /** what the elements provide, and by whom */
  provided: Map<string, string[]>;
}

export function expandElements(asked: readonly string[], known: ReadonlyMap<string, ElementRef>): Expansion {
  const reached = new Set(asked);
  const order: string[] = [...asked];
  const queue = [...asked];
  const provided = new Map<string, string[]>();
  const missing: Expansion['missing'] = [];
  const conflicts: Expansion['conflicts'] = [];
  const askedBy = new Map<string, SourcePosition>();
  const missingNames = new Set<string>();
  // an index into the queue, not shift(): each shift moved the whole queue
  for (let next = 0; next < queue.length; next++) {
    const name = queue[next]!;
    if (provided.has(name)) continue;
    const element = known.get(name);
    if (!element) {
      if (!missingNames.has(name)) missing.push({ name, at: askedBy.get(name) });
      missingNames.add(name);
      continue;
    }
    // a name an element lists twice is one name, as dib reads the file into a set (35,663 lines
    // of one name copied a growing list per line into each conflict: out of memory at 4 GB)
    const own = new Set<string>();
    for (const p of element.provides) {
      if (own.has(p.name)) continue;
      own.add(p.name);
      const by = provided.get(p.name);
      if (by) {
        by.push(name);
        conflicts.push({ what: p.name, by: [...by], at: p.at });
      } else provided.set(p.name, [name]);
    }
    for (const dep of element.depends) {
      if (reached.has(dep.name) || provided.has(dep.name)) continue;
      reached.add(dep.name);
      order.push(dep.name);
      askedBy.set(dep.name, dep.at);
      queue.push(dep.name);
    }
  }
  for (const name of asked) if (provided.has(name)) conflicts.push({ what: name, by: provided.get(name)! });
  const elements = order.filter((n) => !provided.has(n) && known.has(n)).map((n) => known.get(n)!);
  return { elements, missing, conflicts, provided };
}
