import { Authenticated, BackgroundTasks, Controller, Get, Guards, HttpError, Param, Post, Request, Response } from '@cello/core';
import { currentUserId } from '../auth/current-user-id.js';
import { Database } from '../db/database.js';
import { isRowId } from '../db/db.js';
import { CreateOrder } from '../dtos/create-order.js';
import { OrderCreated } from '../dtos/order-created.js';
import { OrderService } from '../services/order-service.js';
import { sendConfirmationEmail } from '../tasks/send-confirmation-email.js';
import { updateInventory } from '../tasks/update-inventory.js';

@Guards(Authenticated)
@Controller('/orders')
export class OrdersController {
  constructor(private readonly orders: OrderService, private readonly db: Database) {}

  @Post('/', { status: 201, response: OrderCreated, summary: 'Place an order; confirmation and stock update run after the response' })
  async create(order: CreateOrder, req: Request, tasks: BackgroundTasks) {
    const id = await this.orders.create(currentUserId(req), order.items);
    // Run after the response is sent, in this order. They get the pool, not this request's
    // connection: the request's resources are released without waiting for its tasks.
    tasks.add(sendConfirmationEmail, this.db, id);
    tasks.add(updateInventory, this.db, id);
    return Response.json({ order_id: id, status: 'created' }, { status: 201, headers: { location: `/orders/${id}` } });
  }

  @Get('/{id}', { summary: 'One of your orders' })
  async get(@Param('id') id: number, req: Request) {
    const order = isRowId(id) ? await this.orders.find(id, currentUserId(req)) : undefined;
    if (order === undefined) throw HttpError.notFound('Order not found');
    return order;
  }
}
