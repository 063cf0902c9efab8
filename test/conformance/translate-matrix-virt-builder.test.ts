import { runCorpusMatrix } from './translate-matrix.js';

runCorpusMatrix('virt-builder');
