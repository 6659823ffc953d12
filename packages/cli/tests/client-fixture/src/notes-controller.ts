import { BackgroundTasks, Body, Controller, Delete, Depends, Get, Header, Param, Post, Put, Query, Request, RequestContext, Response } from '@cello/core';
import { CrudController } from './crud-controller.js';
import { NewNote, NoteFilter, NoteView } from './dtos.js';

export const currentUser = (ctx: RequestContext) => ctx.request.header('x-user', 'anonymous');

@Controller('/notes')
export class NotesController extends CrudController {
  @Get('/')
  list(@Query() filter: NoteFilter, @Query('ids') ids: string[]) {
    return { filter: { ...filter }, ids: ids ?? [] };
  }

  @Get('/{id}')
  get(@Param('id') id: number, req: Request, @Query('verbose') verbose?: boolean) {
    return { id, verbose: verbose ?? false, created: new Date(0), raw: req.query };
  }

  @Post('/', { status: 201 })
  create(note: NewNote, @Header('x-request-key') key: string, @Depends(currentUser) user: string, tasks: BackgroundTasks) {
    tasks.add(() => undefined);
    return { id: 7, title: note.title, priority: note.priority, summary: note.describe(), key, user };
  }

  @Put('/{id}/title')
  rename(@Param('id') id: string, @Body('title') title: string) {
    return { id, title };
  }

  @Delete('/{id}')
  remove(@Param('id') id: string, ctx: RequestContext): void {
    ctx.state['removed'] = id;
  }

  @Get('/{id}/view', { response: NoteView })
  view(@Param('id') id: number) {
    return Response.json({ id, title: `note ${id}` });
  }

  @Get('/{id}/text')
  text(@Param('id') id: string) {
    return Response.text(`note ${id}`);
  }

  @Get('/{id}/bytes')
  bytes(@Param('id') id: string) {
    return Buffer.from(`bytes of ${id}`);
  }
}

/** Inherits every route of NotesController (and CrudController) under its own prefix. */
@Controller('/admin/notes')
export class AdminNotesController extends NotesController {
  @Delete('/')
  purge() {
    return { purged: true };
  }
}
