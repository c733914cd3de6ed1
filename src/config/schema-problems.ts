/**
 * ajv's validation errors against the shipped schema, said the way ESLint and ruff say config
 * problems: which key, what is wrong with it, and what is allowed there. ajv words every error
 * generically ("must NOT have additional properties", "must be equal to one of the allowed values")
 * and leaves the key or the values in its parameters; this puts them into the message.
 */
import type { ErrorObject } from 'ajv';
import type { ConfigProblem, JsonPath } from './config-text.js';
import { orList } from './rule-settings.js';

export function schemaProblems(errors: readonly ErrorObject[]): ConfigProblem[] {
  return errors.map((error) => {
    const path = pathOf(error.instancePath);
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case 'additionalProperties': {
        const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
        return { path: [...path, String(params.additionalProperty)], atKey: true, message: `unknown key; expected ${allowed.length > 0 ? `one of ${allowed.join(', ')}` : 'none'}` };
      }
      case 'enum': {
        const allowed = (params.allowedValues as unknown[]).map((value) => JSON.stringify(value));
        return { path, atKey: false, message: `${JSON.stringify(error.data)} is not allowed; expected ${orList(allowed)}` };
      }
      case 'type':
        return { path, atKey: false, message: `expected ${withArticle(String(params.type))}, found ${describeValue(error.data)}` };
      // The schema bounds numbers from below only.
      case 'minimum':
        return { path, atKey: false, message: `must be at least ${String(params.limit)}, found ${JSON.stringify(error.data)}` };
      // ajv checks the number of items of arrays only.
      case 'minItems':
      case 'maxItems':
        return { path, atKey: false, message: `expected ${error.keyword === 'minItems' ? 'at least' : 'at most'} ${String(params.limit)} items, found ${(error.data as unknown[]).length}` };
      case 'minLength':
        return { path, atKey: false, message: params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters long` };
      case 'maxLength':
        // Said without the value: it is too long to show.
        return { path, atKey: false, message: `must be at most ${String(params.limit)} characters long, found ${typeof error.data === 'string' ? [...error.data].length : '?'}` };
      default:
        return { path, atKey: false, message: error.message ?? 'is not valid' };
    }
  });
}

/** `rules.RL001`, `check.delayUs[1]`; `(top level)` for the whole file. */
export function formatJsonPath(path: JsonPath): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (/^[\w$/-]+$/.test(segment)) return index === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}

/** ajv's instance path, a JSON pointer (`/check/delayUs/1`), as keys and indexes. */
function pathOf(pointer: string): JsonPath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

function withArticle(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${withArticle(typeof value)} (${JSON.stringify(value)})`;
}
