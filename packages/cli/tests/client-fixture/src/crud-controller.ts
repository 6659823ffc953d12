import { Get } from '@cello/core';

/** Routes every subclass serves under its own prefix. */
export abstract class CrudController {
  @Get('/count')
  count() {
    return { count: 3 };
  }
}
