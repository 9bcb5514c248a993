import { parseMonitorsSpec } from '../headless/monitors';
import { HeadlessPlatform } from '../headless/platform';
import type { HitTester } from '../hitTest';
import type { BackendName, Platform } from '../platform';

/** Backends this build can run. win32 needs Windows (or Wine) at run time. */
export const AVAILABLE_BACKENDS: readonly BackendName[] = ['win32', 'headless'];

export function defaultBackend(): BackendName {
  return process.platform === 'win32' ? 'win32' : 'headless';
}

/** Engine-thread side: build the platform for a backend. */
export function createPlatform(opts: { backend: BackendName; monitorsSpec: string }, wakeFlag: Int32Array, hitTest: HitTester): Platform {
  if (opts.backend === 'headless') return new HeadlessPlatform(parseMonitorsSpec(opts.monitorsSpec), wakeFlag, hitTest);
  if (opts.backend === 'win32') {
    if (process.platform !== 'win32') throw new Error('backend "win32" needs Windows (or Windows Node.js under Wine)');
    // Loaded only here: the win32 modules bind user32 & co. at import.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Win32Platform } = require('../win32/platform') as typeof import('../win32/platform');
    return new Win32Platform(hitTest, wakeFlag);
  }
  throw new Error(`backend "${opts.backend}" is not available in this build (available: ${AVAILABLE_BACKENDS.join(', ')})`);
}
