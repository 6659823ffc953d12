import type { AppRuntime } from '../app-runtime.js';
import type { Dependency } from '../di/dependency.js';
import type { RequestContext } from '../di/request-context.js';
import { celloError } from '../errors/cello-error.js';
import type { RouteDefinition } from '../routing/route-table.js';
import type { ParamInfo, RouteInfo } from '../routing/route-info.js';
import { checkLimit, checkStorage, type UploadStorage } from './multipart-options.js';
import { ParsedForm, readMultipart, type FormPlan } from './multipart-reader.js';

const multipartKinds = new Set(['file', 'files', 'form']);

/** Whether the route reads a multipart body (has `@UploadedFile`, `@UploadedFiles` or `@Form`). */
export function isMultipartRoute(route: RouteInfo): boolean {
  return route.params.some((p) => multipartKinds.has(p.kind));
}

function misplaced(route: RouteDefinition, why: string): never {
  const param = route.params.find((p) => multipartKinds.has(p.kind))!;
  throw celloError('CELLO_ERR_MULTIPART_MISPLACED', [`the multipart parameter at position ${param.index}`, route.handlerName, why], { site: route.site });
}

function fieldOf(p: ParamInfo, runtime: AppRuntime, route: RouteDefinition): { maxSize: number; maxCount: number; storage: UploadStorage } {
  const o = (p.options ?? {}) as { maxSize?: unknown; maxCount?: unknown; storage?: unknown };
  const where = `${route.handlerName}, parameter ${p.index}`;
  const defaults = runtime.multipart;
  return {
    maxSize: o.maxSize === undefined ? defaults.fileSize : checkLimit(o.maxSize, `maxSize (${where})`),
    maxCount: p.kind === 'file' ? 1 : o.maxCount === undefined ? defaults.files : checkLimit(o.maxCount, `maxCount (${where})`),
    storage: o.storage === undefined ? defaults.storage : checkStorage(o.storage, `storage (${where})`),
  };
}

function planFor(route: RouteDefinition, runtime: AppRuntime): FormPlan {
  if (route.methods.every((m) => m === 'GET' || m === 'HEAD')) misplaced(route, `${route.methods.join(', ')} requests have no body. Use POST, PUT or PATCH.`);
  if (route.params.some((p) => p.kind === 'body')) misplaced(route, 'the route also reads a JSON body (@Body() or a DTO-typed parameter), and a request has one body. Read the text fields with @Form() instead.');
  const fields = new Map<string, ReturnType<typeof fieldOf>>();
  let anyField: ReturnType<typeof fieldOf> | null = null;
  for (const p of route.params) {
    if (p.kind !== 'file' && p.kind !== 'files') continue;
    if (p.name === undefined) anyField = fieldOf(p, runtime, route);
    else fields.set(p.name, fieldOf(p, runtime, route));
  }
  const options = runtime.multipart;
  const largestFile = Math.max(options.fileSize, anyField?.maxSize ?? 0, ...[...fields.values()].map((f) => f.maxSize));
  return { options, largestFile, fields, anyField };
}

const dependencies = new WeakMap<RouteDefinition, Dependency<ParsedForm>>();

/**
 * The route's multipart body as a request dependency: read once per request however many
 * parameters ask, and its temp files removed by the exchange's cleanup when the request is
 * over, whatever the outcome (answer sent, 4xx, handler error, client gone mid-upload).
 */
export function formDependency(route: RouteDefinition, runtime: AppRuntime): Dependency<ParsedForm> {
  let dep = dependencies.get(route);
  if (dep === undefined) {
    const plan = planFor(route, runtime);
    dep = async function* multipartForm(ctx: RequestContext) {
      const form = new ParsedForm();
      try {
        await readMultipart(ctx.request.raw, plan, form);
        yield form;
      } finally {
        await form.discard();
      }
    };
    dependencies.set(route, dep);
  }
  return dep;
}
