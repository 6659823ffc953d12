import { celloError } from '../errors/cello-error.js';
import type { ParamKind } from '../routing/route-info.js';
import type { RouteDefinition } from '../routing/route-table.js';

// Plain data the main thread binds (and validates) before the call crosses to the worker.
const crossing = new Set<ParamKind>(['param', 'query', 'body', 'header']);

const described: Partial<Record<ParamKind, string>> = {
  request: 'the Request',
  context: 'the RequestContext',
  background: 'BackgroundTasks',
  depends: 'a @Depends() dependency',
  inject: 'an @Inject() service (inject it into the controller\'s constructor instead: the worker\'s container builds it)',
  websocket: 'a WebSocketConnection',
  file: 'an @UploadedFile()',
  files: 'an @UploadedFiles()',
  form: 'a @Form()',
};

/** An offloaded route takes only parameters that are plain data, on an HTTP controller route. */
export function checkOffloadRoute(def: RouteDefinition): void {
  if (def.controller === null || def.propertyKey === null) {
    throw celloError('CELLO_ERR_OFFLOAD_ROUTE', [def.handlerName, 'only controller methods can be offloaded'], { site: def.site });
  }
  if (def.kind !== 'http') {
    throw celloError('CELLO_ERR_OFFLOAD_ROUTE', [def.handlerName, `a ${def.kind === 'sse' ? '@Sse' : '@WebSocket'} route keeps its connection on the main thread; offload the CPU work from a plain @Get/@Post route`], { site: def.site });
  }
  for (const p of def.params) {
    if (!crossing.has(p.kind)) {
      throw celloError('CELLO_ERR_OFFLOAD_PARAM', [def.handlerName, p.index, described[p.kind] ?? `a ${p.kind} parameter`], { site: def.site });
    }
  }
}
