import { App } from '@cello/core';
import { hello } from './hello.js';
import { AdminNotesController, NotesController } from './notes-controller.js';

export function createApp() {
  const app = new App({ controllers: [NotesController, AdminNotesController], logger: false });
  app.get('/hello/{name}', hello);
  app.post('/echo', (req) => req.body);
  return app;
}
