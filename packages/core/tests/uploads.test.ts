import { IsInt, IsString, Min } from 'class-validator';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  App, Body, Controller, Form, Get, HttpError, Post, UploadedFile, UploadedFiles,
} from '@cello/core';
import { validateOpenApi } from './helpers/validate-openapi';

class ProfileForm {
  @IsString()
  name!: string;

  @IsInt()
  @Min(0)
  age!: number;
}

const seen: { file?: UploadedFile; existed?: boolean; form?: ProfileForm; files?: UploadedFile[] } = {};

@Controller('/profile')
class ProfileController {
  @Post('/avatar')
  avatar(@UploadedFile('avatar', { maxSize: 1024 }) file: UploadedFile, @Form() form: ProfileForm) {
    seen.file = file;
    seen.existed = file.path !== undefined && existsSync(file.path);
    seen.form = form;
    return { filename: file.filename, mimetype: file.mimetype, size: file.size, name: form.name, age: form.age, onDisk: seen.existed };
  }

  @Post('/memory')
  async memory(@UploadedFile('doc', { storage: 'memory' }) file: UploadedFile) {
    return { text: file.buffer!.toString(), same: (await file.toBuffer()).equals(file.buffer!), path: file.path ?? null };
  }

  @Post('/photos')
  photos(@UploadedFiles('photos', { maxCount: 3 }) photos: UploadedFile[], @Form('album') album: string) {
    seen.files = photos;
    return { album, names: photos.map((p) => p.filename) };
  }

  @Post('/any')
  any(@UploadedFiles(undefined, { maxCount: 2, storage: 'memory' }) files: UploadedFile[]) {
    return files.map((f) => `${f.fieldname}:${f.buffer!.toString()}`);
  }

  @Post('/optional')
  optional(@UploadedFile('cv', { required: false }) cv: UploadedFile | undefined) {
    return { hasCv: cv !== undefined };
  }

  @Post('/fails')
  async fails(@UploadedFile('avatar') file: UploadedFile) {
    seen.file = file;
    throw new Error(`could not process ${file.filename}`);
  }

  @Post('/refuses')
  refuses(@UploadedFile('avatar') file: UploadedFile) {
    seen.file = file;
    throw HttpError.badRequest('not a picture');
  }

  @Post('/json')
  json(@Body() body: { a: number }) {
    return body;
  }
}

type Part = { name: string; value: string } | { name: string; filename: string; type?: string; data: string | Buffer };

async function multipart(parts: Part[]): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const p of parts) {
    if ('value' in p) form.append(p.name, p.value);
    else form.append(p.name, new Blob([p.data], { type: p.type ?? 'application/octet-stream' }), p.filename);
  }
  const encoded = new globalThis.Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await encoded.arrayBuffer()), headers: { 'content-type': encoded.headers.get('content-type')! } };
}

function until(check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = () => (check() ? resolve() : setTimeout(poll, 10));
    poll();
  });
}

let tmp: string;
let app: App;
const uploads = () => readdirSync(tmp).filter((f) => f.startsWith('cello-upload-'));

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'cello-uploads-'));
  app = new App({ controllers: [ProfileController], logger: false, multipart: { tmpDir: tmp } });
  for (const key of Object.keys(seen)) delete seen[key as keyof typeof seen];
});

