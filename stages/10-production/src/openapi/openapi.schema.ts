import { z } from 'zod';

export type JsonSchema = { [key: string]: unknown };

// zod writes each schema that carries `.meta({ id })` once, under `$defs`, and points at it with
// `#/$defs/<id>`; an OpenAPI document keeps them under `components.schemas`. Moving them there is
// all it takes to turn zod's own JSON Schema (draft 2020-12, which OpenAPI 3.1 uses) into ours.
const FROM = '#/$defs/';
const TO = '#/components/schemas/';

function relink(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(relink);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) =>
      key === '$ref' && typeof inner === 'string' && inner.startsWith(FROM)
        ? [key, TO + inner.slice(FROM.length)]
        : [key, relink(inner)],
    ),
  );
}

/**
 * The named schemas of the document, filled as schemas are converted. A request body is
 * converted as zod parses it (`input`: defaults make a field optional), a response as it is
 * sent (`output`); one id with two different shapes would make one of them lie, so it throws.
 */
export function createSchemaCollector() {
  const components: Record<string, JsonSchema> = {};

  function add(id: string, schema: JsonSchema): void {
    const known = components[id];
    if (known && JSON.stringify(known) !== JSON.stringify(schema)) {
      throw new Error(`Schema "${id}" has a different shape as a request and as a response.`);
    }
    components[id] = schema;
  }

  /** `schema` as JSON Schema; every named schema inside it becomes a `$ref` to a component. */
  function convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as JsonSchema;
    const { $schema: _dialect, $defs = {}, ...rest } = json;
    for (const [id, def] of Object.entries($defs as Record<string, JsonSchema>)) {
      add(id, relink(def) as JsonSchema);
    }
    return relink(rest) as JsonSchema;
  }

  return { components, convert };
}

/**
 * The components `root` points at, directly or through each other. Parameter schemas are named
 * too (`TicketIdParams`), but become parameters, not references: they would only clutter the list.
 */
export function referencedComponents(root: unknown, components: Record<string, JsonSchema>) {
  const kept: Record<string, JsonSchema> = {};
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    for (const [key, inner] of Object.entries(value)) {
      const id = key === '$ref' && typeof inner === 'string' ? inner.slice(TO.length) : undefined;
      if (id === undefined) visit(inner);
      else if (!(id in kept) && components[id]) {
        kept[id] = components[id];
        visit(components[id]);
      }
    }
  };
  visit(root);
  return kept;
}
