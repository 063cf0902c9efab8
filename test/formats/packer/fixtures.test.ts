import { runFixtureSuite } from '../../harness/fixtures.js';
import { fixturesDirOf } from '../../helpers/shared.js';

runFixtureSuite('packer', fixturesDirOf('packer'));
