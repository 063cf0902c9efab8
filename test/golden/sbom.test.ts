import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { buildManifest } from '../../src/golden/manifest.js';
import { creationTime, purlOf } from '../../src/golden/sbom/identity.js';
import { sbomFiles } from '../../src/golden/write.js';
import { makeTree } from './fixture-tree.js';

const root = makeTree();
afterAll(() => rmSync(root, { recursive: true, force: true }));
const spdxSchema = JSON.parse(readFileSync(join(import.meta.dirname, 'vendor/spdx-2.3.schema.json'), 'utf8'));

describe('SBOMs of an image', () => {
  it('SPDX 2.3 validates against SPDX’s published schema, with the OS as the described package', async () => {
    const m = await buildManifest(root);
    const { files } = await sbomFiles(root, m, ['spdx']);
    const doc = JSON.parse(files[0]!.text);
    const validate = new Ajv({ strict: false, allErrors: true }).compile(spdxSchema);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.documentDescribes).toEqual(['SPDXRef-OperatingSystem']);
    expect(doc.packages[0]).toMatchObject({
      name: 'debian',
      versionInfo: '12',
      primaryPackagePurpose: 'OPERATING_SYSTEM',
    });
    expect(doc.packages.map((p: { name: string }) => p.name)).toEqual(['debian', 'base-files', 'tool']);
    expect(doc.packages[2].externalRefs[0].referenceLocator).toBe(
      'pkg:deb/debian/tool@1.0-1?arch=amd64&distro=debian-12',
    );
  });

  it('CycloneDX 1.6 passes the library’s strict validator, with the OS as metadata.component', async () => {
    const m = await buildManifest(root);
    const { files } = await sbomFiles(root, m, ['cyclonedx']);
    const text = files[0]!.text;
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(text)).toBeNull();
    const bom = JSON.parse(text);
    expect(bom.specVersion).toBe('1.6');
    expect(bom.metadata.component.type).toBe('operating-system');
    expect(bom.components.map((c: { purl: string }) => c.purl)).toEqual([
      'pkg:deb/debian/base-files@12.4+deb12u5?arch=amd64&distro=debian-12',
      'pkg:deb/debian/tool@1.0-1?arch=amd64&distro=debian-12',
    ]);
  });

  it('is deterministic: the same bytes from two runs; the time is SOURCE_DATE_EPOCH or the newest packaged file', async () => {
    const m = await buildManifest(root);
    const a = await sbomFiles(root, m, ['spdx', 'cyclonedx']);
    const b = await sbomFiles(root, await buildManifest(root), ['spdx', 'cyclonedx']);
    expect(a.files).toEqual(b.files);
    expect(
      creationTime(new Date(1_700_000_000_500), { SOURCE_DATE_EPOCH: '1600000000' }).date.toISOString(),
    ).toBe('2020-09-13T12:26:40.000Z');
    expect(creationTime(new Date(1_700_000_000_500), {}).date.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(() => creationTime(new Date(), { SOURCE_DATE_EPOCH: 'yesterday' })).toThrow();
  });

  it('spells package URLs for rpm and pacman databases too', () => {
    const m = { os: { id: 'fedora', versionId: '41' }, packageDatabase: 'rpm' } as never;
    expect(purlOf(m, { name: 'bash', version: '5.2.32-1.fc41', architecture: 'x86_64' })).toBe(
      'pkg:rpm/fedora/bash@5.2.32-1.fc41?arch=x86_64&distro=fedora-41',
    );
    const arch = { os: { id: 'arch' }, packageDatabase: 'pacman' } as never;
    expect(purlOf(arch, { name: 'bash', version: '5.2.037-1', architecture: 'x86_64' })).toBe(
      'pkg:alpm/arch/bash@5.2.037-1?arch=x86_64',
    );
  });
});
