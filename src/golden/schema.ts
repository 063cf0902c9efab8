/** The golden manifest's shape (TypeBox): the one source of schemas/golden-manifest.schema.json. */
import { type Static, Type } from '@sinclair/typebox';

export const MANIFEST_SCHEMA_ID = 'https://imgc.dev/schemas/golden-manifest/1';
export const MANIFEST_VERSION = 1;

const Str = (description?: string) => Type.String(description ? { description } : {});

export const PathType = Type.Union(
  ['file', 'dir', 'symlink', 'fifo', 'socket', 'char', 'block'].map((t) => Type.Literal(t)),
);
export type PathType = Static<typeof PathType>;

export const ManifestPath = Type.Object(
  {
    path: Str('absolute path inside the image'),
    type: PathType,
    mode: Str('permission bits in octal, four digits (setuid, setgid and sticky included)'),
    uid: Type.Integer({ minimum: 0 }),
    gid: Type.Integer({ minimum: 0 }),
    user: Type.Optional(Str('owner name from the image /etc/passwd')),
    group: Type.Optional(Str('group name from the image /etc/group')),
    size: Type.Optional(Type.Integer({ minimum: 0, description: 'regular files only' })),
    sha256: Type.Optional(Str('regular files only')),
    target: Type.Optional(Str('symlinks only')),
    device: Type.Optional(Str('character and block devices: "major,minor"')),
    xattrs: Type.Optional(
      Type.Record(Type.String(), Type.String(), { description: 'extended attributes, values in hex' }),
    ),
    package: Type.Optional(
      Str('the package whose database lists this path (directories: only when exactly one does)'),
    ),
  },
  { additionalProperties: false },
);
export type ManifestPath = Static<typeof ManifestPath>;

export const ManifestPackage = Type.Object(
  {
    name: Str(),
    version: Str(),
    architecture: Str(),
    source: Type.Optional(Str('source package, when the database records one')),
    license: Type.Optional(Str('licence as the database records it (rpm, pacman; dpkg records none)')),
  },
  { additionalProperties: false },
);
export type ManifestPackage = Static<typeof ManifestPackage>;

export const PackageDatabase = Type.Union([
  Type.Literal('dpkg'),
  Type.Literal('rpm'),
  Type.Literal('pacman'),
  Type.Literal('none'),
]);
export type PackageDatabase = Static<typeof PackageDatabase>;

export const GoldenManifest = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    manifestVersion: Type.Literal(MANIFEST_VERSION),
    os: Type.Object(
      {
        id: Str('ID= of the image /etc/os-release, or "unknown"'),
        versionId: Type.Optional(Str('VERSION_ID= of /etc/os-release')),
        prettyName: Type.Optional(Str('PRETTY_NAME= of /etc/os-release')),
      },
      { additionalProperties: false },
    ),
    packageDatabase: PackageDatabase,
    packages: Type.Array(ManifestPackage, { description: 'sorted by name, then architecture' }),
    paths: Type.Array(ManifestPath, { description: 'sorted by path (code units)' }),
  },
  {
    $id: MANIFEST_SCHEMA_ID,
    title: 'imgc golden manifest',
    additionalProperties: false,
  },
);
export type GoldenManifest = Static<typeof GoldenManifest>;
