// NestJS on @nestjs/platform-fastify, which pins the same fastify version as the repo.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { host, port } from '../fixtures/port.js';
import { BenchModule } from './nest/bench-module.js';
import { validationPipe } from './nest/validation.js';

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(BenchModule, new FastifyAdapter(), { logger: false });
  app.useGlobalPipes(validationPipe());
  await app.listen(port, host);
}

void main();
