import { runFixtureSuite } from '../../harness/fixtures.js';
import { fixturesDirOf } from '../../helpers/shared.js';

runFixtureSuite('treefile', fixturesDirOf('treefile'), { options: { arch: 'x86_64' } });
