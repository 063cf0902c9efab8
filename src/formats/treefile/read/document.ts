/**
 * Treefile text → a plain JSON value plus a position for every node, keyed by JSON Pointer.
 * rpm-ostree reads `*.json` as JSON and other names as YAML; JSON is YAML 1.2, so one YAML
 * reader with positions serves both.
 */
export {
  MAX_ALIAS_VALUES,
  type ParsedYaml as Parsed,
  parseYamlWithPositions as parseTreefileText,
} from '../../shared/yaml-with-positions.js';
