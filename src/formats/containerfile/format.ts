/**
 * bootc Containerfiles (format id `containerfile`).
 *
 * Reads: a Containerfile/Dockerfile (or a folder holding one) and the bootc-image-builder
 * `config.toml`/`config.json` beside it; also a bib config or a bootc `kargs.d/*.toml` alone.
 * The bootc subset is understood — FROM (distribution from known base images), RUN with
 * dnf/yum/rpm-ostree/apt/zypper/pacman install and remove, `systemctl enable|disable|mask`,
 * `firewall-offline-cmd`, `ln -s`, `mkdir`/`install -d`, `echo … > file`, `cat > file <<EOF`,
 * COPY (files, trees, `.repo`/`.sources` files, kargs.d), ARG/ENV/LABEL. Any other RUN
 * stays a build script (IMGC9005); other instructions are kept verbatim for this writer.
 * Writes: `Containerfile` + `config.toml` (+ `repos/`, copied sources), see docs/formats/containerfile.md.
 */
import type { FormatModule } from '../contract.js';
import { containerfileCodes } from './codes.js';
import { containerfileReader } from './read/index.js';
import { containerfileCapabilities } from './write/capabilities.js';
import { raiseContainerfile } from './write/raise.js';

export const containerfileFormat: FormatModule = {
  id: 'containerfile',
  name: 'bootc Containerfile',
  detection:
    'a file named Containerfile/Dockerfile (or *.containerfile), a folder holding one, a bootc kargs.d/*.toml, or a bootc-image-builder config.toml',
  patterns: [
    'Containerfile',
    'Dockerfile',
    '*.containerfile',
    '*.dockerfile',
    'Containerfile.*',
    'config.toml',
    'kargs.d/*.toml',
  ],
  reader: containerfileReader,
  writer: {
    capabilities: containerfileCapabilities,
    profiles: false,
    write: (ir, options) =>
      raiseContainerfile(ir, { sourceDir: options.sourceDir, options: options.options }),
  },
  codes: containerfileCodes,
};
