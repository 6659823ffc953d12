import { Injectable } from '@cello/core';

// A new instance per resolution; make it @Singleton() to share state across requests.
@Injectable()
export class {{Pascal}}Service {
  findAll(): string[] {
    return [];
  }
}
