"""
KIWI's own verdict on many image descriptions in one process (no start-up per file).

Mode "image-info" (Debian's KIWI 9.x, schema 7.5): the steps `kiwi-ng image info
--description DIR` takes before it prints anything: XMLDescription.load (RelaxNG,
schematron, XSLT upgrade, generateDS parse), XMLState (profile and build type selection)
and RuntimeChecker.check_repositories_configured.

Mode "schematron RNG": the ISO schematron rules embedded in the RelaxNG schema RNG (KIWI's
own way of extracting them), run on each description's config.xml.

Reads one description folder per line on stdin; writes one JSON object per line on stdout:
{"dir": ..., "ok": true} or {"dir": ..., "ok": false, "error": "first KIWI error"}.
Run it with Debian's /usr/bin/python3, where the kiwi and lxml modules live.
"""
import json
import logging
import os
import sys


def first_lines(text, count=3):
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return ' | '.join(lines[:count])


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.INFO)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


class CompiledOnce:
    """lxml.etree and isoschematron as KIWI uses them, compiling each schema file only once."""

    def __init__(self, module, factory_name):
        self._module = module
        self._factory = getattr(module, factory_name)
        self._compiled = {}
        setattr(self, factory_name, self._compile)

    def _compile(self, doc, **options):
        key = (doc.docinfo.URL, tuple(sorted(options.items())))
        if key not in self._compiled:
            self._compiled[key] = self._factory(doc, **options)
        return self._compiled[key]

    def __getattr__(self, name):
        return getattr(self._module, name)


def image_info_judge():
    from lxml import etree, isoschematron
    import kiwi.xml_description
    from kiwi.xml_description import XMLDescription
    from kiwi.xml_state import XMLState
    from kiwi.runtime_checker import RuntimeChecker

    # XMLDescription.load compiles KIWI's schema and schematron per call (about 1 s); the
    # verdict is the same with the compiled objects reused
    kiwi.xml_description.etree = CompiledOnce(etree, 'RelaxNG')
    kiwi.xml_description.isoschematron = CompiledOnce(isoschematron, 'Schematron')
    log = logging.getLogger('kiwi')
    log.setLevel(logging.INFO)
    for handler in list(log.handlers):
        log.removeHandler(handler)
    log.propagate = False
    collect = Collect()
    log.addHandler(collect)

    def judge(directory):
        collect.messages = []
        config = os.path.join(directory, 'config.xml')
        try:
            data = XMLDescription(config).load()
            state = XMLState(data)
            RuntimeChecker(state).check_repositories_configured()
            return None
        except Exception as issue:  # KIWI raises its own exception types for every rejection
            details = [m for m in collect.messages if m.startswith('-->')]
            detail = first_lines(details[0][3:]) if details else ''
            head = f'{type(issue).__name__}: {first_lines(issue, 2)}'
            return f'{head} {detail}'.strip()

    return judge


def schematron_judge(rng_file):
    from lxml import etree, isoschematron

    schematron = isoschematron.Schematron(etree.parse(rng_file), store_report=True)

    def judge(directory):
        try:
            doc = etree.parse(os.path.join(directory, 'config.xml'))
        except Exception as issue:
            return f'{type(issue).__name__}: {first_lines(issue, 2)}'
        if schematron.validate(doc):
            return None
        report = schematron.validation_report
        texts = report.xpath('//svrl:failed-assert/svrl:text', namespaces=report.getroot().nsmap)
        return 'schematron: ' + ' | '.join(' '.join(t.text.split()) for t in texts[:2] if t.text)

    return judge


def print_type_rules(rng_file):
    """The parameters of the schematron patterns the KIWI writer obeys (src/formats/kiwi/write/type-rules.ts)."""
    from lxml import etree

    ns = {'sch': 'http://purl.oclc.org/dsdl/schematron'}
    wanted = {
        'image_type': 'attributeImages',
        'image_btrfs_type_requirement': 'btrfsOnly',
        'image_type_requirement': 'requiredByImage',
        'image_expandable': 'needsOemResizeOff',
        'bootloader_image_type': 'bootloaderImages',
        'bootloader_name_type': 'bootloaderNames',
        'container_type': 'containerImages',
    }
    rules = {key: {} for key in wanted.values()}
    for pattern in etree.parse(rng_file).xpath('//sch:pattern[@is-a]', namespaces=ns):
        key = wanted.get(pattern.get('is-a'))
        if key is None:
            continue
        params = {p.get('name'): p.get('value') for p in pattern.xpath('sch:param', namespaces=ns)}
        rules[key][params['attr']] = params.get('types', '').split()
    print(json.dumps(rules, indent=2, sort_keys=True))


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else ''
    if mode == 'rules' and len(sys.argv) > 2:
        return print_type_rules(sys.argv[2])
    if mode == 'image-info':
        judge = image_info_judge()
    elif mode == 'schematron' and len(sys.argv) > 2:
        judge = schematron_judge(sys.argv[2])
    else:
        sys.exit('usage: kiwi-acceptance.py image-info | schematron RNG  < folders | rules RNG')
    for line in sys.stdin:
        directory = line.strip()
        if not directory:
            continue
        error = judge(directory)
        result = {'dir': directory, 'ok': error is None}
        if error is not None:
            result['error'] = error
        print(json.dumps(result), flush=True)


if __name__ == '__main__':
    main()
