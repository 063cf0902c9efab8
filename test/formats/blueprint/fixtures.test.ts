import { runFixtureSuite } from '../../harness/fixtures.js';
import { fixturesDirOf } from '../../helpers/shared.js';

runFixtureSuite('blueprint', fixturesDirOf('blueprint'));
runFixtureSuite('blueprint-json', fixturesDirOf('blueprint-json'));
