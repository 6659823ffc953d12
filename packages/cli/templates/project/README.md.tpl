# {{name}}

A [Cello](https://www.npmjs.com/package/@cello/core) app: decorator-driven controllers on fastify.

```sh
npm install          # once
npm run dev          # compile with tsc and restart on every change (http://127.0.0.1:3000/items)
npm test             # jest, through app.inject(): no port needed
npm run build        # tsc -b into dist/
npm start            # runs dist/main.js; PORT, HOST and LOG_LEVEL set the address and the log level
npx cello routes     # the route table of the built app
```

## Try it

Writing an item needs an API key: the guard in `src/guards/api-key.guard.ts` compares the
`x-api-key` header with the `API_KEY` environment variable, and answers `403` to everyone
while `API_KEY` is not set.

```sh
npm run build
API_KEY=dev-key npm start
```

Then, in another terminal:

```sh
curl -s http://127.0.0.1:3000/items -H 'x-api-key: dev-key' -H 'content-type: application/json' -d '{"name":"pen","price":1.5}'
# {"item":{"id":1,"name":"pen","price":1.5}}
curl -s http://127.0.0.1:3000/items/1
# {"item":{"id":1,"name":"pen","price":1.5}}
curl -s http://127.0.0.1:3000/items -H 'content-type: application/json' -d '{"name":"pen","price":-1}'
# {"statusCode":403,"error":"Forbidden","message":"Access denied by ApiKeyGuard"}
curl -s http://127.0.0.1:3000/items -H 'x-api-key: dev-key' -H 'content-type: application/json' -d '{"name":"pen","price":-1}'
# {"statusCode":422,"error":"Unprocessable Entity","message":"Validation failed","details":[{"path":"price","messages":["price must not be less than 0"]}]}
```

`npm run dev` takes `API_KEY` the same way (`API_KEY=dev-key npm run dev`).

## Layout

| path | what |
|---|---|
| `src/app.ts` | `createApp()`: builds the app without listening (tests and `cello routes` use it) |
| `src/main.ts` | listens; the app drains and exits on SIGINT/SIGTERM |
| `src/controllers/` | `@Controller` classes; list them in `createApp()` |
| `src/services/` | `@Singleton()` / `@Injectable()` classes, injected by constructor type |
| `src/dtos/` | request bodies as class-validator classes (invalid -> 422) |
| `src/guards/` | `canActivate(ctx)` classes |
| `tests/` | jest tests |

Add more with the generator; each kind comes with a test:

```sh
npx cello generate controller user-profile   # src/controllers/user-profile.controller.ts, added to createApp()
npx cello g service mailer
npx cello g dto create-user
npx cello g guard admin
npx cello g middleware timing
```

## Running it under Docker, systemd or a process manager

`npm start` runs `exec node dist/main.js` (on Windows `node dist/main.js`: cmd.exe has no
`exec`). With `exec`, node takes the place of the shell npm starts scripts in, so the SIGTERM
sent to `npm start` reaches the app, which finishes its requests, runs its shutdown hooks and
exits 0 (without `exec` the shell would die and leave the app running). `npx cello start` stops the same way when the npm that started it exits. In a
container, `CMD ["npm", "start"]` or `CMD ["node", "dist/main.js"]` both stop gracefully.
Point the platform's probes at `/health/live` (liveness) and `/health/ready` (readiness: `503`
as soon as shutdown begins, or while a check in `createApp()` fails).

Compile with `tsc` (or swc), not esbuild or tsx: dependency injection reads the constructor
parameter types that only `emitDecoratorMetadata` records.
