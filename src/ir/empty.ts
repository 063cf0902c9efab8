import { type ImageIR, IR_VERSION } from './schema.js';

/** A valid IR that says nothing: every list present and empty. */
export function emptyIr(): ImageIR {
  return {
    irVersion: IR_VERSION,
    distribution: {},
    repositories: [],
    packages: { install: [], exclude: [], groups: [], modules: [], remove: [], bootstrap: [], build: [] },
    system: { services: { enable: [], disable: [], mask: [] }, kernel: { cmdline: [] } },
    accounts: { users: [], groups: [] },
    files: [],
    directories: [],
    symlinks: [],
    overlays: [],
    scripts: [],
    outputs: [],
    containers: [],
    extensions: {},
    profiles: [],
    activeProfiles: [],
  };
}
