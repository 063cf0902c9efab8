/**
 * The lock file (`<name>.lock`): the exact package set of an image, resolved by the family's
 * own resolver, with where each package was downloaded from and its digest, so a build can be
 * replayed (`imgc build --locked`). One format for deb, rpm and alpm; schemas/lock.schema.json
 * is written from this (docs/lock-file.md, decision 0103).
 */
import { type Static, Type } from '@sinclair/typebox';

export const LOCK_VERSION = 1 as const;

const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'lower-case hex SHA-256' });

export const LockedPackage = Type.Object(
  {
    name: Type.String(),
    version: Type.String({ description: "the package manager's full version (epoch:version-release)" }),
    architecture: Type.String({ description: 'amd64, x86_64, noarch, any, ...' }),
    repository: Type.String({
      description: 'the repository or suite it comes from, as the resolver names it',
    }),
    url: Type.String({ description: 'where the package file is downloaded from' }),
    sha256: Sha256,
    size: Type.Integer({ minimum: 0, description: 'bytes of the package file' }),
  },
  { additionalProperties: false },
);

export const RepositoryState = Type.Object(
  {
    url: Type.String({ description: 'the repository (its base URL, or the suite of an apt source)' }),
    kind: Type.Union(
      [Type.Literal('release-date'), Type.Literal('repomd-revision'), Type.Literal('db-mtime')],
      { description: 'apt: Release Date; rpm-md: repomd.xml revision; pacman: the database file time' },
    ),
    timestamp: Type.String({ description: 'ISO 8601, UTC' }),
  },
  { additionalProperties: false },
);

export const LockFile = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    lockVersion: Type.Literal(LOCK_VERSION),
    distribution: Type.String({ description: 'os-release ID' }),
    release: Type.String({ description: 'the suite or release the tools were given' }),
    architecture: Type.String(),
    backend: Type.String({ description: 'the backend that resolved it' }),
    tool: Type.String({ description: 'the resolver that answered (apt-get, dnf, zypper, pacman)' }),
    repositories: Type.Array(RepositoryState),
    packages: Type.Array(LockedPackage, { description: 'sorted by name, then architecture' }),
  },
  {
    additionalProperties: false,
    $id: 'https://imgc.dev/schemas/lock.json',
    title: 'imgc lock file',
    description: 'the exact package set of an image (imgc lock, imgc build --locked)',
  },
);

export type LockedPackage = Static<typeof LockedPackage>;
export type RepositoryState = Static<typeof RepositoryState>;
export type LockFile = Static<typeof LockFile>;
