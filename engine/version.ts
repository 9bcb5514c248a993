import * as fs from 'node:fs';
import * as path from 'node:path';

/** The package version, read from package.json next to the build. */
export const ENGINE_VERSION: string = (() => {
  for (const dir of [path.join(__dirname, '..', '..'), path.join(__dirname, '..')]) {
    try {
      return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      // Try the next candidate: sources and build sit at different depths.
    }
  }
  return '0.0.0';
})();
