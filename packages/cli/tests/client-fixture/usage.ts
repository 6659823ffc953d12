// Type-checked with the generated client (tsc --noEmit): correct calls compile, and every line
// marked as an expected error must be one (tsc reports an unneeded marker as an error itself).
import { CelloClientError, createClient, type Client } from './client.js';

export async function usage(api: Client = createClient('http://127.0.0.1:3000')): Promise<unknown[]> {
  // Correct calls.
  const note = await api.notes.create({ body: { title: 'a', priority: 1 }, headers: { 'x-request-key': 'k' } });
  const summary: string = note.summary;
  const one = await api.notes.get({ params: { id: 1 }, query: { verbose: true } });
  const created: string = one.created; // a Date arrives as its JSON string
  const listed = await api.notes.list({ query: { ids: ['1', '2'], page: 2, archived: false } });
  const page: number | undefined = listed.filter.page;
  const renamed = await api.adminNotes.rename({ params: { id: 'x' }, body: { title: 't' } });
  const removed: undefined = await api.notes.remove({ params: { id: 'x' } });
  const viewed = await api.notes.view({ params: { id: 3 } });
  const title: string = viewed.title; // a Response typed by its declared `response:` DTO
  const text: unknown = await api.notes.text({ params: { id: 'x' } });
  const bytes: string = await api.notes.bytes({ params: { id: 'x' } }); // a Buffer is read as text
  const purged: boolean = (await api.adminNotes.purge()).purged; // inherited and own routes
  const count: number = (await api.adminNotes.count({ signal: AbortSignal.timeout(1000) })).count;
  const greeting: string = (await api.routes['GET /hello/{name}']({ params: { name: 'ann' } })).greeting;
  const echoed: unknown = await api.routes['POST /echo']({ body: { any: 'thing' } });

  // A wrong parameter name.
  // @ts-expect-error `id`, not `noteId`
  await api.notes.get({ params: { noteId: 1 } });
  // @ts-expect-error no such query key
  await api.notes.list({ query: { ids: [], color: 'red' } });
  // @ts-expect-error the path parameter is missing
  await api.notes.remove({});
  // A wrong body field type.
  // @ts-expect-error priority is a number
  await api.notes.create({ body: { title: 'a', priority: '1' }, headers: { 'x-request-key': 'k' } });
  // @ts-expect-error a required body field is missing
  await api.notes.create({ body: { title: 'a' }, headers: { 'x-request-key': 'k' } });
  // @ts-expect-error methods of the DTO are not part of the body
  await api.notes.create({ body: { title: 'a', priority: 1, describe: () => '' }, headers: { 'x-request-key': 'k' } });
  // @ts-expect-error the declared header is required
  await api.notes.create({ body: { title: 'a', priority: 1 } });
  // @ts-expect-error a body is required
  await api.notes.create();
  // Misuses of the result type.
  // @ts-expect-error id is a number
  const wrongId: string = one.id;
  // @ts-expect-error created is a string on the client, not a Date
  one.created.getTime();
  // @ts-expect-error the result of a Response without a declared body is unknown
  text.length;
  // @ts-expect-error a DELETE without a result resolves to undefined
  removed.toString();

  try {
    await api.notes.count();
  } catch (e) {
    if (e instanceof CelloClientError) return [e.status, e.headers['content-type'], e.body?.message, e.body?.details];
  }
  return [summary, bytes, created, page, renamed.title, title, purged, count, greeting, echoed, wrongId];
}
