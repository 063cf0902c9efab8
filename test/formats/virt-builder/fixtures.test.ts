import { runFixtureSuite } from '../../harness/fixtures.js';
import { fixturesDirOf } from '../../helpers/shared.js';

runFixtureSuite('virt-builder', fixturesDirOf('virt-builder'));
