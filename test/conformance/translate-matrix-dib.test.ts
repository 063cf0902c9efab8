import { runCorpusMatrix } from './translate-matrix.js';

runCorpusMatrix('dib');
