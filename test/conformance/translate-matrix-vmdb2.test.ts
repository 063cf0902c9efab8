import { runCorpusMatrix } from './translate-matrix.js';

runCorpusMatrix('vmdb2');
