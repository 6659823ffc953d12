import { IsString, Length } from 'class-validator';

/** The body of `POST /auth/token`: `{ "username": "alice", "password": "wonderland" }`. */
export class Credentials {
  @IsString()
  @Length(1, 100)
  username!: string;

  // An upper bound keeps a megabyte "password" from costing a megabyte of scrypt input.
  @IsString()
  @Length(1, 200)
  password!: string;
}
