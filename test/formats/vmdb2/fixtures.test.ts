import { runFixtureSuite } from '../../harness/fixtures.js';
import { fixturesDirOf } from '../../helpers/shared.js';

runFixtureSuite('vmdb2', fixturesDirOf('vmdb2'));
