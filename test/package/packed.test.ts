import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../helpers/engine';

/** What `npm pack` would publish, read from npm's own listing. */
function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
  return (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
}

describe('the published package', () => {
  const files = packedFiles();
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;

  it('carries its MIT licence text, matching the manifest', () => {
    expect(files).toContain('LICENSE');
    expect(manifest.license).toBe('MIT');
    expect(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    expect(manifest.keywords).toEqual(expect.arrayContaining(['overlay', 'windows']));
  });

  it('ships every source map with the sources it points to', () => {
    const maps = files.filter((f) => f.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(0);
    const missing = maps.filter((m) => {
      const map = JSON.parse(fs.readFileSync(path.join(ROOT, m), 'utf8')) as { sources: string[]; sourcesContent?: Array<string | null> };
      return !map.sourcesContent || map.sourcesContent.length !== map.sources.length || map.sourcesContent.some((s) => typeof s !== 'string');
    });
    expect(missing).toEqual([]);
  });
});
