import { describe, expect, it } from 'vitest';
import { parseJsonDocument, parseTomlDocument } from '../../../../src/formats/blueprint/read/document.js';

describe('TOML blueprint documents', () => {
  it('locates keys, tables, arrays of tables and array items', () => {
    const text =
      'name = "x"\n\n[[packages]]\nname = "a"\n\n[[packages]]\nname = "b"\n\n[customizations.kernel]\nappend = "quiet"\n[customizations]\nhostname = "h"\n';
    const r = parseTomlDocument(text, 'bp.toml');
    if (!r.ok) throw new Error(r.message);
    expect(r.positions['/name']).toEqual({ file: 'bp.toml', line: 1, column: 1 });
    expect(r.positions['/packages/1']?.line).toBe(6);
    expect(r.positions['/packages/1/name']?.line).toBe(7);
    expect(r.positions['/customizations/kernel/append']?.line).toBe(10);
    expect(r.positions['/customizations/hostname']?.line).toBe(12);
  });

  it('locates inline tables and dotted keys', () => {
    const r = parseTomlDocument('customizations.hostname = "h"\nlocale = { keyboard = "us" }\n', 'f');
    if (!r.ok) throw new Error(r.message);
    expect(r.positions['/customizations/hostname']?.line).toBe(1);
    expect(r.positions['/locale/keyboard']).toMatchObject({ line: 2, column: 12 });
  });

  it('reports syntax errors with line and column', () => {
    const r = parseTomlDocument('a = 1\n[x\n', 'f');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.line).toBe(2);
  });

  it('rejects duplicate keys as TOML does', () => {
    const r = parseTomlDocument('name = "a"\nname = "b"\n', 'f');
    expect(r.ok).toBe(false);
  });

  it('accepts a BOM and CRLF', () => {
    const r = parseTomlDocument('\uFEFFname = "a"\r\nversion = "1.0.0"\r\n', 'f');
    expect(r.ok && r.value).toEqual({ name: 'a', version: '1.0.0' });
  });
});

describe('JSON blueprint documents', () => {
  it('locates properties at their key', () => {
    const r = parseJsonDocument('{\n  "name": "x",\n  "packages": [\n    {"name": "a"}\n  ]\n}', 'bp.json');
    if (!r.ok) throw new Error(r.message);
    expect(r.positions['/name']).toMatchObject({ line: 2, column: 3 });
    expect(r.positions['/packages/0/name']).toMatchObject({ line: 4, column: 6 });
  });

  it('reports syntax errors with line and column', () => {
    const r = parseJsonDocument('{\n  "name": "x",\n  "oops"\n}', 'f');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.line).toBe(4);
  });

  it('refuses comments and trailing commas, as osbuild does', () => {
    expect(parseJsonDocument('{"a": 1, // c\n}', 'f').ok).toBe(false);
    expect(parseJsonDocument('{"a": 1,}', 'f').ok).toBe(false);
  });
});
