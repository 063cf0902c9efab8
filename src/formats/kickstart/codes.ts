import { defineCodes } from '../../diagnostics/define.js';

/** IMGC5xxx: reading and writing Kickstart. */
export const kickstartCodes = defineCodes({
  unterminatedQuote: {
    code: 'IMGC5001',
    severity: 'error',
    summary: 'a quote is opened and not closed on the same line',
    message: () => 'unterminated quote',
    hint: 'close the quote on this line; kickstart has no line continuation',
  },
  trailingBackslash: {
    code: 'IMGC5002',
    severity: 'error',
    summary: 'a line ends with a backslash',
    message: () => 'a backslash at the end of a line escapes nothing: kickstart has no line continuation',
    hint: 'join the continued line into this one',
  },
  unknownCommand: {
    code: 'IMGC5003',
    severity: 'error',
    summary: 'a command that the chosen kickstart version does not know',
    message: (p: { name: string; version: string }) => `unknown command "${p.name}" (kickstart ${p.version})`,
    hint: (p: { name: string; version: string }) =>
      p.name.toLowerCase() !== p.name
        ? 'command names are case-sensitive'
        : 'check the spelling, or choose another version with --ks-version',
  },
  removedCommand: {
    code: 'IMGC5004',
    severity: 'error',
    summary: 'a command that the chosen kickstart version has removed',
    message: (p: { name: string; version: string }) =>
      `"${p.name}" has been removed in kickstart ${p.version}`,
    hint: 'remove it, or choose an older version with --ks-version',
  },
  deprecatedCommand: {
    code: 'IMGC5005',
    severity: 'warning',
    summary: 'a deprecated command: the installer accepts and ignores it',
    message: (p: { name: string; version: string }) =>
      `"${p.name}" is deprecated in kickstart ${p.version} and has no effect`,
    hint: 'remove it',
  },
  unknownOption: {
    code: 'IMGC5006',
    severity: 'error',
    summary: 'an option the command does not have in the chosen version',
    message: (p: { command: string; option: string; version: string; known: string }) =>
      `${p.command}: unrecognized option ${p.option} (kickstart ${p.version}; expected one of ${p.known})`,
    hint: 'remove the option, or choose the version it belongs to with --ks-version',
  },
  deprecatedOption: {
    code: 'IMGC5007',
    severity: 'warning',
    summary: 'a deprecated option',
    message: (p: { command: string; option: string; version: string }) =>
      `${p.command}: ${p.option} is deprecated in kickstart ${p.version}`,
    hint: 'use its replacement (see the kickstart documentation of the command)',
  },
  optionNeedsValue: {
    code: 'IMGC5008',
    severity: 'error',
    summary: 'an option that takes a value has none',
    message: (p: { command: string; option: string }) => `${p.command}: ${p.option} expects a value`,
    hint: 'write --option=value',
  },
  flagWithValue: {
    code: 'IMGC5009',
    severity: 'error',
    summary: 'a flag option was given a value',
    message: (p: { command: string; option: string }) =>
      `${p.command}: ${p.option} is a flag and takes no value`,
  },
  missingOption: {
    code: 'IMGC5010',
    severity: 'error',
    summary: 'a required option is missing',
    message: (p: { command: string; option: string }) => `${p.command}: ${p.option} is required`,
  },
  unexpectedArgument: {
    code: 'IMGC5011',
    severity: 'error',
    summary: 'an argument the command does not take',
    message: (p: { command: string; argument: string }) =>
      `${p.command}: unexpected argument "${p.argument}"`,
    hint: 'options start with --',
  },
  invalidValue: {
    code: 'IMGC5012',
    severity: 'error',
    summary: 'an option value of the wrong kind',
    message: (p: { command: string; option: string; value: string; expected: string }) =>
      `${p.command}: ${p.option}=${p.value} is not valid; expected ${p.expected}`,
  },
  unknownSection: {
    code: 'IMGC5013',
    severity: 'error',
    summary: 'a %section the chosen version does not know',
    message: (p: { name: string; version: string }) =>
      `unknown kickstart section ${p.name} (kickstart ${p.version})`,
    hint: 'sections are %packages, %pre, %pre-install, %post, %onerror, %traceback, %certificate, %addon, %anaconda',
  },
  sectionNotClosed: {
    code: 'IMGC5014',
    severity: 'error',
    summary: 'a section that does not end with %end',
    message: (p: { name: string }) => `section ${p.name} does not end with %end`,
    hint: 'add %end on its own line after the section body',
  },
  includeNotFound: {
    code: 'IMGC5015',
    severity: 'error',
    summary: 'an %include or %ksappend file that cannot be read',
    message: (p: { directive: string; path: string; tried: string }) =>
      `${p.directive} ${p.path}: not found (tried ${p.tried})`,
    hint: 'paths are relative to the including file; add folders to search with -O includePath=dir1:dir2',
  },
  includeCycle: {
    code: 'IMGC5016',
    severity: 'error',
    summary: 'a file includes itself, directly or through others',
    message: (p: { path: string; chain: string }) => `%include cycle: ${p.chain} → ${p.path}`,
  },
  runtimeInclude: {
    code: 'IMGC5017',
    severity: 'info',
    summary: 'an include that only exists while installing (written by %pre, or a URL)',
    message: (p: { directive: string; path: string }) =>
      `${p.directive} ${p.path} is only available at install time; its content is not part of this reading`,
  },
  includeWithoutPath: {
    code: 'IMGC5018',
    severity: 'error',
    summary: '%include or %ksappend without a file',
    message: (p: { directive: string }) => `${p.directive} needs a file name or URL`,
  },
  ksappendInInclude: {
    code: 'IMGC5019',
    severity: 'warning',
    summary: '%ksappend in an included file is not expanded (it is a pre-pass over the main file only)',
    message: (p: { path: string }) => `%ksappend ${p.path} in an included file is ignored`,
    hint: 'move the %ksappend to the main kickstart, or use %include',
  },
  unknownVersion: {
    code: 'IMGC5020',
    severity: 'error',
    summary: '--ks-version names a version imgc does not support',
    message: (p: { name: string; known: string }) =>
      `unknown kickstart version "${p.name}" (supported: ${p.known})`,
  },
  badPackageLine: {
    code: 'IMGC5021',
    severity: 'error',
    summary: 'a %packages line that cannot be read',
    message: (p: { detail: string }) => p.detail,
  },
  payloadConflict: {
    code: 'IMGC5022',
    severity: 'warning',
    summary:
      '%packages next to an image payload (ostreesetup, ostreecontainer, bootc, liveimg): the installer ignores the packages',
    message: (p: { payload: string }) =>
      `%packages is ignored by the installer when ${p.payload} is the payload`,
  },
  duplicateDefinition: {
    code: 'IMGC5023',
    severity: 'warning',
    summary:
      'the same mount point, repository or user is defined twice: for a partition the last definition is kept (as livemedia-creator does), otherwise both',
    message: (p: { what: string }) => `${p.what} is defined more than once`,
    hint: 'installers disagree on which definition wins; keep one',
  },
  endOutsideSection: {
    code: 'IMGC5024',
    severity: 'error',
    summary: '%end with no open section',
    message: () => '%end without a section to close',
  },
  versionCommentDiffers: {
    code: 'IMGC5025',
    severity: 'info',
    summary: 'the #version= comment names another version than the one the file is read with',
    message: (p: { comment: string; version: string }) =>
      `the file says #version=${p.comment}; it is read as ${p.version} (#version= is a comment, as in pykickstart)`,
    hint: 'choose the version with --ks-version',
  },
  versionChosen: {
    code: 'IMGC5030',
    severity: 'info',
    summary:
      'the kickstart syntax version the file is read with, and why: --ks-version, the #version= comment, the release its url/repo lines name, or the newest version that accepts its commands and options',
    message: (p: { version: string; reason: string }) => `read as kickstart ${p.version}: ${p.reason}`,
    hint: 'give --ks-version to read it as another version',
  },
  volgroupWithoutMembers: {
    code: 'IMGC5040',
    severity: 'error',
    summary: 'a volgroup that lists no physical volumes and does not reuse an existing group',
    message: (p: { name: string }) =>
      `volgroup ${p.name}: no physical volumes given (pykickstart refuses it: "volgroup must be given a list of partitions")`,
    hint: 'name its physical volumes (part pv.01 ... then volgroup NAME pv.01), or add --useexisting to reuse a group already on the disk',
  },
  logvolWithoutSize: {
    code: 'IMGC5041',
    severity: 'error',
    summary: 'a logvol without a size, where the version requires one',
    message: (p: { name: string; version: string }) =>
      `logvol ${p.name}: no size given (kickstart ${p.version} needs --size, --percent, --useexisting, --noformat, --recommended or --hibernation)`,
    hint: 'give --size=MiB (with --grow to take free space) or --percent=N of the volume group',
  },
  scriptBodyUnsafe: {
    code: 'IMGC5101',
    severity: 'error',
    summary:
      'a script line that kickstart would read as a directive; the script cannot be written faithfully',
    message: (p: { line: string }) => `script line "${p.line}" would be read as a kickstart directive`,
    hint: 'indent the line or wrap it, e.g. `true; %post` cannot start a line',
  },
});
