// Entry point for win32 end-to-end tests: Windows node.exe under Wine on a
// private Xvfb, with screenshots and mouse input. Prepare with setup.sh.
export { wineEnv, toWindowsPath, assertWineReady, type WineEnv } from './paths';
export { startXvfb, type Xvfb, type XvfbOptions } from './xvfb';
export {
  spawnWindowsNode,
  windowsNodeEnv,
  wineserverKill,
  type SpawnWindowsNodeOptions,
  type WindowsNodeProcess,
} from './wine-node';
export { screenshot, waitForScreen, sameRgb } from './screen';
export { decodeXwd, type DecodedImage, type Rgb } from './xwd';
export { xdotool, mouseMove, click, mouseDown, mouseUp } from './input';

/** True when the win32 suites should run (they need setup.sh and take seconds). */
export const win32TestsEnabled = process.env.PANEPIPE_WIN32_TESTS === '1';
