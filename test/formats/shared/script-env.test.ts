/**
 * A KIWI config.sh that uses /.kconfig and /.profile, translated to every other format: the
 * helpers and variables go with it where the target runs it in the image (and the written
 * script really runs there without either file), the loss names them where they cannot, and
 * the target's reader gives the original script back.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDefinition } from '../../../src/formats/load.js';
import { FormatRegistry } from '../../../src/formats/registry.js';
import { scriptForTarget } from '../../../src/formats/shared/script-env.js';
import { translateIr } from '../../../src/formats/translate.js';
import { writeOutputFiles } from '../../../src/formats/write-files.js';
import { emptyIr } from '../../../src/ir/empty.js';
import { BEGIN_MARK } from '../../../src/ir/kiwi-script-env/index.js';
import { makeToolRoot, TOOL_PATH } from '../../ir/kiwi-script-env/tool-root.js';

const registry = new FormatRegistry();
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const CONFIG_SH = [
  '#!/bin/bash',
  'set -e',
  'test -f /.kconfig && . /.kconfig',
  'test -f /.profile && . /.profile',
  'echo "Configure image: [$kiwi_iname]..."',
  'suseInsertService sshd',
  'baseSetRunlevel 3',
  'echo "$kiwi_iname $kiwi_iversion $kiwi_type" >/etc/kiwi-image',
  '',
].join('\n');

async function kiwiDescription() {
  const dir = mkdtempSync(join(tmpdir(), 'imgc-kiwi-env-'));
  dirs.push(dir);
  copyFileSync('samples/kiwi/debian-minimal/config.xml', join(dir, 'config.xml'));
  writeFileSync(join(dir, 'config.sh'), CONFIG_SH);
  const loaded = await loadDefinition(registry, dir);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { dir, loaded };
}

async function translate(to: string) {
  const { dir, loaded } = await kiwiDescription();
  const target = registry.get(to)!;
  const out = mkdtempSync(join(tmpdir(), `imgc-kiwi-env-${to}-`));
  dirs.push(out);
  const result = await translateIr({
    ir: loaded.ir!,
    positions: loaded.positions,
    sourceDir: dir,
    target,
    options: {},
  });
  await writeOutputFiles(out, result.files);
  return { out, result, target };
}

const codes = (ds: { code: string }[]) => ds.map((d) => d.code).filter((c) => /^IMGC602/.test(c));

describe('KIWI scripts in other formats', () => {
  it('mkosi: the chroot post-install script carries the helpers and runs without /.kconfig', async () => {
    const { out, result } = await translate('mkosi');
    expect(codes(result.diagnostics)).toEqual(['IMGC6020']);
    const info = result.diagnostics.find((d) => d.code === 'IMGC6020')!;
    expect(info.message).toContain('calls suseInsertService, baseSetRunlevel');
    const script = readFileSync(join(out, 'mkosi.scripts/post-install/config.sh.chroot'), 'utf8');
    expect(script.split('\n')[1]).toBe(BEGIN_MARK);
    expect(spawnSync('bash', ['-n'], { input: script }).status).toBe(0);

    const back = await loadDefinition(registry, out, { from: 'mkosi' });
    expect(back.ir!.scripts.map((s) => s.body)).toEqual([CONFIG_SH]);

    if (process.getuid?.() !== 0) {
      console.warn('SKIPPED: running the written mkosi script in a chroot needs root');
      return;
    }
    // what mkosi does with it: run it inside the image, where there is no /.kconfig
    const tree = mkdtempSync(join('/var/tmp', 'imgc-kiwi-env-tree-'));
    dirs.push(tree);
    makeToolRoot(tree);
    copyFileSync('/bin/bash', join(tree, 'bin/bash'));
    for (const lib of spawnSync('ldd', ['/bin/bash'], { encoding: 'utf8' }).stdout.matchAll(
      /(\/\S+) \(0x/g,
    )) {
      mkdirSync(join(tree, lib[1]!, '..'), { recursive: true });
      copyFileSync(lib[1]!, join(tree, lib[1]!));
    }
    mkdirSync(join(tree, 'etc/systemd/system'), { recursive: true });
    writeFileSync(join(tree, 'etc/systemd/system/sshd.service'), '[Service]\n');
    writeFileSync(join(tree, 'postinst'), script, { mode: 0o755 });
    const r = spawnSync('chroot', [tree, '/postinst'], { encoding: 'utf8', env: { PATH: TOOL_PATH } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('Configure image: [imgc-sample]...\n');
    expect(readFileSync(join(tree, 'calls.log'), 'utf8')).toBe('systemctl enable sshd\n');
    expect(readlinkSync(join(tree, 'etc/systemd/system/default.target'))).toBe(
      '/usr/lib/systemd/system/multi-user.target',
    );
    expect(readFileSync(join(tree, 'etc/kiwi-image'), 'utf8')).toBe('imgc-sample 1.0.0 oem\n');
  });

  it('kickstart: %post carries the helpers and reads back as the original', async () => {
    const { out, result } = await translate('kickstart');
    expect(codes(result.diagnostics)).toEqual(['IMGC6020']);
    const ks = readFileSync(join(out, 'imgc-sample.ks'), 'utf8');
    expect(ks).toContain(BEGIN_MARK);
    expect(ks).toContain('suseInsertService() {');
    const back = await loadDefinition(registry, join(out, 'imgc-sample.ks'), { from: 'kickstart' });
    expect(back.ir!.scripts.map((s) => s.body?.trimEnd())).toEqual([CONFIG_SH.trimEnd()]);
  });

  it('Containerfile: the RUN heredoc carries the helpers and reads back as the original', async () => {
    const { out, result } = await translate('containerfile');
    expect(codes(result.diagnostics)).toEqual(['IMGC6020']);
    expect(readFileSync(join(out, 'Containerfile'), 'utf8')).toContain(BEGIN_MARK);
    const back = await loadDefinition(registry, join(out, 'Containerfile'), { from: 'containerfile' });
    expect(back.ir!.scripts.map((s) => s.body)).toEqual([CONFIG_SH]);
  });

  it('blueprint: the script is not written, and the loss names what it used', async () => {
    const { result } = await translate('blueprint');
    const lost = result.diagnostics.filter((d) => d.code === 'IMGC6021');
    expect(lost).toHaveLength(1);
    expect(lost[0]!.message).toContain('calls suseInsertService, baseSetRunlevel; reads $kiwi_iname');
    expect(lost[0]!.pointer).toBe('/scripts/0');
  });

  it('KIWI: the script is written as it was, since KIWI provides the helpers', async () => {
    const { out, result } = await translate('kiwi');
    expect(codes(result.diagnostics)).toEqual([]);
    expect(readFileSync(join(out, 'config.sh'), 'utf8')).toBe(CONFIG_SH);
  });
});

describe('scriptForTarget', () => {
  const ir = () => {
    const i = emptyIr();
    i.scripts.push({ name: 'config.sh', phase: 'post-install', chroot: false, body: CONFIG_SH });
    return i;
  };

  it('reports the environment lost, and keeps the script, where the target runs it outside the image', () => {
    const r = scriptForTarget(ir(), 0, CONFIG_SH, 'mkosi', 'mkosi runs this script outside the image');
    expect(r.body).toBe(CONFIG_SH);
    expect(r.diagnostics.map((d) => [d.code, d.pointer])).toEqual([['IMGC6021', '/scripts/0']]);
    expect(r.diagnostics[0]!.message).toContain('outside the image');
  });

  it('leaves a script that does not use the environment alone', () => {
    expect(scriptForTarget(ir(), 0, '#!/bin/sh\necho hi\n', 'kickstart')).toEqual({
      body: '#!/bin/sh\necho hi\n',
      diagnostics: [],
    });
  });

  it('names the lines that source the files in a form it does not rewrite', () => {
    const body = '#!/bin/sh\nif true; then . /.kconfig; fi\nsuseInsertService x\n';
    const r = scriptForTarget(ir(), 0, body, 'kickstart');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['IMGC6020', 'IMGC6022']);
    expect(r.diagnostics[1]!.message).toContain('line 2');
  });
});
