/** SPDX 2.3 JSON of an image: the OS as the described package, every installed package inside it. */
import type { GoldenManifest } from '../schema.js';
import { imageDigest, isoSeconds, purlOf } from './identity.js';

export interface SbomContext {
  created: Date;
  toolVersion: string;
}

const spdxIdPart = (s: string) => s.replace(/[^A-Za-z0-9.-]/g, '-');

export function toSpdx(m: GoldenManifest, ctx: SbomContext) {
  const osName = m.os.prettyName ?? m.os.id;
  const digest = imageDigest(m);
  const osId = 'SPDXRef-OperatingSystem';
  const packages = m.packages.map((p, i) => ({
    SPDXID: `SPDXRef-Package-${i + 1}-${spdxIdPart(p.name)}`,
    name: p.name,
    versionInfo: p.version,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: 'NOASSERTION',
    copyrightText: 'NOASSERTION',
    ...(p.license ? { licenseComments: `as the package database records it: ${p.license}` } : {}),
    ...(p.source ? { sourceInfo: `built from the source package ${p.source}` } : {}),
    externalRefs: [
      { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purlOf(m, p) },
    ],
    primaryPackagePurpose: 'LIBRARY',
  }));
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: `${osName} image`,
    documentNamespace: `https://imgc.dev/spdx/${spdxIdPart(m.os.id)}-${m.os.versionId ?? 'unknown'}-${digest}`,
    creationInfo: {
      created: isoSeconds(ctx.created),
      creators: [`Tool: imgc-${ctx.toolVersion}`],
    },
    documentDescribes: [osId],
    packages: [
      {
        SPDXID: osId,
        name: m.os.id,
        ...(m.os.versionId ? { versionInfo: m.os.versionId } : {}),
        downloadLocation: 'NOASSERTION',
        filesAnalyzed: false,
        licenseConcluded: 'NOASSERTION',
        licenseDeclared: 'NOASSERTION',
        copyrightText: 'NOASSERTION',
        description: `${osName}, ${m.packages.length} packages (${m.packageDatabase} database), ${m.paths.length} paths`,
        checksums: [{ algorithm: 'SHA256', checksumValue: digest }],
        primaryPackagePurpose: 'OPERATING_SYSTEM',
      },
      ...packages,
    ],
    relationships: [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: osId },
      ...packages.map((p) => ({
        spdxElementId: osId,
        relationshipType: 'CONTAINS',
        relatedSpdxElement: p.SPDXID,
      })),
    ],
  };
}
