import { kParams } from './keys.js';
import type { ParamMeta } from './types.js';

type OwnParams = Map<string, ParamMeta[]>;

export function defineParam(proto: object, propertyKey: string, meta: ParamMeta): void {
  let params = Reflect.getOwnMetadata(kParams, proto) as OwnParams | undefined;
  if (!params) {
    params = new Map();
    Reflect.defineMetadata(kParams, params, proto);
  }
  const list = params.get(propertyKey) ?? [];
  list.push(meta);
  params.set(propertyKey, list);
}

/** Parameter decorators of the method as declared on `proto` itself (the method's owner). */
export function getParams(proto: object, propertyKey: string): ParamMeta[] {
  const params = Reflect.getOwnMetadata(kParams, proto) as OwnParams | undefined;
  return params?.get(propertyKey) ?? [];
}
