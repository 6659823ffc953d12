import { IsIn, IsInt } from 'class-validator';

/**
 * The answer of `POST /orders`: `{ "order_id": 7, "status": "created" }`. Declared as the route's
 * `response`, it documents the answer and types it in the generated client (the handler returns a
 * `Response`, whose body TypeScript cannot see).
 */
export class OrderCreated {
  @IsInt()
  order_id!: number;

  @IsIn(['created'])
  status!: 'created';
}
