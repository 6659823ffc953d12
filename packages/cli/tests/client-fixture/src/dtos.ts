import { IsBoolean, IsInt, IsOptional, IsString, Length, Min } from 'class-validator';

/** A JSON body: the client sends its data properties; `describe()` is not data. */
export class NewNote {
  @IsString()
  @Length(1, 100)
  title!: string;

  @IsOptional()
  @IsString()
  text?: string;

  @IsInt()
  @Min(0)
  priority!: number;

  describe(): string {
    return `${this.title} (${this.priority})`;
  }
}

/** A whole query string as a DTO. */
export class NoteFilter {
  @IsOptional()
  @IsString()
  tag?: string;

  @IsOptional()
  @IsInt()
  page?: number;

  @IsOptional()
  @IsBoolean()
  archived?: boolean;
}

/** The declared body of a route that returns a Response. */
export class NoteView {
  @IsInt()
  id!: number;

  @IsString()
  title!: string;
}
