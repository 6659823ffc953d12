import { Controller, Get, Guards, HttpError, Param, Post } from '@cello/core';
import { CreateItemDto } from '../dtos/create-item.dto.js';
import { ApiKeyGuard } from '../guards/api-key.guard.js';
import { ItemsService } from '../services/items.service.js';

@Controller('/items')
export class ItemsController {
  // Injected by its type: tsc records constructor parameter types (emitDecoratorMetadata).
  constructor(private readonly items: ItemsService) {}

  @Get('/')
  list() {
    return { items: this.items.all() };
  }

  @Get('/{id}')
  get(@Param('id') id: number) {
    const item = this.items.find(id);
    if (!item) throw HttpError.notFound(`Item ${id} not found`);
    return { item };
  }

  // Only callers with the API key may write (403 otherwise); then the body is validated
  // against CreateItemDto before this runs, and a bad one gets a 422.
  @Post('/', { status: 201 })
  @Guards(ApiKeyGuard)
  create(input: CreateItemDto) {
    return { item: this.items.add(input) };
  }
}
