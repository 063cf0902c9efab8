/**
 * dib's YAML and JSON files (image lists, package-installs, pkg-map, svc-map, block-device
 * configs) → a plain value plus the line and column of every node, keyed by JSON Pointer.
 * JSON is read as YAML 1.2, which it is.
 */
export {
  type ParsedYaml,
  parseYamlWithPositions as parseDibYaml,
} from '../../shared/yaml-with-positions.js';

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** Any YAML value as text for a message; String() throws on the prototype-less maps the reader makes. */
export function textOf(v: unknown): string {
  return isScalar(v) || v === null || v === undefined ? String(v) : JSON.stringify(v);
}
