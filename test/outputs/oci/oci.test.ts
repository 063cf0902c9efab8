import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_PATH,
  imageConfig,
  MEDIA,
  sha256File,
  writeOciOutput,
} from '../../../src/outputs/oci/index.js';

let dir: string;
let tree: string;
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'imgc-oci-'));
  tree = join(dir, 'tree');
  mkdirSync(join(tree, 'etc'), { recursive: true });
  mkdirSync(join(tree, 'usr/bin'), { recursive: true });
  writeFileSync(join(tree, 'etc/hostname'), 'oci-test\n');
  writeFileSync(
    join(tree, 'etc/passwd'),
    'root:x:0:0::/root:/bin/sh\nnobody:x:65534:65534::/nonexistent:/bin/false\n',
  );
  writeFileSync(join(tree, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
  writeFileSync(join(tree, 'usr/bin/hello'), '#!/bin/sh\necho hello\n', { mode: 0o755 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = {
  user: 'nobody',
  workingDir: '/srv',
  entrypoint: ['/usr/bin/hello'],
  env: ['FOO=bar'],
  labels: { 'org.example': 'yes' },
  exposedPorts: ['80', '53/udp'],
  volumes: ['/data'],
};

async function build(name: string) {
  const work = join(dir, `${name}-work`);
  mkdirSync(work);
  const output = join(dir, `${name}.oci`);
  const archive = join(dir, `${name}.oci.tar`);
  const r = await writeOciOutput({
    tree,
    output,
    archive,
    workDir: work,
    architecture: 'amd64',
    tag: 'v1',
    config,
    epoch: 1_700_000_000,
  });
  return { ...r, output, archive };
}

describe('OCI output', () => {
  it('maps the container settings onto the image config', () => {
    const c = imageConfig(config, 'amd64', 'abc', '2023-11-14T22:13:20Z') as {
      config: Record<string, unknown>;
      rootfs: unknown;
    };
    expect(c.config).toEqual({
      User: 'nobody',
      Env: [DEFAULT_PATH, 'FOO=bar'],
      Entrypoint: ['/usr/bin/hello'],
      WorkingDir: '/srv',
      Labels: { 'org.example': 'yes' },
      ExposedPorts: { '80/tcp': {}, '53/udp': {} },
      Volumes: { '/data': {} },
    });
    expect(c.rootfs).toEqual({ type: 'layers', diff_ids: ['sha256:abc'] });
  });

  it('writes a layout whose digests match the blobs, and the same bytes twice', async () => {
    const a = await build('a');
    const b = await build('b');
    expect(a.manifestDigest).toBe(b.manifestDigest);
    expect(await sha256File(a.archive)).toBe(await sha256File(b.archive));
    const index = JSON.parse(readFileSync(join(a.output, 'index.json'), 'utf8'));
    expect(index.manifests[0]).toMatchObject({
      mediaType: MEDIA.manifest,
      annotations: { 'org.opencontainers.image.ref.name': 'v1' },
    });
    const digest = (d: string) => d.replace('sha256:', '');
    const manifest = JSON.parse(
      readFileSync(join(a.output, 'blobs/sha256', digest(index.manifests[0].digest)), 'utf8'),
    );
    for (const blob of [manifest.config, ...manifest.layers]) {
      expect(await sha256File(join(a.output, 'blobs/sha256', digest(blob.digest)))).toBe(digest(blob.digest));
    }
    expect(JSON.parse(readFileSync(join(a.output, 'oci-layout'), 'utf8'))).toEqual({
      imageLayoutVersion: '1.0.0',
    });
  });

  it.runIf(has('skopeo') && has('umoci'))('is read by skopeo and unpacked by umoci', async () => {
    const a = await build('tools');
    const inspect = spawnSync('skopeo', ['inspect', `oci-archive:${a.archive}:v1`], { encoding: 'utf8' });
    expect(inspect.status, inspect.stderr).toBe(0);
    expect(JSON.parse(inspect.stdout)).toMatchObject({
      Architecture: 'amd64',
      Os: 'linux',
      Labels: { 'org.example': 'yes' },
    });
    const bundle = join(dir, 'bundle');
    const unpack = spawnSync('umoci', ['unpack', '--image', `${a.output}:v1`, bundle], { encoding: 'utf8' });
    expect(unpack.status, unpack.stderr).toBe(0);
    expect(readFileSync(join(bundle, 'rootfs/etc/hostname'), 'utf8')).toBe('oci-test\n');
    const runtime = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8'));
    expect(runtime.process.args).toEqual(['/usr/bin/hello']);
    expect(runtime.process.cwd).toBe('/srv');
    expect(runtime.process.user).toMatchObject({ uid: 65534, gid: 65534 });
  });
});
