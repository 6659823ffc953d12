import { Singleton } from '@cello/core';
import type { CreateItemDto } from '../dtos/create-item.dto.js';

export interface Item {
  id: number;
  name: string;
  price: number;
}

// One instance per app, so items outlive a request; @Injectable() would make a new store each time.
@Singleton()
export class ItemsService {
  readonly #items = new Map<number, Item>();
  #nextId = 1;

  all(): Item[] {
    return [...this.#items.values()];
  }

  find(id: number): Item | undefined {
    return this.#items.get(id);
  }

  add(input: CreateItemDto): Item {
    const item = { id: this.#nextId++, name: input.name, price: input.price };
    this.#items.set(item.id, item);
    return item;
  }
}
