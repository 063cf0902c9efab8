import { defineCodes } from '../define.js';

/** IMGC8xxx: plugins — discovery, the API version handshake, the out-of-process bridge. */
export const pluginCodes = defineCodes({
  manifestInvalid: {
    code: 'IMGC8001',
    severity: 'error',
    summary: 'a plugin manifest that is not valid JSON or does not match the manifest schema',
    message: (p: { path: string; detail: string }) => `invalid plugin manifest ${p.path}: ${p.detail}`,
    hint: 'compare it with schemas/plugin-manifest.schema.json (docs/plugins.md has an example)',
  },
  apiVersionUnsupported: {
    code: 'IMGC8002',
    severity: 'error',
    summary: 'a plugin speaks an API version this imgc does not',
    message: (p: { name: string; version: number | string; supported: string }) =>
      `plugin ${p.name} declares API version ${p.version}; this imgc speaks ${p.supported}`,
    hint: 'use a plugin release made for this imgc, or an imgc that speaks that version',
  },
  pluginNotFound: {
    code: 'IMGC8003',
    severity: 'error',
    summary:
      'a plugin named explicitly (--plugin, or the plugins list of the --config file) has no manifest there',
    message: (p: { path: string; from: string }) =>
      `no plugin at ${p.path} (named by ${p.from}): neither imgc-plugin.json nor a package.json with an "imgc" field`,
  },
  startFailed: {
    code: 'IMGC8004',
    severity: 'error',
    summary: 'the plugin process could not be started or did not answer the handshake',
    message: (p: { name: string; detail: string }) => `plugin ${p.name} did not start: ${p.detail}`,
    hint: 'check the "command" of its manifest and run it by hand: it must read JSON-RPC lines on stdin',
  },
  crashed: {
    code: 'IMGC8005',
    severity: 'error',
    summary: 'a plugin process died while the host waited for it; the build was cleaned up',
    message: (p: { name: string; how: string; method: string; stderr: string }) =>
      `plugin ${p.name} ${p.how} during ${p.method}${p.stderr ? `; its last words:\n  ${p.stderr}` : ''}`,
    hint: 'this is a bug in the plugin; nothing it mounted survives it and no partial output was kept',
  },
  protocolError: {
    code: 'IMGC8006',
    severity: 'error',
    summary: 'a plugin broke the JSON-RPC protocol (bad message, unknown method, wrong shape)',
    message: (p: { name: string; detail: string }) => `plugin ${p.name} broke the protocol: ${p.detail}`,
  },
  stepFailed: {
    code: 'IMGC8007',
    severity: 'error',
    summary: 'a plugin reported that a request failed',
    message: (p: { name: string; method: string; message: string }) =>
      `plugin ${p.name} failed ${p.method}: ${p.message}`,
  },
  duplicate: {
    code: 'IMGC8008',
    severity: 'warning',
    summary: 'two plugins with the same name; the first one found is used',
    message: (p: { name: string; used: string; ignored: string }) =>
      `plugin ${p.name} found twice: using ${p.used}, ignoring ${p.ignored}`,
  },
  formatModuleInvalid: {
    code: 'IMGC8009',
    severity: 'error',
    summary: 'a format plugin module does not export a format module',
    message: (p: { name: string; detail: string }) => `format plugin ${p.name} cannot be loaded: ${p.detail}`,
    hint: 'export the FormatModule as the default export (see docs/plugins.md)',
  },
  idMismatch: {
    code: 'IMGC8010',
    severity: 'error',
    summary: 'a backend plugin describes itself with another id than its manifest',
    message: (p: { name: string; manifest: string; described: string }) =>
      `plugin ${p.name}: the manifest says backend "${p.manifest}", the process says "${p.described}"`,
  },
  configInvalid: {
    code: 'IMGC8011',
    severity: 'error',
    summary: 'the config file named with --config or IMGC_CONFIG is missing or not valid',
    message: (p: { path: string; detail: string }) => `invalid ${p.path}: ${p.detail}`,
    hint: 'it is JSON: {"plugins": ["./path/to/plugin", ...]}',
  },
  unsafeDistribution: {
    code: 'IMGC8020',
    severity: 'error',
    summary:
      'a backend plugin answered resolveDistribution with a value that is not a plain name; imgc builds cache paths from it',
    message: (p: { name: string; field: string; value: string }) =>
      `plugin ${p.name} resolved the distribution ${p.field} to ${JSON.stringify(p.value)}, which is not a plain name`,
    hint: 'id, release, suite, architecture and versionId are single path components: letters, digits and . _ + ~ -, not starting with a dot',
  },
  stepRefused: {
    code: 'IMGC8021',
    severity: 'error',
    summary:
      'a backend plugin planned a step that imgc would run itself, or that the plugin does not execute; plugins plan only their package steps',
    message: (p: { name: string; method: string; type: string; why: string }) =>
      `plugin ${p.name} answered ${p.method} with a "${p.type}" step: ${p.why}`,
    hint: 'plan returns bootstrap (and install-packages), planRemove returns remove-packages, each of a type listed in describe.executes; imgc plans files, accounts, scripts and outputs itself',
  },
});
