// What a result was measured on: numbers from another machine or version are not comparable.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';
import { benchRoot } from '../paths.js';
import { peersDir } from '../peers.js';

export interface MachineInfo {
  date: string;
  nproc: number;
  cpu: string;
  memoryGiB: number;
  os: string;
  node: string;
  valgrind: string;
  packages: Record<string, string>;
}

const measuredPackages = [
  '@cello/core', 'fastify', '@fastify/jwt', '@fastify/rate-limit',
  '@nestjs/core', '@nestjs/common', '@nestjs/platform-fastify', '@nestjs/platform-express',
  'class-validator', 'class-transformer', 'autocannon', 'ws', '@fastify/websocket',
];

function versionOf(name: string, from: string): string {
  try {
    // NestJS and autocannon are among the bench peers (apps/bench/peers).
    const file = require.resolve(`${name}/package.json`, { paths: [from, peersDir] });
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

export function describeMachine(): MachineInfo {
  const packages: Record<string, string> = {};
  for (const name of measuredPackages) packages[name] = versionOf(name, benchRoot);
  // express is Nest's dependency, not ours: resolve it from the adapter that uses it.
  try {
    packages.express = versionOf('express', dirname(require.resolve('@nestjs/platform-express/package.json', { paths: [benchRoot, peersDir] })));
  } catch {
    packages.express = 'not installed';
  }
  let valgrind = 'not installed';
  try {
    valgrind = execFileSync('valgrind', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // reported as missing
  }
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    valgrind,
    packages,
  };
}
