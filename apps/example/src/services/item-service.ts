import { HttpError, Singleton } from '@cello/core';
import { Database } from '../db/database.js';
import { isUniqueViolation } from '../db/db.js';
import type { CreateItem } from '../dtos/create-item.js';

export interface Item {
  id: number;
  sku: string;
  name: string;
  price: number;
  stock: number;
}

// numeric comes back as a string from pg (it may not fit a double); prices here always do.
const columns = 'id, sku, name, price::float8 AS price, stock';

@Singleton()
export class ItemService {
  constructor(private readonly db: Database) {}

  all(): Promise<Item[]> {
    return this.db.query<Item>(`SELECT ${columns} FROM items ORDER BY sku`);
  }

  async create(input: CreateItem): Promise<Item> {
    try {
      const [item] = await this.db.query<Item>(
        `INSERT INTO items (sku, name, price, stock) VALUES ($1, $2, $3, $4) RETURNING ${columns}`,
        [input.sku, input.name, input.price, input.stock],
      );
      return item!;
    } catch (err) {
      if (isUniqueViolation(err)) throw HttpError.conflict(`An item with sku "${input.sku}" already exists`);
      throw err;
    }
  }
}
