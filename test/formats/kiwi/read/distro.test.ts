import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readKiwi } from '../../../../src/formats/kiwi/read/read.js';
import { loadDefinition } from '../../../../src/formats/load.js';
import { FormatRegistry } from '../../../../src/formats/registry.js';
import { translateIr } from '../../../../src/formats/translate.js';
import { writeOutputFiles } from '../../../../src/formats/write-files.js';
import { repoRoot } from '../../../helpers/shared.js';

function description(body: string, name = 'img'): string {
  const dir = mkdtempSync(join(tmpdir(), 'imgc-kiwi-distro-'));
  const file = join(dir, 'config.xml');
  writeFileSync(
    file,
    `<?xml version="1.0"?>\n<image schemaversion="7.5" name="${name}">\n<description type="system"><author>a</author><contact>b</contact><specification>c</specification></description>\n<preferences><version>1.0.0</version><packagemanager>${/apt/.test(body) ? 'apt' : 'zypper'}</packagemanager><type image="tbz"/></preferences>\n${body}\n</image>\n`,
  );
  return file;
}

async function infer(body: string, name?: string) {
  const r = await readKiwi(description(body, name));
  return { d: r.ir!.distribution, diags: r.diagnostics, positions: r.positions };
}

describe('KIWI distribution inference', () => {
  it('reads an OBS project and positions the note at the source path', async () => {
    const { d, diags, positions } = await infer(
      '<repository type="rpm-md">\n<source path="obs://openSUSE:Leap:15.6/standard"/>\n</repository>',
    );
    expect(d).toMatchObject({ id: 'opensuse-leap', release: '15.6' });
    const note = diags.find((x) => x.code === 'IMGC3030')!;
    expect(note.message).toBe(
      'distribution inferred as opensuse-leap 15.6 from repository obs://openSUSE:Leap:15.6/standard',
    );
    expect([note.line, note.column]).toEqual([6, 9]);
    expect(positions['/distribution/id']).toMatchObject({ line: 6, column: 9 });
  });

  it('takes the apt release from distribution=, the way the KIWI writer spells Debian', async () => {
    const { d } = await infer(
      '<repository type="apt-deb" distribution="bookworm" components="main"><source path="http://deb.debian.org/debian"/></repository>',
    );
    expect(d).toMatchObject({ id: 'debian', release: 'bookworm' });
  });

  it('reads SLE projects as SLES VERSION_IDs and release packages as the distribution', async () => {
    expect(
      (await infer('<repository><source path="obs://SUSE:SLE-15-SP5:GA/standard"/></repository>')).d,
    ).toMatchObject({ id: 'sles', release: '15.5' });
    expect(
      (await infer('<packages type="image"><package name="openSUSE-release"/></packages>')).d,
    ).toMatchObject({
      id: 'opensuse',
    });
  });

  it('warns when clues name different families and keeps the strongest', async () => {
    const { d, diags } = await infer(
      '<repository><source path="obs://openSUSE:Factory/standard"/></repository>\n<packages type="image"><package name="fedora-release"/></packages>',
    );
    expect(d.id).toBe('opensuse-tumbleweed');
    expect(diags.map((x) => x.code)).toContain('IMGC3031');
  });

  it('says when nothing names the distribution and leaves it unset', async () => {
    const { d, diags } = await infer('<packages type="image"><package name="vim"/></packages>', 'plain');
    expect(d.id).toBeUndefined();
    const note = diags.find((x) => x.code === 'IMGC3032')!;
    expect(note.message).toMatch(/packagemanager zypper says a suse-family distribution/);
    expect(note.hint).toMatch(/--distro/);
  });

  it('reads the Debian distribution back from what the KIWI writer writes (samples/mkosi → kiwi → mkosi)', async () => {
    const registry = new FormatRegistry();
    const sample = join(repoRoot, 'samples/mkosi');
    const loaded = await loadDefinition(registry, sample, { from: 'mkosi' });
    expect(loaded.ir!.distribution).toMatchObject({ id: 'debian', release: 'bookworm' });
    const toKiwi = await translateIr({
      ir: loaded.ir!,
      positions: loaded.positions,
      sourceDir: sample,
      target: registry.get('kiwi')!,
    });
    const kiwiDir = mkdtempSync(join(tmpdir(), 'imgc-kiwi-rt-'));
    await writeOutputFiles(kiwiDir, toKiwi.files);
    const back = await loadDefinition(registry, kiwiDir, { from: 'kiwi' });
    expect(back.ir!.distribution).toMatchObject({ id: 'debian', release: 'bookworm' });
    const toMkosi = await translateIr({
      ir: back.ir!,
      positions: back.positions,
      sourceDir: kiwiDir,
      target: registry.get('mkosi')!,
    });
    const conf = toMkosi.files.find((f) => f.path === 'mkosi.conf')!.content as string;
    expect(conf).toMatch(/^Distribution=debian$/m);
    expect(conf).toMatch(/^Release=bookworm$/m);
  });
});
