import type { ParamKind } from '../route-info.js';
import { backgroundParam } from './background.js';
import { bodyParam } from './body.js';
import { contextParam } from './context.js';
import { dependsParam } from './depends.js';
import { formParam } from './form.js';
import { headerParam } from './header.js';
import { injectParam } from './inject.js';
import type { ParamKindSpec } from './param-kind.js';
import { pathParam } from './path-param.js';
import { queryParam } from './query.js';
import { requestParam } from './request.js';
import { websocketParam } from './websocket.js';
import { uploadedFileParam } from './uploaded-file.js';
import { uploadedFilesParam } from './uploaded-files.js';

const all: readonly ParamKindSpec[] = [
  requestParam, contextParam, backgroundParam,
  bodyParam, queryParam, pathParam, headerParam,
  injectParam, dependsParam,
  websocketParam,
  uploadedFileParam, uploadedFilesParam, formParam,
];

/** Every parameter kind, by name. A new kind is one file plus one entry here. */
export const paramKinds: ReadonlyMap<ParamKind, ParamKindSpec> = new Map(all.map((k) => [k.kind, k]));

/** Classes a handler parameter may be typed with to receive a per-request object. */
export const typeBoundKinds: ReadonlyMap<unknown, ParamKind> = new Map(
  all.filter((k) => k.boundType !== undefined).map((k) => [k.boundType, k.kind]),
);
