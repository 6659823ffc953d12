import { Cache, Controller, Get, InvalidateCache, Post, RoleGuard } from '@cello/core';
import { CreateItem } from '../dtos/create-item.js';
import { ItemService } from '../services/item-service.js';

@Controller('/items')
export class ItemsController {
  constructor(private readonly items: ItemService) {}

  // Served from the cache for up to a minute, or until a write invalidates the `items` tag.
  // Requests that carry a token skip the cache (Cello's default), so no user sees another's answer.
  @Get('/', { summary: 'All items (cached)' })
  @Cache({ ttl: 60, tags: ['items'] })
  async list() {
    return { items: await this.items.all() };
  }

  // The guard runs before the body is validated: bob (a viewer) gets 403 whatever he sends.
  @Post('/', { status: 201, guards: [new RoleGuard(['editor'])], summary: 'Create an item (role editor)' })
  @InvalidateCache({ tags: ['items'] })
  create(item: CreateItem) {
    return this.items.create(item);
  }
}
