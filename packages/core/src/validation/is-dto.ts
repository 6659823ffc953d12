import { getMetadataStorage } from 'class-validator';
import { classChain } from '../metadata/class-chain.js';
// class-transformer keeps its registry in a module it does not re-export from its index.
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';

interface TransformerStorageInternals {
  _typeMetadatas?: Map<Function, unknown>;
  _transformMetadatas?: Map<Function, unknown>;
}

function hasTransformerMetadata(type: Function): boolean {
  const storage = defaultMetadataStorage as unknown as TransformerStorageInternals;
  for (const t of classChain(type)) {
    if (storage._typeMetadatas?.has(t) || storage._transformMetadatas?.has(t)) return true;
    if (defaultMetadataStorage.getExposedMetadatas(t as Function).length > 0) return true;
  }
  return false;
}

/** A DTO is a class with class-validator or class-transformer decorators on it (or its bases). */
export function isDtoClass(type: unknown): type is Function {
  if (typeof type !== 'function' || !type.prototype) return false;
  const validations = getMetadataStorage().getTargetValidationMetadatas(type, '', false, false);
  return validations.length > 0 || hasTransformerMetadata(type);
}