afterEach(async () => {
  await app.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('@UploadedFile and @Form', () => {
  test('a file streamed to a temp file, with validated fields; the temp file is gone after the answer', async () => {
    const body = await multipart([
      { name: 'name', value: 'Ada' },
      { name: 'age', value: '36' },
      { name: 'avatar', filename: 'me.png', type: 'image/png', data: 'PNGDATA' },
    ]);

    const res = await app.inject({ method: 'POST', url: '/profile/avatar', ...body });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ filename: 'me.png', mimetype: 'image/png', size: 7, name: 'Ada', age: 36, onDisk: true });
    expect(seen.form).toBeInstanceOf(ProfileForm);
    expect(seen.file!.path!.startsWith(tmp)).toBe(true);
    await until(() => uploads().length === 0);
    expect(existsSync(seen.file!.path!)).toBe(false);
  });

  test('memory storage gives a buffer and no temp file', async () => {
    const body = await multipart([{ name: 'doc', filename: 'a.txt', type: 'text/plain', data: 'hello' }]);
    const res = await app.inject({ method: 'POST', url: '/profile/memory', ...body });
    expect(res.json()).toEqual({ text: 'hello', same: true, path: null });
    expect(uploads()).toEqual([]);
  });

  test('invalid fields are a 422 in the JSON body\'s shape, and the file is removed', async () => {
    const body = await multipart([
      { name: 'name', value: 'Ada' },
      { name: 'age', value: '-3' },
      { name: 'avatar', filename: 'me.png', data: 'x' },
    ]);
    const res = await app.inject({ method: 'POST', url: '/profile/avatar', ...body });

    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      statusCode: 422, error: 'Unprocessable Entity', message: 'Validation failed',
      details: [{ path: 'age', messages: ['age must not be less than 0'] }],
    });
    await until(() => uploads().length === 0);
  });

  test('a missing required file is a 422 naming the field; optional files may be absent', async () => {
    const body = await multipart([{ name: 'name', value: 'Ada' }, { name: 'age', value: '1' }]);
    const res = await app.inject({ method: 'POST', url: '/profile/avatar', ...body });
    expect(res.statusCode).toBe(422);
    expect(res.json().details).toEqual([{ path: 'avatar', messages: ['avatar is required'] }]);

    const none = await multipart([{ name: 'other', value: 'x' }]);
    expect((await app.inject({ method: 'POST', url: '/profile/optional', ...none })).json()).toEqual({ hasCv: false });
  });

  test('@UploadedFiles takes every file of a field', async () => {
    const body = await multipart([
      { name: 'album', value: 'summer' },
      { name: 'photos', filename: 'a.jpg', data: 'a' },
      { name: 'photos', filename: 'b.jpg', data: 'b' },
      { name: 'ignored', filename: 'c.jpg', data: 'c' },
    ]);
    const res = await app.inject({ method: 'POST', url: '/profile/photos', ...body });
    expect(res.json()).toEqual({ album: 'summer', names: ['a.jpg', 'b.jpg'] });
    expect(readFileSync(seen.files![1]!.path!, 'utf8')).toBe('b');
  });

  test('a non-multipart body to an upload route is 415; other routes still answer multipart with 415', async () => {
    const json = await app.inject({ method: 'POST', url: '/profile/avatar', payload: { a: 1 } });
    expect(json.statusCode).toBe(415);
    expect(json.json()).toMatchObject({ statusCode: 415, message: 'This route takes a multipart/form-data body' });

    const body = await multipart([{ name: 'a', value: '1' }]);
    expect((await app.inject({ method: 'POST', url: '/profile/json', ...body })).statusCode).toBe(415);
  });
});

test('@UploadedFiles() with no name keeps the files of every field, up to maxCount', async () => {
  const two = await multipart([{ name: 'a', filename: 'a', data: '1' }, { name: 'b', filename: 'b', data: '2' }]);
  expect((await app.inject({ method: 'POST', url: '/profile/any', ...two })).json()).toEqual(['a:1', 'b:2']);
  const three = await multipart(['a', 'b', 'c'].map((n) => ({ name: n, filename: n, data: n })));
  const res = await app.inject({ method: 'POST', url: '/profile/any', ...three });
  expect(res.statusCode).toBe(413);
  expect(res.json().message).toBe('Too many files: at most 2');
});

describe('limits answer 413', () => {
  test('a file over its field\'s maxSize', async () => {
    const body = await multipart([
      { name: 'name', value: 'Ada' }, { name: 'age', value: '1' },
      { name: 'avatar', filename: 'big.png', data: Buffer.alloc(2048) },
    ]);
    const res = await app.inject({ method: 'POST', url: '/profile/avatar', ...body });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ statusCode: 413, message: 'File field avatar is larger than its limit of 1024 bytes' });
    await until(() => uploads().length === 0);
  });

  test('a file over the app\'s fileSize', async () => {
    const small = new App({ controllers: [ProfileController], logger: false, multipart: { fileSize: 10, tmpDir: tmp } });
    const body = await multipart([{ name: 'photos', filename: 'a.jpg', data: 'more than ten bytes' }]);
    const res = await small.inject({ method: 'POST', url: '/profile/photos', ...body });
    await small.close();
    expect(res.statusCode).toBe(413);
    expect(res.json().message).toBe('File field photos is larger than its limit of 10 bytes');
    expect(uploads()).toEqual([]);
  });

  test('too many files, in a field or in the request', async () => {
    const four = await multipart(['a', 'b', 'c', 'd'].map((n) => ({ name: 'photos', filename: `${n}.jpg`, data: n })));
    const res = await app.inject({ method: 'POST', url: '/profile/photos', ...four });
    expect(res.statusCode).toBe(413);
    expect(res.json().message).toBe('Too many files in field photos: at most 3');

    const strict = new App({ controllers: [ProfileController], logger: false, multipart: { files: 2, tmpDir: tmp } });
    const three = await multipart(['a', 'b', 'c'].map((n) => ({ name: 'photos', filename: `${n}.jpg`, data: n })));
    const res2 = await strict.inject({ method: 'POST', url: '/profile/photos', ...three });
    await strict.close();
    expect(res2.statusCode).toBe(413);
    expect(res2.json().message).toBe('Too many files: at most 2 per request (multipart.files)');
    await until(() => uploads().length === 0);
  });

  test('too many fields', async () => {
    const strict = new App({ controllers: [ProfileController], logger: false, multipart: { fields: 2, tmpDir: tmp } });
    const body = await multipart([{ name: 'a', value: '1' }, { name: 'b', value: '2' }, { name: 'c', value: '3' }]);
    const res = await strict.inject({ method: 'POST', url: '/profile/optional', ...body });
    await strict.close();
    expect(res.statusCode).toBe(413);
    expect(res.json().message).toBe('Too many fields: at most 2 per request (multipart.fields)');
  });
});

