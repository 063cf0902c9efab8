import { runFixtureSuite } from '../../harness/fixtures.js';
import { fixturesDirOf } from '../../helpers/shared.js';

runFixtureSuite('kiwi', fixturesDirOf('kiwi'), { options: { arch: 'x86_64' } });
