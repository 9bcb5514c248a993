import type { Handler } from '../context';

export const pipHandlers: { [O in 'setSourceRegion' | 'clearSourceRegion' | 'setCaptureFps']: Handler<O> } = {
  setSourceRegion: {
    kinds: ['pip'],
    apply(_ctx, cmd, s) {
      s!.pip!.region = { x: cmd.x, y: cmd.y, width: cmd.width, height: cmd.height };
      s!.needsPresent = true;
    },
  },
  clearSourceRegion: {
    kinds: ['pip'],
    apply(_ctx, _cmd, s) {
      s!.pip!.region = null;
      s!.needsPresent = true;
    },
  },
  setCaptureFps: {
    kinds: ['pip'],
    apply(_ctx, cmd, s) {
      s!.pip!.fps = cmd.fps;
    },
  },
};
