{
  "name": "{{name}}",
  "version": "0.1.0",
  "private": true,
  "description": "A Cello app",
  "main": "./dist/main.js",
  "scripts": {
    "build": "tsc -b",
    "start": "node dist/main.js",
    "dev": "cello dev",
    "routes": "cello routes",
    "test": "jest",
    "typecheck": "tsc -p tests"
  },
  "engines": {
    "node": ">=20"
  },
  "dependencies": {
    "@cello/core": "{{coreDependency}}",
    "class-transformer": "{{classTransformerDependency}}",
    "class-validator": "{{classValidatorDependency}}",
    "reflect-metadata": "{{reflectMetadataDependency}}",
    "tsyringe": "{{tsyringeDependency}}"
  },
  "devDependencies": {
    "@cello/cli": "{{cliDependency}}",
    "@swc/core": "^1.16.22",
    "@swc/jest": "^0.2.39",
    "@types/jest": "^30.0.0",
    "@types/node": "^20.19.43",
    "esbuild": "^0.28.2",
    "esbuild-register": "^3.6.0",
    "jest": "^30.5.2",
    "typescript": "^7.0.2"
  },
  "overrides": {
    "light-my-request": "6.6.0"
  }
}
