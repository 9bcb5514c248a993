import type { z } from 'zod';

/**
 * A yes/no version of a zod schema, compiled from the schema's own
 * definition into one JavaScript function, for the hot path. `true` means
 * zod would accept the value and return an equal value, so the caller may
 * use the input as it is; `false` means "ask zod", which gives the verdict,
 * the output and the message. Anything the compiler does not know
 * (transforms, defaults, non-strict objects that strip keys, unknown
 * checks) compiles to `null`: no fast path.
 */
export type FastCheck = (value: unknown) => boolean;

export function compileFastCheck(schema: z.ZodType): FastCheck | null {
  const compiler = new Compiler();
  try {
    const body = compiler.statements(schema, 'v');
    // Generated once per op, on its first use; constants travel in `k`, never as source text.
    const make = new Function('k', 'isPlainObject', `return function fastCheck(v) {\n${body}\nreturn true;\n};`) as (
      k: unknown[],
      isPlain: typeof isPlainObject,
    ) => FastCheck;
    return make(compiler.constants, isPlainObject);
  } catch (err) {
    if (err instanceof Unsupported) return null;
    throw err;
  }
}

/** zod 4 keeps each schema's definition and checks under `_zod.def`. */
interface Def {
  type: string;
  checks?: Array<{ _zod: { def: CheckDef } }>;
  [field: string]: unknown;
}
interface CheckDef {
  check: string;
  [field: string]: unknown;
}

function defOf(schema: unknown): Def {
  return (schema as { _zod: { def: Def } })._zod.def;
}

class Unsupported extends Error {}

/** An object literal from any realm (jest runs tests in their own); class instances and arrays are left to zod. */
function isPlainObject(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as object | null;
  return proto !== null && Object.getPrototypeOf(proto) === null;
}

/** Emits statements that `return false` as soon as a rule fails. */
class Compiler {
  readonly constants: unknown[] = [];
  private names = 0;

  statements(schema: z.ZodType, v: string): string {
    const def = defOf(schema);
    const rules = (def.checks ?? []).map((c) => this.rule(c._zod.def, v));
    return [this.type(def, v), ...rules].join('\n');
  }

  private constant(value: unknown): string {
    this.constants.push(value);
    return `k[${this.constants.length - 1}]`;
  }

  private name(): string {
    return `v${++this.names}`;
  }

  private type(def: Def, v: string): string {
    switch (def.type) {
      case 'string':
        return `if (typeof ${v} !== 'string') return false;`;
      case 'number':
        // zod 4 numbers refuse NaN and ±Infinity.
        return `if (typeof ${v} !== 'number' || !Number.isFinite(${v})) return false;`;
      case 'boolean':
        return `if (typeof ${v} !== 'boolean') return false;`;
      case 'literal':
        return `if (!${this.constant(def.values)}.includes(${v})) return false;`;
      case 'enum':
        return `if (!${this.constant(new Set(Object.values(def.entries as object)))}.has(${v})) return false;`;
      case 'optional':
        return `if (${v} !== undefined) {\n${this.statements(def.innerType as z.ZodType, v)}\n}`;
      case 'nullable':
        return `if (${v} !== null) {\n${this.statements(def.innerType as z.ZodType, v)}\n}`;
      case 'union': {
        const options = (def.options as z.ZodType[]).map((option) => {
          const check = compileFastCheck(option);
          if (!check) throw new Unsupported();
          return `${this.constant(check)}(${v})`;
        });
        return `if (!(${options.join(' || ')})) return false;`;
      }
      case 'array': {
        const i = this.name();
        const item = this.name();
        // Indexed: zod visits holes too.
        return [
          `if (!Array.isArray(${v})) return false;`,
          `for (let ${i} = 0; ${i} < ${v}.length; ${i}++) {`,
          `const ${item} = ${v}[${i}];`,
          this.statements(def.element as z.ZodType, item),
          '}',
        ].join('\n');
      }
      case 'object':
        return this.strictObject(def, v);
      case 'custom':
        return this.rule({ check: 'custom', fn: def.fn }, v);
      case 'unknown':
        return '';
      case 'pipe':
        // Both sides check the same value: only pipes whose first side leaves it unchanged (checks, no transforms).
        return `${this.statements(def.in as z.ZodType, v)}\n${this.statements(def.out as z.ZodType, v)}`;
      default:
        throw new Unsupported();
    }
  }

  /** Only strict objects: other kinds strip or keep unknown keys, so zod's output would differ. */
  private strictObject(def: Def, v: string): string {
    if (def.catchall === undefined || defOf(def.catchall).type !== 'never') throw new Unsupported();
    const shape = Object.entries(def.shape as Record<string, z.ZodType>);
    const keys = this.name();
    const lines = [`if (!isPlainObject(${v})) return false;`, `let ${keys} = 0;`, `for (const _ in ${v}) ${keys}++;`];
    // Every key must be one of the shape's, with a value: a key set to undefined is left to zod.
    const present = shape.map(([key]) => `(${v}[${JSON.stringify(key)}] !== undefined ? 1 : 0)`);
    lines.push(`if (${keys} !== ${[0, ...present].join(' + ')}) return false;`);
    for (const [key, schema] of shape) {
      const field = this.name();
      lines.push(`const ${field} = ${v}[${JSON.stringify(key)}];`, this.statements(schema, field));
    }
    return lines.join('\n');
  }

  /** One of zod's checks (`.min()`, `.regex()`, `.int()`, `.refine()`, …), applied after the type matched. */
  private rule(def: CheckDef, v: string): string {
    switch (def.check) {
      case 'min_length':
        return `if (${v}.length < ${Number(def.minimum)}) return false;`;
      case 'max_length':
        return `if (${v}.length > ${Number(def.maximum)}) return false;`;
      case 'greater_than':
        return `if (!(${v} ${def.inclusive ? '>=' : '>'} ${this.constant(def.value)})) return false;`;
      case 'less_than':
        return `if (!(${v} ${def.inclusive ? '<=' : '<'} ${this.constant(def.value)})) return false;`;
      case 'number_format':
        if (def.format !== 'safeint') throw new Unsupported();
        return `if (!Number.isSafeInteger(${v})) return false;`;
      case 'string_format': {
        if (def.format !== 'regex') throw new Unsupported();
        const pattern = this.constant(def.pattern);
        return `${pattern}.lastIndex = 0;\nif (!${pattern}.test(${v})) return false;`;
      }
      case 'custom':
        return `if (${this.constant(def.fn)}(${v}) !== true) return false;`;
      default:
        throw new Unsupported();
    }
  }
}
