/** docs/client-api.md names every public method of the client classes, so it cannot drift from them. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, Hud, Panel, Pip, Tray } from '../../client';
import { ROOT } from '../helpers/engine';

/** Methods declared `private` or `protected` in client/*.ts (they are on the prototype at run time too). */
function hiddenNames(): Set<string> {
  const dir = path.join(ROOT, 'client');
  const names = new Set<string>();
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const src = fs.readFileSync(path.join(dir, f), 'utf8');
    for (const m of src.matchAll(/^\s*(?:private|protected)\s+(?:readonly\s+)?(?:async\s+)?(?:get\s+|set\s+)?([A-Za-z_$][\w$]*)/gm)) names.add(m[1]!);
  }
  return names;
}

/** Own string-named members of the prototype chain, up to Object.prototype. */
function prototypeMembers(cls: { prototype: object }): string[] {
  const out = new Set<string>();
  for (let p: object | null = cls.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const name of Object.getOwnPropertyNames(p)) if (name !== 'constructor') out.add(name);
  }
  return [...out];
}

describe('docs/client-api.md', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'client-api.md'), 'utf8');
  const hidden = hiddenNames();
  it.each([
    ['Client', Client],
    ['Hud', Hud],
    ['Panel', Panel],
    ['Pip', Pip],
    ['Tray', Tray],
  ] as const)('mentions every public method of %s', (_name, cls) => {
    const publicNames = prototypeMembers(cls).filter((n) => !hidden.has(n));
    expect(publicNames.length).toBeGreaterThan(0);
    const missing = publicNames.filter((n) => !new RegExp(`\`${n}[(\`]`).test(doc));
    expect(missing).toEqual([]);
  });

  it('mentions connect() and its options', () => {
    expect(doc).toMatch(/connect\(options\?\)/);
    for (const opt of ['autostart', 'endpoint', 'name', 'timeoutMs', 'idleExitMs', 'engineArgs', 'eventQueueCapacity']) expect(doc).toContain(`\`${opt}\``);
  });
});
