# pykickstart's verdict on every top-level corpus kickstart under every version imgc supports,
# as the list of versions that accept it (run outside the repo; reads includes as oracle.py does):
#   PYKICKSTART=/path/to/pykickstart python3 test/conformance/kickstart-oracle/corpus_verdicts.py \
#     > test/conformance/kickstart-verdicts-golden.json
import json, os, sys
here = os.path.dirname(os.path.abspath(__file__))
source = open(os.path.join(here, 'oracle.py')).read()
exec(source[:source.index('rows = []')])  # the helpers of oracle.py, without its main loop

VERSIONS = ['RHEL5', 'RHEL6', 'RHEL7', 'RHEL8', 'RHEL9', 'RHEL10'] + ['F%d' % n for n in range(7, 46)]
out = {'source': 'pykickstart 3.74 (commit 435ebbef), run from its source outside the repo by test/conformance/kickstart-oracle/corpus_verdicts.py', 'accepting': {}}
with open(os.path.join(CORPUS, 'MANIFEST.tsv')) as f:
    header = f.readline().rstrip('\n').split('\t')
    for line in f:
        r = dict(zip(header, line.rstrip('\n').split('\t')))
        if 'fragment' in r['purpose']: continue
        staged = r['staged_path']
        accepting = []
        for ver in VERSIONS:
            h, p, fatal, kswarn, err = run(os.path.join(CORPUS, staged), ver, search_path(staged), strict=False)
            if fatal is None and p.errorsCount == 0: accepting.append(ver)
        out['accepting'][staged] = accepting
json.dump(out, sys.stdout, indent=1, sort_keys=True)
