// The entry of an offload worker thread (piscina loads it). Plain Node, no compiler: it loads
// the controller's compiled module as the main thread did, builds the controller with its own
// container (so app-lifetime services exist once per thread), and calls the method.
import 'reflect-metadata';
import { pathToFileURL } from 'node:url';
import { container as rootContainer } from 'tsyringe';
import { resolveController } from '../di/resolve-controller.js';
import { registerSingletons } from '../di/singleton-registry.js';
import { prototypeChain } from '../metadata/class-chain.js';
import { getParamTypes } from '../metadata/design-types.js';
import { restoreDto } from './restore-dto.js';
import { serializeError } from './thrown-error.js';
import type { CallTask, ModuleRef, OffloadTask, ProbeTask, TaskResult } from './task.js';

interface Target {
  readonly instance: Record<string, unknown>;
  readonly ctor: Function;
  /** Declared parameter types per method, read once per thread. */
  readonly paramTypes: Map<string, readonly unknown[] | undefined>;
}

const container = rootContainer.createChildContainer();
// Instances created since the last startup pass: their onStartup runs before the call that made them.
let created: object[] = [];
registerSingletons(container, (instance) => created.push(instance));
const targets = new Map<string, Promise<Target>>();

async function loadModule(file: string): Promise<Record<string, unknown>> {
  try {
    return require(file) as Record<string, unknown>;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    // An ES module (require of ESM arrives in Node 22; with top-level await, never).
    if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw err;
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  }
}

async function build(ref: ModuleRef): Promise<Target> {
  const mod = await loadModule(ref.file);
  const ctor = (mod[ref.exportName] ?? (mod.default as Record<string, unknown> | undefined)?.[ref.exportName]) as Function | undefined;
  if (typeof ctor !== 'function') throw new Error(`${ref.file} has no export named ${ref.exportName} in the worker thread`);
  registerSingletons(container, (instance) => created.push(instance));
  const instance = resolveController(container, ctor as never) as Record<string, unknown>;
  created.push(instance);
  const starting = created;
  created = [];
  for (const service of starting) {
    const onStartup = (service as { onStartup?: () => unknown }).onStartup;
    if (typeof onStartup === 'function') await onStartup.call(service);
  }
  return { instance, ctor, paramTypes: new Map() };
}

function target(ref: ModuleRef): Promise<Target> {
  const key = `${ref.file}#${ref.exportName}`;
  let found = targets.get(key);
  if (found === undefined) {
    targets.set(key, (found = build(ref)));
    // A failed build is retried by the next call rather than cached for the thread's life.
    found.catch(() => targets.delete(key));
  }
  return found;
}

// A DTO crosses as its data; the worker gives it (and its nested DTOs) back their classes.
function withDtos(t: Target, task: CallTask): unknown[] {
  const args = task.args as unknown[];
  if (task.dtos.length === 0) return args;
  let types = t.paramTypes.get(task.method);
  if (!t.paramTypes.has(task.method)) {
    // The prototype that declares the method carries its types (a base class's, if inherited).
    for (const proto of prototypeChain(t.ctor)) if ((types = getParamTypes(proto, task.method)) !== undefined) break;
    t.paramTypes.set(task.method, types);
  }
  for (const i of task.dtos) {
    const type = types?.[i];
    if (typeof type === 'function') restoreDto(args[i], type);
  }
  return args;
}

async function call(task: CallTask): Promise<TaskResult> {
  let value: unknown;
  try {
    const t = await target(task.module);
    value = await (t.instance[task.method] as Function).apply(t.instance, withDtos(t, task));
  } catch (err) {
    return { ok: false, error: serializeError(err) };
  }
  // piscina posts the result itself, and a value that does not clone there kills the thread:
  // checking here turns it into the request's own 500.
  try {
    structuredClone(value);
  } catch (err) {
    return { ok: false, uncloneable: (err as Error).message };
  }
  return { ok: true, value };
}

async function probe(task: ProbeTask): Promise<string[]> {
  const problems: string[] = [];
  for (const { module, methods, label } of task.targets) {
    try {
      const t = await target(module);
      for (const m of methods) if (typeof t.instance[m] !== 'function') problems.push(`${label}: the worker's ${module.exportName} has no method ${m}`);
    } catch (err) {
      problems.push(`${label}: ${(err as Error)?.message ?? String(err)}`);
    }
  }
  return problems;
}

export default function run(task: OffloadTask): Promise<unknown> {
  return task.type === 'call' ? call(task) : probe(task);
}
