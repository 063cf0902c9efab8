import { runFixtureSuite } from '../../harness/fixtures.js';
import { fixturesDirOf } from '../../helpers/shared.js';

/** Kickstart fixtures, read and written as the newest Fedora handler (F45, the default). */
runFixtureSuite('kickstart', fixturesDirOf('kickstart'), { options: { ksVersion: 'F45' } });
