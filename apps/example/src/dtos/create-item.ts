import { IsInt, IsNumber, IsString, Length, Matches, Max, Min } from 'class-validator';

/** The body of `POST /items`: `{ "sku": "pen", "name": "Pen", "price": 1.5, "stock": 10 }`. */
export class CreateItem {
  @Matches(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: 'sku must be 1-40 lower-case letters, digits or dashes' })
  sku!: string;

  @IsString()
  @Length(1, 200)
  name!: string;

  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1_000_000)
  price!: number;

  @IsInt()
  @Min(0)
  @Max(1_000_000)
  stock!: number;
}
