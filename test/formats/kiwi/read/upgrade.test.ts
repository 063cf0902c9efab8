import { describe, expect, it } from 'vitest';
import { childElements, textOf, type XElement } from '../../../../src/formats/kiwi/ast.js';
import { compareVersions, upgradeToLatest } from '../../../../src/formats/kiwi/read/upgrade.js';
import { parseXml } from '../../../../src/formats/kiwi/read/xml.js';

function upgrade(version: string, body: string) {
  const { doc } = parseXml(`<image schemaversion="${version}" name="t">${body}</image>`, 't.kiwi');
  const result = upgradeToLatest(doc!.root, 't.kiwi');
  return { root: doc!.root, ...result };
}

const first = (el: XElement, ...path: string[]): XElement => {
  let cur = el;
  for (const name of path) cur = childElements(cur, name)[0]!;
  return cur;
};

describe('upgradeToLatest', () => {
  it('compares versions numerically', () => {
    expect(compareVersions('7.10', '7.9')).toBeGreaterThan(0);
    expect(compareVersions('8.5', '8.5')).toBe(0);
    expect(compareVersions('6.9', '7.0')).toBeLessThan(0);
  });

  it('leaves a schema 8.5 description alone', () => {
    const { root, diagnostics } = upgrade(
      '8.5',
      '<preferences><type image="oem" vga="0x318"/></preferences>',
    );
    expect(diagnostics).toEqual([]);
    expect(first(root, 'preferences', 'type').attrs.vga).toBe('0x318');
  });

  it('turns vmx into oem with oem-resize false (7.2 → 7.3) and sets schemaversion 8.5', () => {
    const { root, diagnostics } = upgrade(
      '7.2',
      '<preferences><type image="vmx" filesystem="ext4"/></preferences>',
    );
    const type = first(root, 'preferences', 'type');
    expect(type.attrs.image).toBe('oem');
    expect(textOf(first(type, 'oemconfig', 'oem-resize'))).toBe('false');
    expect(root.attrs.schemaversion).toBe('8.5');
    expect(diagnostics.every((d) => d.code === 'IMGC3003' && d.severity === 'info')).toBe(true);
    expect(diagnostics.some((d) => d.message.includes('vmx'))).toBe(true);
  });

  it('moves type bootloader attributes into <bootloader> and splits the console (7.1 → 8.4)', () => {
    const { root } = upgrade(
      '7.1',
      '<preferences><type image="oem" bootloader="grub2" bootloader_console="gfxterm serial" boottimeout="3"/></preferences>',
    );
    const type = first(root, 'preferences', 'type');
    expect(type.attrs).toEqual({ image: 'oem' });
    expect(first(type, 'bootloader').attrs).toEqual({
      name: 'grub2',
      timeout: '3',
      output_console: 'gfxterm',
      input_console: 'serial',
    });
  });

  it('renames package managers (7.3 → 7.4 → 7.6)', () => {
    expect(
      textOf(
        first(
          upgrade('7.3', '<preferences><packagemanager>yum</packagemanager></preferences>').root,
          'preferences',
          'packagemanager',
        ),
      ),
    ).toBe('dnf4');
    expect(
      textOf(
        first(
          upgrade('7.3', '<preferences><packagemanager>apt-get</packagemanager></preferences>').root,
          'preferences',
          'packagemanager',
        ),
      ),
    ).toBe('apt');
  });

  it('prefixes additional container tags (7.4 → 7.5)', () => {
    const { root } = upgrade(
      '7.4',
      '<preferences><type image="docker"><containerconfig name="c" additionaltags="a,b"/></type></preferences>',
    );
    expect(first(root, 'preferences', 'type', 'containerconfig').attrs).toEqual({
      name: 'c',
      additionalnames: ':a,:b',
    });
  });

  it('drops removed repository attributes and types (6.6 → 8.2)', () => {
    const { root } = upgrade(
      '6.6',
      '<repository type="yast2" status="replaceable" use_for_bootstrap="true"><source path="x"/></repository>',
    );
    expect(first(root, 'repository').attrs).toEqual({});
    expect(
      upgrade('8.0', '<repository type="rpm-dir"><source path="x"/></repository>').root.children.length,
    ).toBe(1);
  });

  it('renames legacy package collections (5.6 → 5.7) and products (6.0 → 6.1)', () => {
    const { root } = upgrade(
      '5.6',
      '<packages type="image"><opensusePattern name="a"/><rhelGroup name="b"/><opensuseProduct name="p"/></packages>',
    );
    expect(childElements(first(root, 'packages')).map((e) => e.name)).toEqual([
      'namedCollection',
      'namedCollection',
      'product',
    ]);
  });

  it('warns that a schema older than 6.0 is upgraded on a best-effort basis', () => {
    const { diagnostics } = upgrade('5.2', '');
    expect(diagnostics.some((d) => d.code === 'IMGC3004' && d.severity === 'warning' && d.line === 1)).toBe(
      true,
    );
  });

  it('reports each change at the element it touched', () => {
    const { doc } = parseXml(
      '<image schemaversion="8.2" name="t">\n<preferences>\n<type image="oem" btrfs_root_is_snapshot="true"/>\n</preferences>\n</image>',
      't',
    );
    const { diagnostics } = upgradeToLatest(doc!.root, 't');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'IMGC3003', line: 3, column: 1 });
    expect(first(doc!.root, 'preferences', 'type').attrs.btrfs_root_is_snapper_snapshot).toBe('true');
  });

  it('reports a schemaversion that is not a version', () => {
    const { diagnostics } = upgrade('@VERSION@', '');
    expect(diagnostics[0]).toMatchObject({ code: 'IMGC3013' });
  });
});
