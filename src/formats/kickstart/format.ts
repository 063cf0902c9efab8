/**
 * Kickstart (Anaconda, pykickstart): reads and writes kickstart files for versions F39–F45 and
 * RHEL7–RHEL10 (`--ks-version`, default F45). Reading follows pykickstart: shlex quoting and
 * comments, every section with the %end rules, %include and %ksappend, per-version commands
 * and options. Lowered to the IR: repositories, %packages, locale/keyboard/time zone/NTP,
 * accounts, hostname, firewall, SELinux, services, kernel command line, storage (part,
 * logvol, volgroup, raid, autopart, clearpart) and scripts. Everything else (installer
 * directives, payload commands, btrfs, reqpart, %addon…) is kept in extensions.kickstart
 * and written back. See docs/formats/kickstart.md.
 */

import type { FormatModule } from '../contract.js';
import { kickstartCodes } from './codes.js';
import { kickstartReader } from './read/index.js';
import { kickstartWriter } from './write/index.js';

export const kickstartFormat: FormatModule = {
  id: 'kickstart',
  name: 'Kickstart (Anaconda)',
  detection:
    'a .ks / .ks.in / ks.cfg file, or a file with %packages, %post or typical commands; a folder holding one .ks',
  patterns: ['*.ks', '*.ks.in', '*.cfg'],
  reader: kickstartReader,
  writer: kickstartWriter,
  codes: kickstartCodes,
};
