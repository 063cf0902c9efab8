import { runFixtureSuite } from '../../harness/fixtures.js';
import { fixturesDirOf } from '../../helpers/shared.js';

runFixtureSuite('tdl', fixturesDirOf('tdl'));
