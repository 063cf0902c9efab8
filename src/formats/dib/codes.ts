import { defineCodes } from '../../diagnostics/define.js';

/** IMGC38xx: diskimage-builder element folders and image lists. */
export const dibCodes = defineCodes({
  malformed: {
    code: 'IMGC3800',
    severity: 'error',
    summary:
      'a dib YAML or JSON file (image list, package-installs, pkg-map, block-device) that does not parse',
    message: (p: { what: string; detail: string }) => `${p.what} does not parse: ${p.detail}`,
  },
  badShape: {
    code: 'IMGC3801',
    severity: 'error',
    summary: 'a dib file that parses but has a shape diskimage-builder refuses',
    message: (p: { what: string; expected: string }) => `${p.what}: expected ${p.expected}`,
  },
  noElements: {
    code: 'IMGC3802',
    severity: 'error',
    summary: 'an image of a dib image list names no elements',
    message: (p: { image: string }) => `image "${p.image}" names no elements`,
    hint: 'list the elements disk-image-create gets under `elements:`',
  },
  imageChosen: {
    code: 'IMGC3803',
    severity: 'info',
    summary: 'an image list holds several images; the reader took one',
    message: (p: { image: string; others: string }) =>
      `the list holds several images; read "${p.image}" (others: ${p.others})`,
    hint: 'choose another with -O dibImage=NAME',
  },
  unknownImage: {
    code: 'IMGC3804',
    severity: 'error',
    summary: '-O dibImage names no image of the list',
    message: (p: { image: string; known: string }) =>
      `no image "${p.image}" in the list (images: ${p.known})`,
  },
  elementMissing: {
    code: 'IMGC3805',
    severity: 'warning',
    summary: 'an element (asked for or a dependency) is on no folder of the element search path',
    message: (p: { element: string; path: string }) =>
      `element "${p.element}" is not on the element search path (${p.path}); disk-image-create would refuse the list, and nothing of it is read`,
    hint: 'add the folder holding it with -O elementsPath=DIR[:DIR...] (or ELEMENTS_PATH)',
  },
  alreadyProvided: {
    code: 'IMGC3806',
    severity: 'error',
    summary: 'two elements provide the same thing, or an asked-for element is provided by another',
    message: (p: { what: string; by: string }) => `"${p.what}" is already provided by ${p.by}`,
    hint: 'disk-image-create refuses such a list: drop one of the elements',
  },
  noOperatingSystem: {
    code: 'IMGC3807',
    severity: 'warning',
    summary: 'no element of the expanded list provides operating-system',
    message: (p: { elements: string }) =>
      `no element provides operating-system (expanded: ${p.elements}); disk-image-create needs a distribution element, and the IR names no distribution`,
    hint: 'add a distribution element (ubuntu, debian, fedora, centos, rhel, opensuse, ...) or pass --distro',
  },
  distribution: {
    code: 'IMGC3808',
    severity: 'info',
    summary: 'how the distribution was inferred from the distribution element and DIB_RELEASE',
    message: (p: { distro: string; how: string }) => `distribution ${p.distro}: ${p.how}`,
  },
  releaseUnknown: {
    code: 'IMGC3809',
    severity: 'warning',
    summary: 'the distribution element is known but DIB_RELEASE is set nowhere imgc can read',
    message: (p: { element: string }) =>
      `element ${p.element} takes its release from DIB_RELEASE, which no environment or environment.d file sets statically`,
    hint: 'pass --release, or set DIB_RELEASE in the image environment',
  },
  searchPath: {
    code: 'IMGC3810',
    severity: 'info',
    summary: 'the element search path the reader used, and where each folder came from',
    message: (p: { path: string }) => `element search path: ${p.path}`,
  },
  notCarried: {
    code: 'IMGC3811',
    severity: 'info',
    summary: 'an element construct the IR has no field for; kept as dib extension data',
    message: (p: { what: string }) => `${p.what} has no IR field; kept as dib extension data`,
  },
  undecided: {
    code: 'IMGC3812',
    severity: 'warning',
    summary: 'package-installs conditions (arch, when, installtype, python version) imgc could not decide',
    message: (p: { count: number; names: string; why: string }) =>
      `${p.count} package(s) depend on conditions imgc cannot decide (${p.why}): ${p.names}; kept as dib extension data, not installed`,
    hint: 'pass --arch, or set the variables in the image environment',
  },
  environmentLogic: {
    code: 'IMGC3813',
    severity: 'info',
    summary:
      'an environment.d file with shell beyond plain assignments; imgc reads assignments only and never runs it',
    message: (p: { what: string }) =>
      `${p.what}: shell other than plain assignments is not evaluated (imgc never runs element code)`,
  },
  scriptsNeedDib: {
    code: 'IMGC3814',
    severity: 'info',
    summary: "element phase scripts became IR scripts; they expect dib's environment when run",
    message: (p: { element: string; count: number; phases: string }) =>
      `${p.count} script(s) of element ${p.element} (${p.phases}) kept as IR scripts; dib runs them with its own helpers (install-packages, dib-lib) and variables ($TARGET_ROOT, DIB_*) available, which other builders do not provide`,
  },
  packageUnmapped: {
    code: 'IMGC3815',
    severity: 'info',
    summary: 'pkg-map maps a package to nothing on this distribution',
    message: (p: { name: string; distro: string }) =>
      `pkg-map maps "${p.name}" to no package on ${p.distro}; not installed`,
  },
  imageKey: {
    code: 'IMGC3816',
    severity: 'info',
    summary: 'an image-list key the IR has no field for; kept as dib extension data',
    message: (p: { key: string }) => `image key "${p.key}" has no IR field; kept as dib extension data`,
  },
  outputType: {
    code: 'IMGC3817',
    severity: 'info',
    summary: 'the output the image list names, or the qcow2 disk-image-create makes without -t',
    message: (p: { type: string; how: string }) => `output ${p.type}: ${p.how}`,
  },
  notAnElement: {
    code: 'IMGC3818',
    severity: 'error',
    summary: 'the folder given is neither an element nor holds an image list',
    message: (p: { path: string }) =>
      `${p.path} holds no element files (element-deps, *.d phases, package-installs.yaml)`,
  },
  distroElementUnknown: {
    code: 'IMGC3819',
    severity: 'warning',
    summary: 'the element that provides operating-system is not one whose distribution imgc knows',
    message: (p: { element: string }) =>
      `element ${p.element} provides operating-system, but imgc does not know which distribution it installs`,
    hint: 'pass --distro id[:release]',
  },
  storageFrom: {
    code: 'IMGC3820',
    severity: 'info',
    summary: 'the block-device configuration the disk layout was taken from, as disk-image-create chooses it',
    message: (p: { from: string }) => `disk layout from ${p.from}`,
  },
  storageNotCarried: {
    code: 'IMGC3821',
    severity: 'info',
    summary:
      'a block-device setting the IR storage has no field for; the whole configuration is kept as dib extension data',
    message: (p: { what: string }) =>
      `${p.what} has no IR storage field; kept in the dib extension's block-device configuration`,
  },
});
