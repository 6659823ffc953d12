import { IsNumber, IsString, Length, Min } from 'class-validator';

/** The body of POST /items. Unknown properties are stripped before the handler sees it. */
export class CreateItemDto {
  @IsString()
  @Length(1, 100)
  name!: string;

  @IsNumber()
  @Min(0)
  price!: number;
}
