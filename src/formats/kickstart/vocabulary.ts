/** Kickstart spellings both the reader and the writer use. */
import type { PackageModule } from '../../ir/schema.js';

/** `name:stream/profile`, as %packages and `module` write a module. */
export function moduleText(m: PackageModule): string {
  return `${m.name}:${m.stream ?? ''}${m.profile ? `/${m.profile}` : ''}`;
}
