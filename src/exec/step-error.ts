export { StepError } from '../backends/contract.js';