describe('temp files are removed in every outcome', () => {
  test('a handler error (500)', async () => {
    const body = await multipart([{ name: 'avatar', filename: 'me.png', data: 'x' }]);
    const res = await app.inject({ method: 'POST', url: '/profile/fails', ...body });
    expect(res.statusCode).toBe(500);
    expect(seen.file!.path).toBeDefined();
    await until(() => uploads().length === 0);
  });

  test('a 4xx from the handler', async () => {
    const body = await multipart([{ name: 'avatar', filename: 'me.png', data: 'x' }]);
    const res = await app.inject({ method: 'POST', url: '/profile/refuses', ...body });
    expect(res.statusCode).toBe(400);
    await until(() => uploads().length === 0);
  });

  test('a client that goes away mid-upload', async () => {
    const url = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
    const boundary = 'cello-boundary';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="avatar"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
    const socket = connect(Number(url.port), url.hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /profile/fails HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\n`
      + `Content-Length: ${10 * 1024 * 1024}\r\n\r\n${head}`,
    );
    socket.write(Buffer.alloc(256 * 1024, 1));
    await until(() => uploads().length === 1);
    socket.destroy();
    await until(() => uploads().length === 0);
    expect(seen.file).toBeUndefined();
  });
});

describe('startup checks and OpenAPI', () => {
  test('an upload on a GET route, or next to a JSON body, fails at startup', async () => {
    @Controller('/bad')
    class OnGet {
      @Get('/')
      get(@UploadedFile('f') _f: UploadedFile) {}
    }
    @Controller('/bad')
    class WithBody {
      @Post('/')
      post(@UploadedFile('f') _f: UploadedFile, @Body() _b: ProfileForm) {}
    }
    for (const controller of [OnGet, WithBody]) {
      const bad = new App({ controllers: [controller], logger: false });
      await expect(bad.ready()).rejects.toMatchObject({ code: 'CELLO_ERR_MULTIPART_MISPLACED' });
      await bad.close();
    }
  });

  test('a bad limit fails when the App is made', () => {
    expect(() => new App({ logger: false, multipart: { fileSize: -1 } })).toThrow(/multipart.fileSize must be a positive integer/);
  });

  test('/openapi.json describes a multipart/form-data body', async () => {
    app.enableDocs();
    const doc = (await app.inject('/openapi.json')).json();
    const body = doc.paths['/profile/avatar'].post.requestBody;
    expect(body.content['multipart/form-data'].schema).toEqual({
      type: 'object',
      properties: {
        avatar: { type: 'string', format: 'binary', contentMediaType: 'application/octet-stream' },
        name: { type: 'string' },
        age: { type: 'integer', minimum: 0 },
      },
      required: ['avatar', 'name', 'age'],
    });
    expect(doc.paths['/profile/avatar'].post.responses['422']).toBeDefined();
    expect(validateOpenApi(doc)).toMatchObject({ valid: true, version: '3.1' });
    expect(doc.paths['/profile/photos'].post.requestBody.content['multipart/form-data'].schema.properties.photos)
      .toEqual({ type: 'array', items: { type: 'string', format: 'binary', contentMediaType: 'application/octet-stream' } });
  });
});
