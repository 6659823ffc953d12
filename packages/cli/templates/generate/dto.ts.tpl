import { IsString, Length } from 'class-validator';

/** A request body: a handler parameter of this type gets it validated (invalid -> 422). */
export class {{Pascal}}Dto {
  @IsString()
  @Length(1, 100)
  name!: string;
}
