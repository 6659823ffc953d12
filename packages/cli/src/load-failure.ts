// An app module that throws while loading is the app's error, not cello's: it is reported with
// its stack, and the one such failure whose cause is not in the stack gets a name.
const deadZone = /^Cannot access '([^']+)' before initialization$/;

/** The hint for a class used in emitted decorator metadata before its declaration, or ''. */
export function usedBeforeDeclarationHint(err: unknown): string {
  if (!(err instanceof Error) || err.name !== 'ReferenceError') return '';
  const name = deadZone.exec(err.message)?.[1];
  if (name === undefined) return '';
  return `${name} is used before its declaration, typically as a constructor, parameter or property type of a decorated ` +
    `class declared above it (emitDecoratorMetadata evaluates those types when the class is defined). Declare ${name} ` +
    'above the class that uses it, or in a file of its own (CELLO_ERR_CLASS_USED_BEFORE_DECLARATION in docs/errors.md).';
}

/** `entry failed to load: <stack>`, plus the hint when there is one. */
export function loadFailure(entry: string, err: unknown): string {
  const hint = usedBeforeDeclarationHint(err);
  const report = err instanceof Error ? err.stack ?? err.message : String(err);
  return `${entry} failed to load: ${report}${hint ? `\n${hint}` : ''}`;
}
