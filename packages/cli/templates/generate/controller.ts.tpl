import { Controller, Get, HttpError, Param } from '@cello/core';

@Controller('/{{kebab}}')
export class {{Pascal}}Controller {
  @Get('/')
  list() {
    return { items: [] };
  }

  @Get('/{id}')
  get(@Param('id') id: string) {
    throw HttpError.notFound(`{{Pascal}} ${id} not found`);
  }
}
