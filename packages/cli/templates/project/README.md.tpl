# {{name}}

A [Cello](https://www.npmjs.com/package/@cello/core) app: decorator-driven controllers on fastify.

```sh
npm install          # once
npm run dev          # compile with tsc and restart on every change (http://127.0.0.1:3000/items)
npm test             # jest, through app.inject(): no port needed
npm run build        # tsc -b into dist/
npm start            # node dist/main.js; PORT and HOST set the address
npx cello routes     # the route table of the built app
```

```sh
curl -s localhost:3000/items -H 'content-type: application/json' -d '{"name":"pen","price":1.5}'
curl -s localhost:3000/items/1
```

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

Compile with `tsc` (or swc), not esbuild or tsx: dependency injection reads the constructor
parameter types that only `emitDecoratorMetadata` records.
