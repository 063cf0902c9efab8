/** CycloneDX 1.6 JSON of an image with @cyclonedx/cyclonedx-library: the OS as metadata.component. */
import * as Enums from '@cyclonedx/cyclonedx-library/Enums';
import * as Models from '@cyclonedx/cyclonedx-library/Models';
import * as Serialize from '@cyclonedx/cyclonedx-library/Serialize';
import * as Spec from '@cyclonedx/cyclonedx-library/Spec';
import type { GoldenManifest } from '../schema.js';
import { imageDigest, purlOf, uuidOf } from './identity.js';
import type { SbomContext } from './spdx.js';

export function toCycloneDx(m: GoldenManifest, ctx: SbomContext): string {
  const digest = imageDigest(m);
  const os = new Models.Component(Enums.ComponentType.OperatingSystem, m.os.id, {
    bomRef: 'os',
    ...(m.os.versionId ? { version: m.os.versionId } : {}),
    ...(m.os.prettyName ? { description: m.os.prettyName } : {}),
  });
  os.hashes.set(Enums.HashAlgorithm['SHA-256'], digest);
  const bom = new Models.Bom({
    serialNumber: `urn:uuid:${uuidOf(digest)}`,
    metadata: new Models.Metadata({ timestamp: ctx.created, component: os }),
  });
  bom.metadata.tools.components.add(
    new Models.Component(Enums.ComponentType.Application, 'imgc', { version: ctx.toolVersion }),
  );
  for (const p of m.packages) {
    const purl = purlOf(m, p);
    const c = new Models.Component(Enums.ComponentType.Library, p.name, {
      version: p.version,
      purl,
      bomRef: purl,
    });
    if (p.license) c.licenses.add(new Models.NamedLicense(p.license));
    c.properties.add(new Models.Property('imgc:architecture', p.architecture));
    if (p.source) c.properties.add(new Models.Property('imgc:source-package', p.source));
    bom.components.add(c);
    os.dependencies.add(c.bomRef);
  }
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  return `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
}
