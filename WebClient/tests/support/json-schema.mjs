// A small JSON Schema (draft 2020-12) checker for the keywords Protocol/schemas/ use: type, const, enum,
// properties, required, additionalProperties, items, minItems, minimum, minLength, pattern, allOf, if/then/else,
// $ref to #/$defs/…. `format` is not checked. Returns a list of error strings (empty when valid).

const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
const matchesType = (v, t) => typeOf(v) === t || (t === 'number' && typeof v === 'number');

export function validate(schema, value, root = schema, path = '$') {
  const errors = [];
  if (schema === true) return errors;
  if (schema === false) return [`${path}: not allowed`];
  if (schema.$ref) {
    if (!schema.$ref.startsWith('#/')) throw new Error(`unsupported $ref ${schema.$ref}`);
    const target = schema.$ref.slice(2).split('/').reduce((o, k) => o[k], root);
    errors.push(...validate(target, value, root, path));
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => matchesType(value, t))) return [...errors, `${path}: expected ${types.join('|')}, got ${typeOf(value)}`];
  }
  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) errors.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) errors.push(`${path}: not one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${path}: below ${schema.minimum}`);
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && [...value].length < schema.minLength) errors.push(`${path}: shorter than ${schema.minLength}`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) errors.push(`${path}: does not match ${schema.pattern}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${path}: fewer than ${schema.minItems} items`);
    if (schema.items !== undefined) value.forEach((item, i) => errors.push(...validate(schema.items, item, root, `${path}[${i}]`)));
  }
  if (typeOf(value) === 'object') {
    for (const key of schema.required ?? []) if (!(key in value)) errors.push(`${path}: missing ${key}`);
    const props = schema.properties ?? {};
    for (const [key, v] of Object.entries(value)) {
      if (key in props) errors.push(...validate(props[key], v, root, `${path}.${key}`));
      else if (schema.additionalProperties !== undefined) errors.push(...validate(schema.additionalProperties, v, root, `${path}.${key}`));
    }
  }
  for (const sub of schema.allOf ?? []) errors.push(...validate(sub, value, root, path));
  if (schema.if !== undefined) {
    const branch = validate(schema.if, value, root, path).length === 0 ? schema.then : schema.else;
    if (branch !== undefined) errors.push(...validate(branch, value, root, path));
  }
  return errors;
}
