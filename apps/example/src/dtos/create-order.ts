import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { OrderLine } from './order-line.js';

/** The body of `POST /orders`: `{ "items": [{ "sku": "pen", "qty": 2 }] }`. */
export class CreateOrder {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => OrderLine) // without it the lines stay plain objects and go unvalidated
  items!: OrderLine[];
}
