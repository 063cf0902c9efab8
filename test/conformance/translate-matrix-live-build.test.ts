import { runCorpusMatrix } from './translate-matrix.js';

runCorpusMatrix('live-build');
