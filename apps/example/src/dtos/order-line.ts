import { IsInt, IsString, Length, Max, Min } from 'class-validator';

/** One line of an order: `{ "sku": "pen", "qty": 2 }`. */
export class OrderLine {
  @IsString()
  @Length(1, 40)
  sku!: string;

  @IsInt()
  @Min(1)
  @Max(1000)
  qty!: number;
}
