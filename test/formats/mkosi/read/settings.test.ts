import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  COMPAT_NAMES,
  ENUMS,
  irArchToMkosi,
  LEGACY_NAMES,
  MKOSI_ARCH_TO_IR,
  SETTINGS,
  SETTINGS_BY_NAME,
} from '../../../../src/formats/mkosi/settings.js';
import { sharedDir } from '../../../helpers/shared.js';

describe('mkosi settings table', () => {
  it('knows every setting of current mkosi once', () => {
    expect(SETTINGS.length).toBe(188);
    expect(SETTINGS_BY_NAME.size).toBe(SETTINGS.length);
  });

  const reference = join(sharedDir, 'reference', 'mkosi.md');
  it.runIf(existsSync(reference))('lists exactly the settings of the reference’s Appendix A', () => {
    const text = readFileSync(reference, 'utf8');
    const appendix = text.slice(text.indexOf('## Appendix A'), text.indexOf('#### [UKIProfile]'));
    const names = [...appendix.matchAll(/^\| `(\w+)=` \|/gm)].map((m) => m[1]);
    expect(names.length).toBe(188);
    expect(SETTINGS.map((s) => s.name)).toEqual(names);
  });

  it('maps every deprecated and legacy name to a setting it knows', () => {
    for (const modern of Object.values(COMPAT_NAMES)) expect(SETTINGS_BY_NAME.has(modern), modern).toBe(true);
    for (const [old, modern] of Object.entries(LEGACY_NAMES)) {
      expect(SETTINGS_BY_NAME.has(old), `${old} is current, not legacy`).toBe(false);
      if (modern) expect(SETTINGS_BY_NAME.has(modern), modern).toBe(true);
    }
  });

  it('gives every enum setting its values and every specifier one owner', () => {
    for (const s of SETTINGS.filter((x) => x.kind === 'enum' || x.kind === 'enumBool')) {
      expect(ENUMS[s.enum!], s.name).toBeDefined();
    }
    const specs = SETTINGS.filter((s) => s.specifier).map((s) => s.specifier);
    expect(new Set(specs).size).toBe(specs.length);
    expect(specs.sort()).toEqual(['O', 'a', 'd', 'i', 'o', 'r', 't', 'v']);
  });

  it('translates architectures both ways', () => {
    for (const [mkosi, ir] of Object.entries(MKOSI_ARCH_TO_IR)) expect(irArchToMkosi(ir)).toBe(mkosi);
    expect(irArchToMkosi('amd64')).toBe('x86-64');
  });
});
