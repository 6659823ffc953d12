// The names a README snippet takes from an earlier snippet of its section, declared once, as
// globals: every snippet is type-checked with them (a snippet's own declaration of a name wins).
// Only what an earlier snippet really defines belongs here; a snippet that needs anything else
// imports or defines it itself. Declarations have no value at run time, so a `run` snippet that
// leans on one fails when it runs.

/** The app of the section: "App and functional routes", used by every `app.*` snippet after it. */
declare const app: import('@cello/core').App;

/** "Validation": the DTOs, taken by the body parameters of later sections. */
declare class OrderLine {
  sku: string;
  qty: number;
}
declare class CreateOrder {
  items: OrderLine[];
}
declare class Item {
  sku: string;
  price: number;
}

/** "Dependencies": the request's pooled connection, replaced in the testing snippet. */
declare function getDb(ctx: import('@cello/core').RequestContext): AsyncGenerator<import('pg').PoolClient>;

/** "Offloading CPU work": the controller of the first snippet, used by the app of the second. */
declare class ReportsController {}
