import { kController } from './keys.js';
import type { ControllerMeta } from './types.js';

export function defineController(target: Function, meta: ControllerMeta): void {
  Reflect.defineMetadata(kController, meta, target);
}

/** The controller's own @Controller metadata; a subclass must be decorated itself to be a controller. */
export function getController(target: Function): ControllerMeta | undefined {
  return Reflect.getOwnMetadata(kController, target) as ControllerMeta | undefined;
}
