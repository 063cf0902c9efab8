import { defineCodes } from '../../diagnostics/define.js';

/** IMGC3xxx: reading and writing KIWI image descriptions. */
export const kiwiCodes = defineCodes({
  xmlMalformed: {
    code: 'IMGC3001',
    severity: 'error',
    summary: 'the description is not well-formed XML',
    message: (p: { detail: string }) => `not well-formed XML: ${p.detail}`,
    hint: 'fix the XML syntax at this position; KIWI rejects the file as well',
  },
  notKiwi: {
    code: 'IMGC3002',
    severity: 'error',
    summary: 'the root element is not <image>',
    message: (p: { found: string }) => `expected the root element <image>, found <${p.found}>`,
    hint: 'a KIWI description is an XML document whose root element is <image name=... schemaversion=...>',
  },
  schemaUpgraded: {
    code: 'IMGC3003',
    severity: 'info',
    summary: 'an older schema construct was rewritten to its schema 8.5 form, as KIWI does',
    message: (p: { from: string; to: string; change: string }) => `schema ${p.from} → ${p.to}: ${p.change}`,
  },
  schemaVeryOld: {
    code: 'IMGC3004',
    severity: 'warning',
    summary: 'the schema version predates 6.0; the upgrade is best effort',
    message: (p: { version: string }) =>
      `schemaversion ${p.version} is older than 6.0; upgraded on a best-effort basis`,
    hint: 'KIWI v10 only reads schema 7.4 and newer; re-save the description with a current schemaversion',
  },
  unknownElement: {
    code: 'IMGC3005',
    severity: 'warning',
    summary: 'an element that schema 8.5 does not define here; kept as extension data',
    message: (p: { name: string; parent: string }) =>
      `unknown element <${p.name}> inside <${p.parent}>; kept as KIWI extension data`,
    hint: 'check the spelling against the KIWI schema; KIWI itself would reject the description',
  },
  unknownAttribute: {
    code: 'IMGC3006',
    severity: 'warning',
    summary: 'an attribute that schema 8.5 does not define on this element; kept as extension data',
    message: (p: { name: string; element: string }) =>
      `unknown attribute ${p.name}= on <${p.element}>; kept as KIWI extension data`,
    hint: 'check the spelling against the KIWI schema; KIWI itself would reject the description',
  },
  includeMissing: {
    code: 'IMGC3007',
    severity: 'error',
    summary: 'an <include> names a file that cannot be read',
    message: (p: { from: string; reason: string }) => `cannot include ${p.from}: ${p.reason}`,
    hint: 'include paths are relative to the description folder (this://./file.xml)',
  },
  includeNested: {
    code: 'IMGC3008',
    severity: 'warning',
    summary: 'an included file includes another; KIWI resolves top-level includes only',
    message: (p: { from: string }) =>
      `nested <include from="${p.from}"/> is not resolved (KIWI expands one level only)`,
    hint: 'move the include into the main description',
  },
  includeBadUri: {
    code: 'IMGC3009',
    severity: 'error',
    summary: 'an <include> URI that is neither this://, file:// nor a relative path',
    message: (p: { from: string }) => `unsupported include URI "${p.from}"`,
    hint: 'use this://./relative/path.xml',
  },
  noDescription: {
    code: 'IMGC3010',
    severity: 'error',
    summary: 'a folder without config.xml or a *.kiwi file',
    message: (p: { path: string }) => `${p.path} holds no config.xml and no *.kiwi file`,
  },
  typeNotFound: {
    code: 'IMGC3011',
    severity: 'error',
    summary: 'the build type chosen with --type is not declared by the active preferences',
    message: (p: { type: string; known: string }) =>
      `no <type image="${p.type}"> in the active preferences (declared: ${p.known || 'none'})`,
    hint: 'choose a declared type, or activate the profile that declares it with --profile',
  },
  noBuildType: {
    code: 'IMGC3012',
    severity: 'info',
    summary: 'no <type> is active without a profile; no output is lowered',
    message: (p: { profiles: string }) =>
      `no build type is active${p.profiles ? `; the types live in profiles (${p.profiles})` : ''}`,
    hint: 'choose a profile with --profile to lower its build type',
  },
  badValue: {
    code: 'IMGC3013',
    severity: 'warning',
    summary: 'a value that does not have the form KIWI expects; it is kept as written where possible',
    message: (p: { what: string; value: string; expected: string }) =>
      `${p.what} "${p.value}" is not ${p.expected}`,
  },
  typeNotLowered: {
    code: 'IMGC3014',
    severity: 'info',
    summary: 'a build type with no IR output equivalent; kept as KIWI extension data',
    message: (p: { image: string }) =>
      `<type image="${p.image}"> has no IR output equivalent; kept as KIWI extension data`,
  },
  markupInvalid: {
    code: 'IMGC3015',
    severity: 'error',
    summary: 'a YAML or JSON description that cannot be parsed or does not follow the xmltodict layout',
    message: (p: { detail: string }) => `cannot read the description: ${p.detail}`,
    hint: 'YAML/JSON descriptions use one top-level key "image", "@" for attributes and "#text" for text',
  },
  placeholder: {
    code: 'IMGC3016',
    severity: 'warning',
    summary: 'an unexpanded template placeholder (@NAME@, {exc_...}) in a value',
    message: (p: { value: string }) => `"${p.value}" looks like an unexpanded template placeholder`,
    hint: 'expand the template (OBS or sed) before reading it, or expect the value to be used literally',
  },
  scriptUnreadable: {
    code: 'IMGC3017',
    severity: 'warning',
    summary: 'a description script or overlay that exists but cannot be read as text',
    message: (p: { path: string; reason: string }) => `cannot read ${p.path}: ${p.reason}`,
  },
  unknownRequiredProfile: {
    code: 'IMGC3018',
    severity: 'warning',
    summary: 'a <requires profile=...> or profiles= attribute names an undeclared profile',
    message: (p: { name: string }) => `profile "${p.name}" is used but not declared in <profiles>`,
  },
  writeSchemaUnsupported: {
    code: 'IMGC3019',
    severity: 'error',
    summary: 'the KIWI schema version asked for with --kiwi-schema cannot be written',
    message: (p: { version: string }) => `cannot write KIWI schema ${p.version} (supported: 8.5, 7.5)`,
  },
  writeDowngraded: {
    code: 'IMGC3020',
    severity: 'warning',
    summary: 'a schema 8.5 construct that the older target schema cannot hold was dropped or rewritten',
    message: (p: { version: string; detail: string }) => `schema ${p.version}: ${p.detail}`,
  },
  missingRequired: {
    code: 'IMGC3021',
    severity: 'warning',
    summary: 'a part KIWI requires is missing; the IR is lowered without it',
    message: (p: { what: string }) => `the description has no ${p.what}`,
    hint: 'KIWI rejects descriptions without it',
  },
  duplicateSetting: {
    code: 'IMGC3022',
    severity: 'warning',
    summary: 'a preferences setting given twice for the same profile; KIWI uses the first',
    message: (p: { name: string }) =>
      `<${p.name}> is set again; KIWI uses the first value and so does imgc (the second is kept as extension data)`,
    hint: 'remove the second setting',
  },
  archResolved: {
    code: 'IMGC3023',
    severity: 'info',
    summary:
      'arch= filters were resolved for one target architecture; elements for other architectures are kept as extension data',
    message: (p: { arch: string; kept: number }) =>
      `arch= filters resolved for ${p.arch}; ${p.kept} element(s) for other architectures kept as KIWI extension data`,
    hint: 'choose the target architecture with --arch',
  },
  unsupportedElement: {
    code: 'IMGC3024',
    severity: 'warning',
    summary:
      'an element schema 8.5 rejects as written (a bad value or a missing required part); kept as extension data',
    message: (p: { name: string; detail: string }) =>
      `<${p.name}> is not used: ${p.detail}; kept as KIWI extension data`,
    hint: 'KIWI itself would reject the description; fix the element to have it take effect',
  },
  distroInferred: {
    code: 'IMGC3030',
    severity: 'info',
    summary: 'the distribution was inferred from the description (KIWI has no setting naming it)',
    message: (p: { distro: string; how: string }) => `distribution inferred as ${p.distro} from ${p.how}`,
    hint: 'pass --distro id:release to build or translate another one; --distro wins over inference',
  },
  distroClueConflict: {
    code: 'IMGC3031',
    severity: 'warning',
    summary: 'clues in the description point at different distribution families',
    message: (p: { chosen: string; other: string; by: string }) =>
      `${p.other} does not belong to ${p.chosen}, which ${p.by} names; ${p.chosen} was chosen`,
    hint: 'check the repositories and packages, or pass --distro id:release',
  },
  distroNotNamed: {
    code: 'IMGC3032',
    severity: 'info',
    summary: 'nothing in the description names the distribution (at most its family)',
    message: (p: { family: string; how: string }) =>
      `cannot tell which distribution this description builds: ${p.how} says ${p.family}, and no repository URL, OBS project, release package or image name names one`,
    hint: 'pass --distro id:release (e.g. --distro opensuse-leap:15.6 or --distro fedora:41)',
  },
  notLinux: {
    code: 'IMGC3051',
    severity: 'error',
    summary: 'KIWI builds Linux images; the definition is of another operating system',
    message: (p: { id: string }) =>
      `KIWI builds Linux distributions only; ${p.id} is not one, so no description is written`,
    hint: 'translate to a format whose tool installs it (an Oz TDL for Windows and FreeBSD), or give a Linux distribution with --distro',
  },
  refusedXmlName: {
    code: 'IMGC3052',
    severity: 'error',
    summary: 'an element or attribute named __proto__, constructor or prototype',
    message: (p: { name: string }) =>
      `the name "${p.name}" cannot be read: imgc refuses __proto__, constructor and prototype as element or attribute names`,
    hint: 'KIWI defines no such element or attribute; remove or rename it',
  },
  entityUnresolved: {
    code: 'IMGC3050',
    severity: 'error',
    summary:
      'an XML entity reference that imgc cannot expand (undeclared, or declared through other entities)',
    message: (p: { name: string; why: string }) => `&${p.name}; is not expanded: ${p.why}`,
    hint: 'write the text itself, or one of &lt; &gt; &amp; &quot; &apos;; entities that expand into other entities (as in a "billion laughs" file) are refused',
  },
});
