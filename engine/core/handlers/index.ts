import { PanepipeError } from '../../../protocol';
import type { HandlerTable } from '../context';
import { createHandlers } from './create';
import { pipHandlers } from './pip';
import { queryHandlers } from './queries';
import { sceneHandlers } from './scene';
import { surfaceHandlers } from './surface';
import { testHandlers } from './testing';
import { trayHandlers } from './tray';

/** Every op's handler. `batch` is run by EngineCore itself over the state ops' handlers. */
export const HANDLERS: HandlerTable = {
  ...createHandlers,
  ...sceneHandlers,
  ...surfaceHandlers,
  ...pipHandlers,
  ...trayHandlers,
  ...queryHandlers,
  ...testHandlers,
  batch: {
    apply() {
      throw new PanepipeError('internal', 'batch is dispatched by the engine core');
    },
  },
};
