/**
 * Names a definition may hold that are also Object.prototype's keys (fuzz seed 9104, input
 * 213125: a Containerfile FROM ...:__proto__ crashed the TDL writer, whose codename table
 * answered Object.prototype). Every writer translates such an image, or reports what it
 * cannot write; none throws.
 */
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../../src/formats/load.js';
import { FormatRegistry } from '../../../src/formats/registry.js';
import { translateIr } from '../../../src/formats/translate.js';
import { scratchTree } from '../../input/scratch.js';

const registry = new FormatRegistry();
const KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
const writers = registry.list().filter((f) => f.writer);

async function translatedEverywhere(entry: string, from: string) {
  const read = await loadDefinition(registry, entry, { from });
  expect(read.ir, read.diagnostics.map((d) => d.message).join('\n')).toBeDefined();
  const internal: string[] = [];
  for (const target of writers) {
    const r = await translateIr({ ir: read.ir!, positions: read.positions, target });
    for (const d of r.diagnostics) if (d.code === 'IMGC1009') internal.push(`${target.id}: ${d.message}`);
  }
  return internal;
}

describe('prototype key names in a definition', () => {
  it('covers several writers', () => {
    expect(writers.length).toBeGreaterThan(8);
  });

  for (const key of KEYS) {
    it(`a bootc base image tagged ${key} translates to every format`, async () => {
      const dir = scratchTree({
        Containerfile: `FROM quay.io/fedora/fedora-bootc:${key}\nRUN dnf -y install ${key} && dnf clean all\n`,
      });
      expect(await translatedEverywhere(`${dir}/Containerfile`, 'containerfile')).toEqual([]);
    });

    it(`a kickstart with user, group and package ${key} translates to every format`, async () => {
      const dir = scratchTree({
        'a.ks': `lang ${key}\ntimezone ${key}\nkeyboard ${key}\nuser --name=${key} --groups=${key}\n%packages\n${key}\n%end\n`,
      });
      expect(await translatedEverywhere(`${dir}/a.ks`, 'kickstart')).toEqual([]);
    });
  }
});

describe('prototype key names as element, attribute and command names', () => {
  const kiwi = (name: string) => `<?xml version="1.0"?>
<image schemaversion="7.5" name="x">
  <description type="system"><author>a</author><contact>a@example.org</contact><specification>s</specification></description>
  <preferences><version>1</version><packagemanager>apt</packagemanager><type image="oem" ${name}="y"/></preferences>
  <${name}/>
  <repository type="apt-deb" distribution="bookworm"><source path="http://deb.debian.org/debian"/></repository>
  <packages type="image"><package name="vim"/></packages>
</image>
`;

  it('KIWI keeps toString and valueOf as written (the XML parser renamed them __toString)', async () => {
    for (const name of ['toString', 'valueOf', 'hasOwnProperty']) {
      const dir = scratchTree({ 'config.xml': kiwi(name) });
      const r = await loadDefinition(registry, `${dir}/config.xml`, { from: 'kiwi' });
      const unknown = r.diagnostics.filter((d) => d.code === 'IMGC3005' || d.code === 'IMGC3006');
      expect(
        unknown.map((d) => [d.line, d.message.includes(` ${name}`) || d.message.includes(`<${name}>`)]),
      ).toEqual([
        [4, true],
        [5, true],
      ]);
    }
  });

  it('KIWI and TDL refuse __proto__, constructor and prototype at the name, not as malformed XML at 1:1', async () => {
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      const dir = scratchTree({
        'config.xml': kiwi(name),
        'template.tdl': `<template>\n  <name>x</name>\n  <packages><package name="vim" ${name}="2"/></packages>\n</template>\n`,
      });
      const k = await loadDefinition(registry, `${dir}/config.xml`, { from: 'kiwi' });
      const line4 = kiwi(name).split('\n')[3]!;
      expect(k.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([
        ['IMGC3052', 4, line4.indexOf(`${name}="y"`) + 1],
      ]);
      const t = await loadDefinition(registry, `${dir}/template.tdl`, { from: 'tdl' });
      expect(t.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['IMGC2617', 3, 33]]);
    }
  });

  it('kickstart: a command named constructor or __proto__ is unknown (the version table answered Object.prototype)', async () => {
    const dir = scratchTree({
      'a.ks': 'lang en_US.UTF-8\nconstructor\n__proto__ --x\ntoString\n%constructor\n%end\n',
    });
    const r = await loadDefinition(registry, `${dir}/a.ks`, { from: 'kickstart' });
    const unknown = r.diagnostics.filter((d) => d.code === 'IMGC5003').map((d) => d.line);
    expect(unknown).toEqual([2, 3, 4]);
    expect(r.diagnostics.some((d) => d.line === 5 && d.severity === 'error')).toBe(true);
  });
});

describe('blueprint extension keys that are not JSON Pointers (fuzz seed 9302, input 79247)', () => {
  it('an IR whose extensions.blueprint.unknown has a key "modules" is reported lost, not a crash of the writer', async () => {
    const dir = scratchTree({
      'a.ks': 'lang en_US.UTF-8\n%packages\nvim\n%end\n',
    });
    const read = await loadDefinition(registry, `${dir}/a.ks`, { from: 'kickstart' });
    const ir = { ...read.ir!, extensions: { blueprint: { unknown: { modules: [1], '/name': 'kept' } } } };
    const r = await translateIr({ ir, positions: read.positions, target: registry.get('blueprint')! });
    expect(r.diagnostics.map((d) => d.code)).not.toContain('IMGC1009');
    expect(r.diagnostics.some((d) => d.code === 'IMGC6001' && d.message.includes('modules'))).toBe(true);
  });
});
