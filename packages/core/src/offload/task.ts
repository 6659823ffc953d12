// What crosses between the main thread and an offload worker: plain, structured-cloneable data.

/** Where a worker finds a controller: the compiled module and the name it is exported under. */
export interface ModuleRef {
  readonly file: string;
  readonly exportName: string;
}

/** One call of an offloaded method. */
export interface CallTask {
  readonly type: 'call';
  readonly module: ModuleRef;
  readonly method: string;
  readonly args: readonly unknown[];
  /** Indexes of DTO parameters, whose class instance the worker rebuilds from the cloned data. */
  readonly dtos: readonly number[];
}

/** At startup: can the worker load every offloaded controller and build it? */
export interface ProbeTask {
  readonly type: 'probe';
  readonly targets: readonly { readonly module: ModuleRef; readonly methods: readonly string[]; readonly label: string }[];
}

export type OffloadTask = CallTask | ProbeTask;

/** An error thrown in the worker, as data: an HttpError keeps its status, message and details. */
export interface ThrownError {
  readonly http: boolean;
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly details: unknown;
  readonly headers: Record<string, string> | undefined;
}

export type TaskResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: ThrownError }
  /** The method's result could not be cloned (its DataCloneError message). */
  | { readonly ok: false; readonly uncloneable: string };
