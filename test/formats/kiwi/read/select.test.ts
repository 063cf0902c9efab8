import { describe, expect, it } from 'vitest';
import {
  activeProfiles,
  archMatches,
  declaredProfiles,
  selectType,
} from '../../../../src/formats/kiwi/read/select.js';
import { parseXml } from '../../../../src/formats/kiwi/read/xml.js';

const doc = parseXml(
  `<image schemaversion="8.5" name="t">
  <profiles>
    <profile name="A" description="a" import="true"><requires profile="B"/><requires profile="S390" arch="s390x"/></profile>
    <profile name="B" description="b"><requires profile="C"/></profile>
    <profile name="C" description="c"/>
    <profile name="S390" description="s"/>
    <profile name="D" description="d"/>
  </profiles>
  <preferences><type image="tbz"/></preferences>
  <preferences profiles="C"><type image="iso"/></preferences>
  <preferences profiles="D"><type image="oem" primary="true"/></preferences>
  <preferences arch="aarch64"><type image="oci" primary="true"/></preferences>
</image>`,
  't',
).doc!.root;

describe('profile and type selection', () => {
  const profiles = declaredProfiles(doc);

  it('activates import="true" profiles and their requires chains, arch-filtered', () => {
    expect(activeProfiles(profiles, [], 'x86_64')).toEqual(['A', 'B', 'C']);
    expect(activeProfiles(profiles, [], 's390x')).toEqual(['A', 'B', 'C', 'S390']);
  });

  it('uses the chosen profiles instead of the defaults', () => {
    expect(activeProfiles(profiles, ['D'], 'x86_64')).toEqual(['D']);
  });

  it('picks --type, else primary, else the first type of the active preferences', () => {
    expect(selectType(doc, ['A', 'B', 'C'], 'x86_64').selected?.attrs.image).toBe('tbz');
    expect(selectType(doc, ['D'], 'x86_64').selected?.attrs.image).toBe('oem');
    expect(selectType(doc, ['A', 'B', 'C'], 'x86_64', 'iso').selected?.attrs.image).toBe('iso');
    expect(selectType(doc, [], 'x86_64', 'iso').selected).toBeUndefined();
    expect(selectType(doc, [], 'aarch64').selected?.attrs.image).toBe('oci');
  });

  it('matches arch lists and aliases', () => {
    const el = (arch: string) => ({
      kind: 'element' as const,
      name: 'x',
      attrs: { arch },
      attrPos: {},
      children: [],
    });
    expect(archMatches(el('x86_64,aarch64'), 'aarch64')).toBe(true);
    expect(archMatches(el('ix86'), 'i686')).toBe(true);
    expect(archMatches(el('s390x'), 'x86_64')).toBe(false);
  });
});
