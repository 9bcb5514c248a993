import * as os from 'node:os';
import * as path from 'node:path';
import { connectionFilePath, isNamedPipe, resolveEndpoint, resolveStateDir } from '../../protocol';

// The rules docs/protocol.md and docs/client-api.md give for finding an engine.
describe('where a client finds its engine', () => {
  const me = os.userInfo();

  it('an explicit endpoint wins over PANEPIPE_ENDPOINT, which wins over the per-user default', () => {
    const env = { PANEPIPE_ENDPOINT: '/env/e.sock', XDG_RUNTIME_DIR: '/run/user/7' };
    expect(resolveEndpoint({ endpoint: '/opt/e.sock', env, platform: 'linux' })).toBe('/opt/e.sock');
    expect(resolveEndpoint({ env, platform: 'linux' })).toBe('/env/e.sock');
    expect(resolveEndpoint({ env: { XDG_RUNTIME_DIR: '/run/user/7' }, platform: 'linux' })).toBe('/run/user/7/panepipe/engine.sock');
  });

  it('off Windows the state directory is stateDir, else PANEPIPE_HOME, else $XDG_RUNTIME_DIR/panepipe, else one in the temp dir named for the user', () => {
    const env = { PANEPIPE_HOME: '/home/me/pp', XDG_RUNTIME_DIR: '/run/user/7', TMPDIR: '/scratch' };
    expect(resolveStateDir({ stateDir: '/given', env, platform: 'linux' })).toBe('/given');
    expect(resolveStateDir({ env, platform: 'linux' })).toBe('/home/me/pp');
    expect(resolveStateDir({ env: { XDG_RUNTIME_DIR: '/run/user/7', TMPDIR: '/scratch' }, platform: 'linux' })).toBe('/run/user/7/panepipe');
    expect(resolveStateDir({ env: { TMPDIR: '/scratch' }, platform: 'linux' })).toBe(`/scratch/panepipe-${me.username}-${me.uid}`);
    expect(resolveEndpoint({ env: { PANEPIPE_HOME: '/home/me/pp' }, platform: 'linux' })).toBe('/home/me/pp/engine.sock');
  });

  it('on Windows the default is a pipe named for the user, with its state in %LOCALAPPDATA%\\panepipe', () => {
    const endpoint = resolveEndpoint({ env: { XDG_RUNTIME_DIR: '/run/user/7' }, platform: 'win32' });
    expect(endpoint.startsWith(`\\\\.\\pipe\\panepipe-${me.username}`)).toBe(true);
    expect(isNamedPipe(endpoint)).toBe(true);
    expect(resolveStateDir({ env: { LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' }, platform: 'win32' })).toBe('C:\\Users\\me\\AppData\\Local\\panepipe');
    expect(resolveStateDir({ env: {}, platform: 'win32' })).toBe(path.win32.join(os.homedir(), 'AppData', 'Local', 'panepipe'));
  });

  it('named pipes are told from socket paths by either pipe prefix', () => {
    expect(isNamedPipe('\\\\.\\pipe\\x')).toBe(true);
    expect(isNamedPipe('\\\\?\\pipe\\x')).toBe(true);
    expect(isNamedPipe('/tmp/pipe/x')).toBe(false);
    expect(isNamedPipe('C:\\pipe\\x')).toBe(false);
  });

  it('the connection file sits beside a socket, in the state directory for a pipe, and differs per endpoint', () => {
    const a = connectionFilePath('/run/a/engine.sock');
    expect(path.dirname(a)).toBe('/run/a');
    expect(path.basename(a)).toMatch(/^engine-[0-9a-f]{16}\.json$/);
    expect(connectionFilePath('/run/b/engine.sock')).not.toBe(a.replace('/run/a', '/run/b'));
    const pipe = connectionFilePath('\\\\.\\pipe\\panepipe-me', { stateDir: '/state' });
    expect(path.dirname(pipe)).toBe('/state');
    expect(connectionFilePath('\\\\.\\pipe\\panepipe-you', { stateDir: '/state' })).not.toBe(pipe);
  });
});
