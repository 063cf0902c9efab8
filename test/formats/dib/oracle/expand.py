"""diskimage-builder's own element expansion, for the dib oracle test.

Reads {"path": "DIR:DIR...", "sets": [[element, ...], ...]} on stdin and prints, per set, the
elements dib 3.x would build, or the exception it raises. dib's element_dependencies module
reads element-deps and element-provides files only; it runs nothing of an element.
When dib stops because no element provides operating-system, the set is expanded again with a
stand-in element that provides it, so the rest of the expansion can still be compared.
"""
import json
import logging
import os
import sys
import tempfile

from diskimage_builder import element_dependencies as ed

logging.disable(logging.CRITICAL)
STAND_IN = 'imgc-oracle-operating-system'


def expand(elements, known):
    try:
        got = ed._expand_element_dependencies(elements, known)
        return {'elements': sorted(e.name for e in got)}
    except ed.MissingOSException:
        try:
            got = ed._expand_element_dependencies(list(elements) + [STAND_IN], known)
            return {'missingOs': True, 'elements': sorted(e.name for e in got if e.name != STAND_IN)}
        except Exception as e:  # the second pass may stop for another reason
            return {'missingOs': True, 'error': type(e).__name__, 'message': str(e)}
    except Exception as e:
        return {'error': type(e).__name__, 'message': str(e)}


def main():
    request = json.load(sys.stdin)
    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, STAND_IN))
        with open(os.path.join(tmp, STAND_IN, 'element-provides'), 'w') as f:
            f.write('operating-system\n')
        known = ed._find_all_elements(request['path'] + ':' + tmp)
        json.dump([expand(s, known) for s in request['sets']], sys.stdout)


main()
